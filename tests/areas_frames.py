"""Small dataset frames for the areas tests: rows written as dicts, the rest filled with contract defaults.

The frame is conformed (indicators.frame.conform): the columns and dtypes validation produces, contract
v2's (area_code, parent_area, term, breakdown, series_break, rollup) text, "" when empty.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from indicators.frame import FRAME_COLUMNS, conform

COLUMNS = FRAME_COLUMNS
DEFAULTS: dict[str, Any] = {"indicator": "Chỉ tiêu", "unit": "người", "kind": "actual", "source": "Báo cáo xã",
                            "period": "2024"}


def period_end(period: str) -> pd.Timestamp:
    """'2024' -> 31/12/2024, '2025-03' -> 31/03/2025, '2025-03-31' -> that day."""
    parts = period.split("-")
    if len(parts) == 1:
        return pd.Timestamp(int(parts[0]), 12, 31)
    if len(parts) == 2:
        return pd.Timestamp(int(parts[0]), int(parts[1]), 1) + pd.offsets.MonthEnd(0)
    return pd.Timestamp(period)


def rows(*records: dict[str, Any]) -> pd.DataFrame:
    """A frame of these rows (each needs indicator_id, area and value; the rest defaults)."""
    out = []
    for i, rec in enumerate(records):
        full: dict[str, Any] = {c: "" for c in COLUMNS}
        full.update(DEFAULTS)
        full.update(rec)
        full["row"] = i + 2
        full["value"] = float(full["value"]) if full["value"] != "" else np.nan
        full["of_total"] = float(full["of_total"]) if full["of_total"] != "" else np.nan
        full["period_end"] = period_end(str(full["period"]))
        out.append(full)
    return conform(pd.DataFrame(out, columns=list(COLUMNS)))

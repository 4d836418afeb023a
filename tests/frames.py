"""Dataset frames for tests, in the exact shape validation produces (see indicators.frame).

`make_frame(n)` cycles through awkward but valid content: Vietnamese text, quotes, commas, tabs,
newlines, backslashes, formula-like text, qualifiers, missing of_total, negative and tiny values.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from indicators import contract
from indicators.frame import FRAME_COLUMNS, conform

NOTES = ("", "ghi chú", 'có "ngoặc kép", dấu phẩy', "dòng 1\ndòng 2", "tab\there", "back\\slash", "NA", "001")
SOURCES = ("Báo cáo UBND huyện Kim Sơn (15/12/2023)", "=HYPERLINK(\"http://x\")", "+84 912", "@sum", "-")


def make_frame(n: int = 40, *, seed: int = 0, areas: int = 3, value_offset: float = 0.0) -> pd.DataFrame:
    """`n` valid rows with unique keys (indicator_id, area, period, kind), in file order."""
    rng = np.random.default_rng(seed)
    i = np.arange(n)
    per_indicator = areas * 10 * len(contract.KINDS)
    ind = i // per_indicator
    year = 2016 + (i // len(contract.KINDS)) % 10
    values = np.round(rng.normal(50, 30, n), 2) + value_offset
    values[i % 17 == 5] = -3.5
    values[i % 19 == 7] = 0.000123
    values[i % 5 == 0] = np.minimum(values[i % 5 == 0], 23.0)  # a part of its total (of_total 23): plausible
    frame = pd.DataFrame({
        "row": i + 2,
        "indicator_id": [f"chi_tieu_{k:03d}" for k in ind],
        "indicator": [f"Tỷ lệ hộ nghèo số {k}" for k in ind],
        "indicator_en": [f"Poverty rate {k}" if k % 2 else "" for k in ind],
        "group": np.where(ind % 2 == 0, "Xã hội", "Nông thôn mới"),
        "unit": np.where(ind % 3 == 0, "%", "tỷ đồng"),  # not a count: the -3.5 are plausible
        "area": [f"Xã Đồng Hướng {k}" for k in (i // len(contract.KINDS) // 10) % areas],
        "period": year.astype(str),
        "kind": np.asarray(contract.KINDS)[i % len(contract.KINDS)],
        "value": values,
        "of_total": np.where(i % 5 == 0, 23.0, np.nan),
        "direction": np.where(ind % 2 == 0, "increase", "decrease"),
        "method": np.where(ind % 4 == 1, "cagr", ""),
        "source": np.asarray(SOURCES, dtype=object)[i % len(SOURCES)],
        "note": np.asarray(NOTES, dtype=object)[i % len(NOTES)],
        "qualifier": np.asarray(contract.QUALIFIERS, dtype=object)[i % len(contract.QUALIFIERS)],
        "period_end": pd.to_datetime([f"{y}-12-31" for y in year]),
    })
    return conform(frame)


def frame_from_csv(text: str) -> pd.DataFrame:
    """An expected frame written inline: CSV with the FRAME_COLUMNS header ('' = empty)."""
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    out = raw.reindex(columns=list(FRAME_COLUMNS), fill_value="")
    out["row"] = out["row"].astype("int64")
    for c in ("value", "of_total"):
        out[c] = pd.to_numeric(out[c].replace("", np.nan))
    out["period_end"] = pd.to_datetime(out["period_end"].replace("", None))
    return conform(out)

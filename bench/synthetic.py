"""Synthetic contract data for the benchmarks (the v2 columns empty): many series, each with baseline, actuals and
a target."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.contract import COLUMN_NAMES
from indicators.frame import FRAME_COLUMNS

ROWS_PER_SERIES = 10  # baseline, 8 yearly actuals (the last an estimate), target


def synthetic_frame(n_rows: int, seed: int = 7) -> pd.DataFrame:
    """A typed frame shaped like validation's output, with `n_rows` rows (rounded to whole series)."""
    rng = np.random.default_rng(seed)
    n_series = max(1, n_rows // ROWS_PER_SERIES)
    sid = np.repeat(np.arange(n_series), ROWS_PER_SERIES)
    step = np.tile(np.arange(ROWS_PER_SERIES), n_series)
    years = np.where(step == 0, 2017, np.where(step == ROWS_PER_SERIES - 1, 2025, 2017 + step))
    kind = np.where(step == 0, "baseline", np.where(step == ROWS_PER_SERIES - 1, "target",
                    np.where(step == ROWS_PER_SERIES - 2, "estimate", "actual")))
    base = rng.uniform(10, 100, n_series)[sid]
    growth = rng.normal(0.05, 0.05, n_series)[sid]
    value = np.round(base * (1 + growth) ** (years - 2017), 2)
    value = np.where(kind == "target", np.round(base * 1.5, 2), value)
    ind = sid // 50  # 50 areas per indicator; everything an indicator's rows must agree on hangs off `ind`
    direction = np.where(ind % 5 == 0, "decrease", "increase")
    n = len(sid)
    frame = pd.DataFrame({
        "row": np.arange(2, n + 2, dtype="int64"),
        "indicator_id": pd.Series(np.char.add("chi_tieu_", (sid // 50).astype(str)), dtype="str"),
        "indicator": pd.Series(np.char.add("Chỉ tiêu ", (sid // 50).astype(str)), dtype="str"),
        "indicator_en": "",
        "group": pd.Series(np.array(["Kinh tế", "Xã hội", "Nông thôn mới", "Xây dựng Đảng"])[ind % 4], dtype="str"),
        "unit": "%",
        "area": pd.Series(np.char.add("Xã số ", (sid % 50).astype(str)), dtype="str"),
        "period": pd.Series(years.astype(str), dtype="str"),
        "kind": pd.Series(kind, dtype="str"),
        "value": value.astype("float64"),
        "of_total": np.nan,
        "direction": pd.Series(direction, dtype="str"),
        "method": pd.Series(np.where(ind % 3 == 0, "cagr", ""), dtype="str"),
        "source": "Báo cáo tổng hợp (dữ liệu tổng hợp cho đo hiệu năng)",
        "note": "",
        "qualifier": "",
        "period_end": pd.to_datetime(pd.Series(years.astype(str)) + "-12-31").astype("datetime64[ns]"),
    })
    for col in ("indicator_en", "unit", "source", "note", "qualifier"):
        frame[col] = frame[col].astype("str")
    # series = (indicator_id, area): give each synthetic series its own pair; contract v2's columns stay empty
    for col in COLUMN_NAMES:
        if col not in frame.columns:
            frame[col] = pd.Series("", index=frame.index, dtype="str")
    return frame[list(FRAME_COLUMNS)]


def write_csv(frame: pd.DataFrame, path: str) -> None:
    """The frame as an analyst's contract-v1 CSV (comma separated, point decimals)."""
    frame[list(COLUMN_NAMES)].to_csv(path, index=False)

"""Plausibility: values that read as numbers but cannot be right, or are worth a second look (issue 9).

The checks are declared in the contract (`contract.PLAUSIBILITY`: code, severity, what, vocabularies);
this module runs them once, inside `validate_table`, over the coded columns of `rules.RowChecks`:

- `above_total` (error): a value above its total (`of_total`: 30 of 23 communes);
- `share_above_100` (warning): a share of a whole above 100 % (unit "%", the name starts with "Tỷ lệ"/
  "share"/… and says nothing of growth or a ratio to a plan: "so với dự toán" may pass 100 %, and the words
  cannot catch every such name, hence a warning);
- `negative_count` (error): a negative value in a unit that counts things (xã, người, hộ, …);
- `ten_times_off` (warning): a value ten times above or below the median of its series (same indicator and
  area: the file's other periods and kinds, and the stored version's rows the file does not replace), for a
  series of at least three values, growth/ratio measures and zeros left out;
- `unit_changed` (warning): an indicator's unit in the file is not the stored one (at its first row).

Units and names are classified once per distinct text; the row rules are numpy over codes, so a million
rows cost a few tens of milliseconds (the series medians one pandas groupby).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from indicators.contract import (
    SERIES_MIN_OTHERS,
    TEN_TIMES,
    change_measure,
    count_unit,
    fold,
    share_of_whole,
    share_unit,
)
from indicators.ingest.rules import Coded, combine, first_of

if TYPE_CHECKING:
    from indicators.ingest.rules import RowChecks


def _g(value: float) -> str:
    return f"{value:g}"


def _flags(texts: Iterable[object], test: Callable[[str], bool]) -> np.ndarray:
    return np.array([bool(test(str(v))) for v in texts], dtype=bool)


def _per_value(coded: Coded, test: Callable[[str], bool]) -> np.ndarray:
    """`test(text)` for every distinct text of a column, as a per-row boolean array."""
    return _flags(coded.values(), test)[coded.codes]


def check_plausibility(checks: RowChecks, values: dict[str, np.ndarray], period_end: np.ndarray,
                       current: pd.DataFrame | None = None) -> None:
    """Report every implausible value of the checked table into `checks.log` (see the module docstring)."""
    value = values["value"]
    has = checks.active & np.isfinite(value)
    if not has.any():
        return
    if "of_total" in checks.index:
        total = values["of_total"]
        above = has & np.isfinite(total) & (value > total)
        checks.report("above_total", "value", above, lambda rows: [{"total": _g(total[r])} for r in rows])
    unit = checks.col("unit")
    names = [checks.cols[c] for c in ("indicator", "indicator_en") if c in checks.cols]
    if "unit" in checks.index:
        checks.report("negative_count", "value", has & (value < 0) & _per_value(unit, count_unit),
                      lambda rows: [{"unit": u} for u in unit.text_of(rows)])
        share = _per_value(unit, share_unit)
        if share.any() and names:
            whole = np.zeros(checks.n, dtype=bool)
            for coded in names:
                whole |= _per_value(coded, share_of_whole)
            for coded in names:
                whole &= ~_per_value(coded, change_measure)
            checks.report("share_above_100", "value", has & share & whole & (value > 100))
    changing = np.zeros(checks.n, dtype=bool)
    for coded in names:
        changing |= _per_value(coded, change_measure)
    _ten_times_off(checks, value, has & ~changing & (value != 0), period_end, current)
    if current is not None and len(current) and "unit" in checks.index and "indicator_id" in checks.index:
        _unit_changed(checks, current)


def _ten_times_off(checks: RowChecks, value: np.ndarray, judged: np.ndarray, period_end: np.ndarray,
                   current: pd.DataFrame | None) -> None:
    if "indicator_id" not in checks.index:
        return
    ids, area = checks.col("indicator_id"), checks.col("area")
    rows = np.flatnonzero(judged)
    if rows.size == 0:
        return
    file_period = period_end[rows]
    pool_series = [ids.codes[rows].astype(np.int64), area.codes[rows].astype(np.int64)]
    pool_values = [value[rows]]
    stored = _stored_series(checks, current, rows, file_period) if current is not None and len(current) else None
    if stored is not None:
        pool_series = [np.concatenate([a, b]) for a, b in zip(pool_series, stored[:2], strict=True)]
        pool_values.append(stored[2])
    series = combine(*pool_series)
    pooled = pd.Series(np.concatenate(pool_values))
    grouped = pooled.groupby(series, sort=False)
    typical = grouped.transform("median").to_numpy()[: rows.size]
    size = grouped.transform("size").to_numpy()[: rows.size]
    own = value[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(own) / np.abs(typical)
    off = (size > SERIES_MIN_OTHERS) & (typical != 0) & ((ratio >= TEN_TIMES) | (ratio <= 1 / TEN_TIMES))
    mask = np.zeros(checks.n, dtype=bool)
    mask[rows[off]] = True
    typical_of = np.zeros(checks.n)
    typical_of[rows] = typical
    size_of = np.zeros(checks.n, dtype=np.int64)
    size_of[rows] = size
    checks.report("ten_times_off", "value", mask,
                  lambda r: [{"typical": _g(typical_of[i]), "n": int(size_of[i])} for i in r])


def _stored_series(checks: RowChecks, current: pd.DataFrame, rows: np.ndarray,
                   file_period: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(indicator codes, area codes, values) of the stored rows of the file's series that the file does
    not replace (same indicator, area, period and kind), in the file's codes."""
    ids, area, kind = checks.col("indicator_id"), checks.col("area"), checks.col("kind")
    stored_value = current["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    stored_id = pd.Index(ids.values()).get_indexer(pd.Index(current["indicator_id"]))
    keep = (stored_id >= 0) & np.isfinite(stored_value) & (stored_value != 0)
    if not keep.any():
        return None
    stored_area = pd.Index(area.values()).get_indexer(pd.Index(current["area"]))
    keep &= stored_area >= 0
    if not keep.any():
        return None
    names = [c for c in ("indicator", "indicator_en") if c in current.columns]
    for name in names:  # growth/ratio measures are left out, as in the file
        codes, uniques = pd.factorize(current[name])
        keep &= ~_flags(uniques, change_measure)[codes]
    where = np.flatnonzero(keep)
    if where.size == 0:
        return None
    s_id, s_area, s_value = stored_id[where], stored_area[where], stored_value[where]
    s_kind = pd.Index(kind.values()).get_indexer(pd.Index(current["kind"].to_numpy()[where]))
    s_period = current["period_end"].to_numpy()[where].astype("datetime64[ns]")
    periods, _ = pd.factorize(np.concatenate([file_period.astype("datetime64[ns]"), s_period]))
    key = combine(np.concatenate([ids.codes[rows], s_id]).astype(np.int64),
                  np.concatenate([area.codes[rows], s_area]).astype(np.int64),
                  np.concatenate([kind.codes[rows], s_kind]).astype(np.int64) + 1,  # -1: a kind not in the file
                  periods.astype(np.int64) + 1)  # -1: NaT
    f_key, s_key = key[: rows.size], key[rows.size:]
    replaced = np.isin(s_key, f_key)
    return s_id[~replaced], s_area[~replaced], s_value[~replaced]


def _unit_changed(checks: RowChecks, current: pd.DataFrame) -> None:
    """The first row of each indicator whose unit (folded) differs from the stored indicator's unit."""
    ids, unit = checks.col("indicator_id"), checks.col("unit")
    _, first = np.unique(pd.factorize(current["indicator_id"])[0], return_index=True)
    firsts = current.iloc[first]
    stored_unit = dict(zip(firsts["indicator_id"].astype(str), firsts["unit"].astype(str), strict=True))
    filled = checks.active & ~unit.is_empty()
    group_ids, first_rows = first_of(ids.codes, np.flatnonzero(filled))
    id_texts, unit_texts = ids.values(), unit.text_of(first_rows)
    mask = np.zeros(checks.n, dtype=bool)
    old_of: dict[int, str] = {}
    for code, row, text in zip(group_ids, first_rows, unit_texts, strict=True):
        old = stored_unit.get(id_texts[code])
        if old and fold(old) != fold(text):
            mask[row] = True
            old_of[int(row)] = old
    checks.report("unit_changed", "unit", mask,
                  lambda rows: [{"indicator_id": id_texts[ids.codes[r]], "old": old_of[int(r)]} for r in rows])

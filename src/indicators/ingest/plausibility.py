"""Plausibility: values that read as numbers but cannot be right, or are worth a second look (issue 9).

The checks are declared in the contract (`contract.PLAUSIBILITY`: code, severity, what, vocabularies);
this module runs them once, inside `validate_table`, over the coded columns of `rules.RowChecks`:

- `above_total` (error): a value above its total (`of_total`: 30 of 23 communes);
- `share_above_100` (warning): a share of a whole above 100 % (unit "%", the name starts with "Tỷ lệ"/
  "share"/… and says nothing of growth or a ratio to a plan: "so với dự toán" may pass 100 %, and the words
  cannot catch every such name, hence a warning);
- `negative_count` (error): a negative value in a unit that counts things (xã, người, hộ, …);
- `ten_times_off` (warning): a value ten times above or below the median of its series (same indicator, area and
  breakdown: the file's other periods and kinds, and the stored version's rows the file does not replace), for a
  series of at least three values, growth/ratio measures and zeros left out, targets not judged (a count
  accumulating over a term may well end ten times its first years' figure);
- `unit_changed` (warning): an indicator's unit in the file is not the stored one (at its first row).

Units and names are classified once per distinct text; the row rules are numpy over codes, so a million
rows cost a few tens of milliseconds (the series medians one pandas groupby).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


def _codes_in(column: pd.Series, coded: Coded) -> np.ndarray:
    """Each cell of a stored column as a code of the file's column `coded` (-1: not in the file), in C++."""
    cells = pa.array(column)
    found = pc.index_in(cells, value_set=coded.uniques.cast(cells.type))
    return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _same_text(coded: Coded) -> np.ndarray:
    """One number per distinct text of a column's dictionary (two codes may hold one canonical breakdown)."""
    return pd.factorize(np.asarray(coded.uniques.to_pylist(), dtype=object))[0].astype(np.int64)


@dataclass
class _Stored:
    """The stored version's rows of the file's indicators, in the file's codes."""

    rows: np.ndarray  # indices into the stored frame
    ids: np.ndarray
    areas: np.ndarray
    breakdowns: np.ndarray  # -1: a breakdown the file does not have
    kinds: np.ndarray
    values: np.ndarray
    periods: np.ndarray

    @classmethod
    def of(cls, checks: RowChecks, current: pd.DataFrame) -> _Stored:
        ids = _codes_in(current["indicator_id"], checks.col("indicator_id"))
        rows = np.flatnonzero(ids >= 0)
        part = current.iloc[rows] if rows.size < len(current) else current
        breakdowns = part["breakdown"] if "breakdown" in part.columns else pd.Series("", index=part.index)
        found = _codes_in(breakdowns.astype(str), checks.col("breakdown"))
        return cls(rows, ids[rows], _codes_in(part["area"], checks.col("area")),
                   np.where(found >= 0, _same_text(checks.col("breakdown"))[np.maximum(found, 0)], -1),
                   _codes_in(part["kind"], checks.col("kind")),
                   part["value"].to_numpy(dtype=np.float64, na_value=np.nan),
                   part["period_end"].to_numpy().astype("datetime64[ns]"))


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
    names = [(coded, [fold(v) for v in coded.values()])
             for coded in (checks.cols[c] for c in ("indicator", "indicator_en") if c in checks.cols)]
    changing = np.zeros(checks.n, dtype=bool)
    for coded, folded in names:
        changing |= _flags(folded, lambda text: change_measure(text, folded=True))[coded.codes]
    if "unit" in checks.index:
        checks.report("negative_count", "value", has & (value < 0) & _per_value(unit, count_unit),
                      lambda rows: [{"unit": u} for u in unit.text_of(rows)])
        share = _per_value(unit, share_unit)
        if share.any() and names:
            whole = np.zeros(checks.n, dtype=bool)
            for coded, folded in names:
                whole |= _flags(folded, lambda text: share_of_whole(text, folded=True))[coded.codes]
            checks.report("share_above_100", "value", has & share & whole & ~changing & (value > 100))
    if "indicator_id" not in checks.index:
        return
    stored = _Stored.of(checks, current) if current is not None and len(current) else None
    kind = checks.col("kind")
    target = _per_value(kind, lambda word: word == "target")
    _ten_times_off(checks, value, has & ~changing & (value != 0), target, period_end, changing, stored)
    if stored is not None and current is not None and "unit" in checks.index:
        _unit_changed(checks, current, stored)


def _ten_times_off(checks: RowChecks, value: np.ndarray, pooled_rows: np.ndarray, target: np.ndarray,
                   period_end: np.ndarray, changing: np.ndarray, stored: _Stored | None) -> None:
    """Rows of `pooled_rows` make up the series; all but targets are judged (a term's target may well be
    ten times the first years' figures of a count that accumulates)."""
    ids, area, kind = checks.col("indicator_id"), checks.col("area"), checks.col("kind")
    rows = np.flatnonzero(pooled_rows)
    if rows.size == 0:
        return
    series_ids, series_areas, pooled = ids.codes[rows].astype(np.int64), area.codes[rows].astype(np.int64), value[rows]
    breakdown = checks.col("breakdown")
    series_breakdowns = _same_text(breakdown)[breakdown.codes[rows]] + 1  # 0: a breakdown only the store has
    if stored is not None:
        changing_id = np.zeros(len(ids.uniques), dtype=bool)
        changing_id[ids.codes[changing]] = True
        keep = (stored.areas >= 0) & (stored.breakdowns >= 0) & np.isfinite(stored.values) & (stored.values != 0) \
            & ~changing_id[stored.ids]
        if keep.any():
            # the stored rows the file replaces (same indicator, area, period and kind) are not its series
            periods, _ = pd.factorize(np.concatenate([period_end[rows], stored.periods[keep]]))
            key = combine(np.concatenate([series_ids, stored.ids[keep]]),
                          np.concatenate([series_areas, stored.areas[keep]]),
                          np.concatenate([series_breakdowns, stored.breakdowns[keep] + 1]),
                          np.concatenate([kind.codes[rows], stored.kinds[keep]]).astype(np.int64) + 1,  # -1: other
                          periods.astype(np.int64) + 1)  # -1: NaT
            kept = ~np.isin(key[rows.size:], key[: rows.size])
            series_ids = np.concatenate([series_ids, stored.ids[keep][kept]])
            series_areas = np.concatenate([series_areas, stored.areas[keep][kept]])
            series_breakdowns = np.concatenate([series_breakdowns, stored.breakdowns[keep][kept] + 1])
            pooled = np.concatenate([pooled, stored.values[keep][kept]])
    series, _ = pd.factorize(combine(series_ids, series_areas, series_breakdowns))  # a breakdown is its own series
    size = np.bincount(series)
    typical = pd.Series(pooled).groupby(series).median().to_numpy()
    own_series = series[: rows.size]
    own_typical, own_size = typical[own_series], size[own_series]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(value[rows]) / np.abs(own_typical)
    off = (own_size > SERIES_MIN_OTHERS) & (own_typical != 0) & ((ratio >= TEN_TIMES) | (ratio <= 1 / TEN_TIMES))
    off &= ~target[rows]
    mask = np.zeros(checks.n, dtype=bool)
    mask[rows[off]] = True
    position = np.zeros(checks.n, dtype=np.int64)
    position[rows] = np.arange(rows.size)
    checks.report("ten_times_off", "value", mask,
                  lambda r: [{"typical": _g(own_typical[position[i]]), "n": int(own_size[position[i]])} for i in r])


def _unit_changed(checks: RowChecks, current: pd.DataFrame, stored: _Stored) -> None:
    """The first row of each indicator whose unit (folded) differs from the stored indicator's unit."""
    ids, unit = checks.col("indicator_id"), checks.col("unit")
    if stored.ids.size == 0:
        return
    stored_ids, first = np.unique(stored.ids, return_index=True)
    units = pa.array(current["unit"]).take(pa.array(stored.rows[first])).to_pylist()
    stored_unit = dict(zip(stored_ids.tolist(), units, strict=True))
    filled = checks.active & ~unit.is_empty()
    group_ids, first_rows = first_of(ids.codes, np.flatnonzero(filled))
    unit_texts = unit.text_of(first_rows)
    mask = np.zeros(checks.n, dtype=bool)
    old_of: dict[int, str] = {}
    for code, row, text in zip(group_ids.tolist(), first_rows.tolist(), unit_texts, strict=True):
        old = stored_unit.get(code)
        if old and fold(old) != fold(text):
            mask[row] = True
            old_of[row] = old
    id_texts = ids.values()
    checks.report("unit_changed", "unit", mask,
                  lambda rows: [{"indicator_id": id_texts[ids.codes[r]], "old": old_of[int(r)]} for r in rows])

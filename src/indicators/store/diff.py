"""The dry run before a commit (as DHIS2 does it): what a new file would change, row by row.

Rows are matched on the contract key (indicator_id, area, period, kind); a matched row is "changed"
when any compared field differs (value, qualifier, of_total, unit, source, note, …), else "unchanged".
In "replace" mode the file is the whole dataset, so current rows it lacks are "removed"; in "update"
mode it is upserted by key onto the current rows and nothing is removed.

    p = preview(store.load(), new_frame, "update")
    p.counts()    # {"new": 3, "changed": 12, "unchanged": 480, "removed": 0}
    p.changes     # indicator_id, area, period, kind, change, field, old, new
    p.result      # the dataset a commit would store
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from indicators.contract import KEY
from indicators.frame import COMPARED_COLUMNS, FLOAT_COLUMNS, conform, empty_frame

CHANGE_COLUMNS: tuple[str, ...] = (*KEY, "change", "field", "old", "new")


@dataclass(frozen=True)
class Preview:
    """Counts, the resulting dataset (`result`) and, built when first asked for, the `changes` table."""

    mode: str
    new: int
    changed: int
    unchanged: int
    removed: int
    result: pd.DataFrame = field(repr=False)
    _current: pd.DataFrame = field(repr=False)
    _new: pd.DataFrame = field(repr=False)
    _position: np.ndarray = field(repr=False)

    def counts(self) -> dict[str, int]:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged, "removed": self.removed}

    @cached_property
    def changes(self) -> pd.DataFrame:
        """One line per changed field (key, "changed", field, old, new), then one per new row and one
        per removed row (showing its value); `old` and `new` are display text."""
        current, new, position = self._current, self._new, self._position
        old_rows, new_rows = position[position >= 0], np.flatnonzero(position >= 0)
        parts = []
        for name in COMPARED_COLUMNS:
            differs = _differs(current[name].take(old_rows), new[name].take(new_rows))
            if differs.any():
                parts.append(new.iloc[new_rows[differs]][list(KEY)].assign(
                    change="changed", field=name,
                    old=_as_text(current[name].take(old_rows[differs])),
                    new=_as_text(new[name].take(new_rows[differs])),
                ))
        parts.insert(0, _whole_rows(new.iloc[np.flatnonzero(position < 0)], "new", "new"))
        if self.mode == "replace":
            parts.append(_whole_rows(current.iloc[np.flatnonzero(_unmatched(current, position))], "removed", "old"))
        return pd.concat(parts, ignore_index=True).loc[:, list(CHANGE_COLUMNS)].astype("str")


def preview(current: pd.DataFrame | None, new: pd.DataFrame, mode: Literal["replace", "update"]) -> Preview:
    """Compare `new` with `current` (None: an empty store) under `mode`; nothing is written."""
    if mode not in ("replace", "update"):
        raise ValueError(f"mode must be 'replace' or 'update', not {mode!r}")
    current = empty_frame() if current is None else conform(current)
    new = conform(new)
    if len(current):
        position = _key_index(current, "current version").get_indexer(_key_index(new, "new dataset"))
    else:
        position = np.full(len(new), -1, dtype=np.intp)  # -1: a key the current version lacks
    old_rows, new_rows = position[position >= 0], np.flatnonzero(position >= 0)
    row_changed = np.zeros(len(new_rows), dtype=bool)
    for name in COMPARED_COLUMNS:
        row_changed |= _differs(current[name].take(old_rows), new[name].take(new_rows))
    return Preview(
        mode=mode,
        new=int((position < 0).sum()),
        changed=int(row_changed.sum()),
        unchanged=int(len(new_rows) - row_changed.sum()),
        removed=int(_unmatched(current, position).sum()) if mode == "replace" else 0,
        result=new if mode == "replace" else _upsert(current, new, position),
        _current=current, _new=new, _position=position,
    )


def _unmatched(current: pd.DataFrame, position: np.ndarray) -> np.ndarray:
    """Current rows the new file does not mention."""
    kept = np.ones(len(current), dtype=bool)
    kept[position[position >= 0]] = False
    return kept


def compare_versions(older: pd.DataFrame, newer: pd.DataFrame) -> Preview:
    """What changed from one version to another: `newer` read as a full replacement of `older`."""
    return preview(older, newer, "replace")


def _key_index(frame: pd.DataFrame, what: str) -> pd.MultiIndex:
    keys = pd.MultiIndex.from_frame(frame[list(KEY)])
    if not keys.is_unique:
        first = keys[keys.duplicated()][0]
        raise ValueError(f"the {what} has a duplicate key {first}")
    return keys


def _differs(old: pd.Series, new: pd.Series) -> np.ndarray:
    if old.name in FLOAT_COLUMNS:
        old_values, new_values = old.to_numpy(), new.to_numpy()
        both_missing = np.isnan(old_values) & np.isnan(new_values)
        return ~((old_values == new_values) | both_missing)
    differs = old.array != new.array  # compared inside arrow, no Python strings
    return np.asarray(differs.to_numpy(dtype=bool, na_value=True) if hasattr(differs, "to_numpy") else differs)


def _as_text(values: pd.Series) -> np.ndarray:
    """Display text for the changes table: numbers in plain form (see `numbers_text`), missing as ''."""
    if values.name in FLOAT_COLUMNS:
        return numbers_text(values.to_numpy())
    return values.to_numpy(dtype=object)


def numbers_text(values: np.ndarray) -> np.ndarray:
    """Plain, shortest round-trip text, never scientific: 57.2 -> '57.2', 7000.0 -> '7000',
    1e-05 -> '0.00001', -3.5 -> '-3.5', NaN -> ''."""
    values = np.asarray(values, dtype="float64")
    out = values.astype(str).astype(object)  # numpy's shortest repr: '57.2', '7000.0', '1e-05'
    whole = np.isfinite(values) & (np.trunc(values) == values) & (np.abs(values) < 1e15)
    out[whole] = values[whole].astype(np.int64).astype(str)
    for i in np.flatnonzero(~whole & np.isfinite(values) & (np.char.find(out.astype(str), "e") >= 0)):
        out[i] = np.format_float_positional(values[i], trim="-")
    out[np.isnan(values)] = ""
    return out


def _whole_rows(rows: pd.DataFrame, change: str, side: str) -> pd.DataFrame:
    """One line per added or removed row, showing its value (with its qualifier) on `side`."""
    value = rows["qualifier"].to_numpy(dtype=object) + numbers_text(rows["value"].to_numpy())
    out = rows[list(KEY)].assign(change=change, field="value", old="", new="")
    out[side] = value
    return out


def _upsert(current: pd.DataFrame, new: pd.DataFrame, position: np.ndarray) -> pd.DataFrame:
    """Current rows in their order, each replaced by the new row with its key; then the new keys."""
    replaced_by = np.full(len(current), -1)
    replaced_by[position[position >= 0]] = np.flatnonzero(position >= 0)
    order = np.where(replaced_by >= 0, len(current) + replaced_by, np.arange(len(current)))
    order = np.concatenate([order, len(current) + np.flatnonzero(position < 0)])
    both = pd.concat([current, new], ignore_index=True)
    return conform(both.take(order).reset_index(drop=True))

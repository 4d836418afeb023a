"""Figures typed on the upload page (issue 9, item 6): one area, one period, one row per indicator.

`entry_grid` is the table the page lets the analyst edit — the store's indicators (id, name and unit, not
editable) with the value, kind, source and note of the chosen area and period (the stored figure where there
is one, else empty); `entry_rows` turns the edited table back into contract rows, as an adapter would, so it
goes through the one validation, preview and commit (`staging.stage_converted`, update mode). A row left
without a value gives no row: it neither adds nor removes anything.

    grid = entry_grid(current, "Xã Kim Hải", next_period(current))
    edited = ...                                        # st.data_editor(grid)
    staged = staging.stage_converted(store, entry_rows(edited, current, "Xã Kim Hải", "2026"), "nhap.csv")

Issues name the grid's own row (1 = its first line) and column, as the analyst sees them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import numpy as np
import pandas as pd

from indicators.i18n import pair
from indicators.ingest.adapters import Converted, Origin, contract_table
from indicators.ingest.cells import parse_period

__all__ = ["ENTRY_COLUMNS", "EDITABLE", "entry_grid", "entry_rows", "next_period"]

#: The grid's columns, in order; the first three are the catalogue's and are shown read-only.
ENTRY_COLUMNS: tuple[str, ...] = ("indicator_id", "indicator", "unit", "value", "kind", "source", "note")
EDITABLE: tuple[str, ...] = ("value", "kind", "source", "note")
ENTRY_KINDS: tuple[str, ...] = ("actual", "estimate")
_CATALOGUE = ("indicator_id", "indicator", "indicator_en", "group", "unit", "direction", "method")


def next_period(current: pd.DataFrame | None, today: dt.date | None = None) -> str:
    """The year after the latest year with a figure that is not a target (this year for an empty store);
    the same rule as the form's default period (`present.forms.chosen_period`)."""
    this_year = str((today or dt.date.today()).year)
    if current is None or not len(current):
        return this_year
    ends = current.loc[(current["kind"] != "target") & current["value"].notna(), "period_end"].dropna()
    return str(int(ends.max().year) + 1) if len(ends) else this_year


def areas(current: pd.DataFrame | None) -> list[str]:
    """The areas of the stored data, in the order they first appear."""
    return [] if current is None else list(dict.fromkeys(current["area"].tolist()))


def _catalogue(current: pd.DataFrame | None) -> pd.DataFrame:
    if current is None or not len(current):
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in _CATALOGUE})
    return current[list(_CATALOGUE)].drop_duplicates("indicator_id").reset_index(drop=True)


def _same_period(current: pd.DataFrame, period: str) -> pd.Series:
    end = parse_period(period)
    same = current["period"] == period
    return same | (current["period_end"] == end) if end is not None else same


def entry_grid(current: pd.DataFrame | None, area: str, period: str) -> pd.DataFrame:
    """One row per stored indicator: ENTRY_COLUMNS, prefilled with the stored figure of `area` and `period`
    (an actual figure before an estimate), else an empty value of kind "actual". Index 1, 2, … (the row
    numbers issues name)."""
    grid = _catalogue(current)[["indicator_id", "indicator", "unit"]].copy()
    grid["value"], grid["kind"], grid["source"], grid["note"] = np.nan, "actual", "", ""
    if current is not None and len(current) and len(grid):
        total = current["breakdown"] == "" if "breakdown" in current.columns else True  # the grid types totals
        stored = current[(current["area"] == area) & current["kind"].isin(ENTRY_KINDS)
                         & _same_period(current, period) & total]
        stored = stored.sort_values("kind").drop_duplicates("indicator_id")  # "actual" sorts first
        found = grid[["indicator_id"]].merge(stored, on="indicator_id", how="left")
        has = found["kind"].notna().to_numpy()
        for column in EDITABLE:
            grid.loc[has, column] = found.loc[has, column].to_numpy()
    grid["value"] = grid["value"].astype("float64")
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    return grid


def _number_text(value: float) -> str:
    return np.format_float_positional(float(value), trim="-")


def entry_rows(grid: pd.DataFrame, current: pd.DataFrame | None, area: str, period: str) -> Converted:
    """The edited grid's filled rows as contract rows (text), each indicator's name, unit, group,
    direction and method taken from the store; an Origin naming the grid's row of each."""
    values = pd.to_numeric(grid["value"], errors="coerce")
    filled = grid[values.notna()]
    position = np.flatnonzero(values.notna().to_numpy()) + 1  # the grid's row numbers, 1-based
    known = _catalogue(current).set_index("indicator_id")
    ids = filled["indicator_id"].astype(str).tolist()

    def stored(column: str) -> list[str]:
        return ["" if i not in known.index else str(known.at[i, column] or "") for i in ids]

    columns = {
        "indicator_id": ids,
        "indicator": stored("indicator"),
        "indicator_en": stored("indicator_en"),
        "group": stored("group"),
        "unit": stored("unit"),
        "area": [area] * len(ids),
        "period": [period] * len(ids),
        "kind": filled["kind"].fillna("").astype(str).tolist(),
        "value": [_number_text(v) for v in values[values.notna()]],
        "direction": stored("direction"),
        "method": stored("method"),
        "source": filled["source"].fillna("").astype(str).str.strip().tolist(),
        "note": filled["note"].fillna("").astype(str).str.strip().tolist(),
    }
    digest = hashlib.sha256(json.dumps(columns, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    raw = contract_table(columns, sha256=digest)  # equal figures, equal digest: the page stages them once
    where = np.asarray(position, dtype=np.int64)
    origin = Origin(rows={"*": where}, columns={"*": np.full(len(where), -1, dtype=np.int64)})
    return Converted(raw, "entry", pair("detected_entry", rows=len(ids), area=area, period=period), origin)

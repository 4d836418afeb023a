"""A wide table's mapping as the analyst corrected it on the upload page (issue 9, item 2).

The page shows the adapter's `Mapping` (ingest/adapters/wide.py) in two editable tables; `with_edits` puts
the edited fields back into a copy of it — the roles, periods, kinds and areas of the columns; the roles,
indicators, units, groups and directions of the rows — so `Options(mapping=…)` applies exactly what the
analyst saw. A row whose indicator id the analyst changed to one the store has takes that indicator's stored
name, unit, group and direction (the series the dashboard shows already, as a match by name would); one
changed to an id the store lacks is a new indicator, its fields as typed. `changed_aliases` lists the rows
whose id the analyst changed, to be saved as aliases so the next file's row of that label matches by itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from indicators.ingest.adapters import Catalogue

__all__ = ["COLUMN_EDITABLE", "ROW_EDITABLE", "changed_aliases", "with_edits"]

COLUMN_EDITABLE: tuple[str, ...] = ("role", "period", "kind", "area", "indicator_id", "breakdown")
ROW_EDITABLE: tuple[str, ...] = ("role", "indicator_id", "indicator", "unit", "group", "direction", "area")
STORED: tuple[str, ...] = ("indicator", "unit", "group", "direction")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text, "" for empty (a cleared selectbox gives None)."""
    return frame[column].fillna("").astype(str).str.strip().reset_index(drop=True)


def with_edits(mapping: Any, columns: pd.DataFrame, rows: pd.DataFrame, catalogue: Catalogue | None = None) -> Any:
    """A copy of `mapping` with the editable fields of the edited tables (same rows in the same order)."""
    if len(columns) != len(mapping.columns) or len(rows) != len(mapping.rows):
        raise ValueError("the edited tables must keep the mapping's rows")
    new_columns, new_rows = mapping.columns.copy().reset_index(drop=True), mapping.rows.copy().reset_index(drop=True)
    for name in COLUMN_EDITABLE:
        if name in columns.columns and name in new_columns.columns:
            new_columns[name] = _text(columns, name).to_numpy()
    before = _text(new_rows, "indicator_id")
    for name in ROW_EDITABLE:
        if name in rows.columns and name in new_rows.columns:
            new_rows[name] = _text(rows, name).to_numpy()
    catalogue = catalogue or Catalogue()
    for i in (before != _text(new_rows, "indicator_id")).to_numpy().nonzero()[0]:
        ident = str(new_rows.at[i, "indicator_id"])
        stored = catalogue.get(ident) if ident else None
        if "match" in new_rows.columns:
            new_rows.at[i, "match"] = "id" if stored else ("new" if ident else "")
        for name, value in (stored or {}).items():
            if name in STORED and name in new_rows.columns and str(value or ""):
                new_rows.at[i, name] = str(value)
    return replace(mapping, columns=new_columns, rows=new_rows)


def changed_aliases(proposed: Any, edited: Any) -> dict[str, str]:
    """{label as written: indicator_id} of the indicator rows whose id differs from the proposal's."""
    if proposed is None:
        return {}
    before = dict(zip(proposed.rows["row"].tolist(), _text(proposed.rows, "indicator_id"), strict=True))
    out: dict[str, str] = {}
    for row, role, label, ident in zip(edited.rows["row"].tolist(), _text(edited.rows, "role"),
                                       _text(edited.rows, "label"), _text(edited.rows, "indicator_id"), strict=True):
        if role == "indicator" and ident and label and before.get(row, "") != ident:
            out[label] = ident
    return out

"""Figures typed on the upload page (ingest/entry.py): the grid prefilled from the store, the edited grid
back to contract rows through the one validation, issues naming the grid's rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from indicators.ingest.entry import ENTRY_COLUMNS, entry_grid, entry_rows, next_period
from indicators.ingest.validate import validate_bytes
from indicators.store import staging
from indicators.store.versions import Store
from tests.apptest import SHIPPED


def shipped() -> pd.DataFrame:
    checked = validate_bytes(SHIPPED, "kim_son.csv")
    assert checked.frame is not None
    return checked.frame


def test_next_period_is_the_year_after_the_latest_figure() -> None:
    current = shipped()
    assert next_period(current) == "2026"  # the latest actual or estimate is of 2025
    assert next_period(None, today=dt.date(2027, 3, 1)) == "2027"


def test_the_grid_lists_every_indicator_with_the_stored_figure_of_the_period() -> None:
    current = shipped()
    grid = entry_grid(current, "Huyện Kim Sơn", "2022")
    assert tuple(grid.columns) == ENTRY_COLUMNS and list(grid.index[:2]) == [1, 2]
    assert len(grid) == current["indicator_id"].nunique()
    row = grid[grid["indicator_id"] == "xa_dat_chuan_ntm"].iloc[0]
    assert (row["value"], row["kind"], row["unit"]) == (23.0, "actual", "xã")
    empty = entry_grid(current, "Huyện Kim Sơn", "2031")
    assert empty["value"].isna().all() and set(empty["kind"]) == {"actual"} and set(empty["source"]) == {""}


def test_typed_values_become_rows_and_empty_ones_give_none(store: Store) -> None:
    current = shipped()
    store.commit(current, user="lan", comment="seed", filename="kim_son.csv", sha256="a" * 64)
    grid = entry_grid(current, "Xã Kim Hải", "2026")
    grid.loc[1, ["value", "source"]] = [21.5, "Báo cáo xã Kim Hải"]
    grid.loc[3, ["value", "kind", "source", "note"]] = [0.000125, "estimate", "  Ước tính  ", "sơ bộ"]
    converted = entry_rows(grid, current, "Xã Kim Hải", "2026")
    assert converted.raw.n_rows == 2 and "2 chỉ tiêu" in converted.detected[0]
    staged = staging.stage_converted(store, converted, "nhap_kim_hai_2026.csv")
    assert staged.valid, staged.report.to_lines("en")
    assert staged.mode == "update" and staged.counts() == {"new": 2, "changed": 0, "unchanged": 0,
                                                           "removed": 0}
    frame = staged.checked.frame
    first = grid.loc[1, "indicator_id"]
    stored = current[current["indicator_id"] == first].iloc[0]
    row = frame[frame["indicator_id"] == first].iloc[0]
    assert (row["value"], row["unit"], row["group"], row["direction"]) == (
        21.5, stored["unit"], stored["group"], stored["direction"])
    assert list(frame["row"]) == [1, 3] and frame["value"].iloc[1] == 0.000125
    assert frame["source"].iloc[1] == "Ước tính" and frame["kind"].iloc[1] == "estimate"
    info = staging.commit(store, staged, user="lan", comment="nhập tay")
    assert info.new == 2 and len(store.load()) == len(current) + 2


def test_an_issue_names_the_grid_row() -> None:
    current = shipped()
    grid = entry_grid(current, "Xã Kim Hải", "2026")
    grid.loc[2, "value"] = 5.0  # no source
    grid.loc[4, ["value", "source", "kind"]] = [np.float64(7), "x", "target?"]
    converted = entry_rows(grid, current, "Xã Kim Hải", "2026")
    from indicators.ingest.validate import relocate, validate_table

    checked = relocate(validate_table(converted.raw, decimal=".", current=current), converted)
    found = {(i.code, i.row, i.column) for i in checked.report.errors}
    assert ("missing_value", 2, "source") in found and ("unknown_kind", 4, "kind") in found
    assert any("dòng 2" in i.to_line("vi") for i in checked.report.errors)

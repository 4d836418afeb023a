"""The analyst's corrections put back into a report table's mapping (ingest/mapping_edit.py): the edited
fields taken as typed, a row pointed at a stored indicator taking its stored fields, the aliases to save."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.ingest.adapters import Catalogue, Options, wide
from indicators.ingest.mapping_edit import changed_aliases, with_edits
from indicators.ingest.validate import validate_bytes
from tests.apptest import ROOT, SHIPPED

BIEU = ROOT / "tests" / "fixtures" / "bieu" / "simple.csv"


@pytest.fixture(scope="module")
def current() -> pd.DataFrame:
    frame = validate_bytes(SHIPPED, "kim_son.csv").frame
    assert frame is not None
    return frame


def proposed(current: pd.DataFrame) -> wide.Mapping:
    converted = wide.convert(BIEU.read_bytes(), BIEU.name, Options(catalogue=Catalogue.of(current)))
    return converted.mapping


def at(mapping: wide.Mapping, label: str) -> int:
    return int(mapping.rows.index[mapping.rows["label"] == label][0])


def test_edited_fields_are_taken_and_the_rest_kept(current: pd.DataFrame) -> None:
    mapping = proposed(current)
    columns, rows = mapping.columns.copy(), mapping.rows.copy()
    columns.loc[5, "kind"] = "actual"
    food = at(mapping, "Tổng sản lượng lương thực")
    rows.loc[food, ["direction", "unit"]] = ["increase", " tấn thóc "]
    rows["label"] = "read-only: not taken"
    rows.loc[0, "group"] = None  # a cleared cell
    edited = with_edits(mapping, columns, rows, Catalogue.of(current))
    assert edited is not mapping and mapping.columns.loc[5, "kind"] == "estimate"  # the proposal is untouched
    assert edited.columns.loc[5, "kind"] == "actual"
    assert (edited.rows.loc[food, "direction"], edited.rows.loc[food, "unit"]) == ("increase", "tấn thóc")
    assert edited.rows.loc[0, "group"] == "" and list(edited.rows["label"]) == list(mapping.rows["label"])
    assert (edited.table, edited.signature) == (mapping.table, mapping.signature)


def test_a_row_pointed_at_a_stored_indicator_takes_its_fields(current: pd.DataFrame) -> None:
    mapping = proposed(current)
    rows = mapping.rows.copy()
    poor, schools = at(mapping, "Tỷ lệ hộ nghèo"), at(mapping, "Số trường đạt chuẩn quốc gia")
    rows.loc[poor, "indicator_id"] = "ty_le_ho_ngheo"
    rows.loc[schools, "indicator_id"] = "truong_chuan_moi"  # an id the store lacks: a new indicator
    edited = with_edits(mapping, mapping.columns, rows, Catalogue.of(current))
    row = edited.rows.loc[poor]
    assert (row["match"], row["unit"], row["group"], row["direction"]) == ("id", "%", "Xã hội", "decrease")
    assert row["indicator"] == "Tỷ lệ hộ nghèo (chuẩn nghèo đa chiều 2021–2025)"
    assert edited.rows.loc[schools, "match"] == "new"
    assert edited.rows.loc[schools, "indicator"] == mapping.rows.loc[schools, "indicator"]
    assert changed_aliases(mapping, edited) == {"Tỷ lệ hộ nghèo": "ty_le_ho_ngheo",
                                                "Số trường đạt chuẩn quốc gia": "truong_chuan_moi"}
    assert changed_aliases(mapping, mapping) == {} and changed_aliases(None, edited) == {}


def test_the_edited_tables_keep_the_mapping_rows(current: pd.DataFrame) -> None:
    mapping = proposed(current)
    with pytest.raises(ValueError):
        with_edits(mapping, mapping.columns, mapping.rows.iloc[:-1])


def test_the_edited_mapping_converts_exactly(current: pd.DataFrame) -> None:
    mapping = proposed(current)
    rows = mapping.rows.copy()
    rows.loc[at(mapping, "Tỷ lệ hộ nghèo"), "indicator_id"] = "ty_le_ho_ngheo"
    rows.loc[at(mapping, "Tổng sản lượng lương thực"), "direction"] = "increase"
    edited = with_edits(mapping, mapping.columns, rows, Catalogue.of(current))
    checked = validate_bytes(BIEU.read_bytes(), BIEU.name, current=current, options=Options(mapping=edited))
    assert checked.report.valid, checked.report.to_lines("en")
    frame = checked.frame
    assert set(frame["indicator_id"]) >= {"ty_le_ho_ngheo", "tong_san_luong_luong_thuc"}
    poor = frame[frame["indicator_id"] == "ty_le_ho_ngheo"]
    assert set(poor["direction"]) == {"decrease"} and set(poor["row"]) == {9}

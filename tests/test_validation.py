"""Validation: one fixture per failure mode, the same frame from every good variant, and the report's shapes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from indicators import frame as frame_schema
from indicators.ingest.validate import InvalidDataError, load_file, validate_bytes

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = "indicator_id,indicator,group,unit,area,period,kind,value,direction,source\n"
ROW = "ho_ngheo,Tỷ lệ hộ nghèo,Xã hội,%,Huyện Kim Sơn,{period},{kind},{value},decrease,Báo cáo\n"

# fixture, code, Excel row, column (None: file-level or whole-row issues)
BAD = [
    ("duplicate_key.csv", "duplicate_key", 4, None),
    ("ambiguous_number.csv", "ambiguous_number", 3, "value"),
    ("conflicting_decimal.csv", "conflicting_decimal", 4, "value"),
    ("unclosed_quote.csv", "unclosed_quote", 3, None),
    ("too_many_cells.csv", "too_many_cells", 3, None),
    ("totals_row.csv", "missing_indicator_id", 4, "indicator_id"),
    ("missing_column.csv", "missing_column", None, "source"),
    ("bad_period.csv", "bad_period", 3, "period"),
    ("bad_number.csv", "bad_number", 3, "value"),
    ("bad_indicator_id.csv", "bad_indicator_id", 3, "indicator_id"),
    ("unknown_kind.csv", "unknown_kind", 3, "kind"),
    ("unknown_direction.csv", "unknown_direction", 3, "direction"),
    ("inconsistent_unit.csv", "inconsistent_indicator", 3, "unit"),
    ("target_without_direction.csv", "target_without_direction", 3, "direction"),
    ("missing_value.csv", "missing_value", 3, "area"),
    ("no_rows.csv", "no_rows", None, None),
    ("empty.csv", "empty_file", None, None),
    ("binary.bin", "not_a_table", None, None),
    ("not_a_workbook.xlsx", "not_a_table", None, None),
]
UNREADABLE = {"unclosed_quote", "empty_file", "not_a_table"}


@pytest.mark.parametrize(("name", "code", "row", "column"), BAD)
def test_each_bad_fixture_gives_its_code_at_its_cell(name: str, code: str, row: int | None, column: str | None) -> None:
    result = validate_bytes((FIXTURES / "bad" / name).read_bytes(), name)
    assert not result.report.valid
    assert [(i.code, i.row, i.column) for i in result.report.errors] == [(code, row, column)]
    assert result.unreadable == (code in UNREADABLE)
    assert (result.frame is None) == result.unreadable


def test_every_bad_fixture_is_tested() -> None:
    assert {p.name for p in (FIXTURES / "bad").iterdir()} - {b[0] for b in BAD} == {"blank_row.csv"}


def test_duplicate_key_names_both_rows_and_treats_a_year_as_its_31_december() -> None:
    issue = validate_bytes((FIXTURES / "bad" / "duplicate_key.csv").read_bytes(), "d.csv").report.errors[0]
    assert "row 2" in issue.message_en and "Row 4" in issue.message_en and "dòng 2" in issue.message_vi


def test_ambiguous_number_asks_for_the_convention_which_then_settles_it() -> None:
    data = (FIXTURES / "bad" / "ambiguous_number.csv").read_bytes()
    first = validate_bytes(data, "a.csv")
    assert first.needs_decimal and first.decimal is None and np.isnan(first.frame["value"].iloc[1])
    assert validate_bytes(data, "a.csv", decimal=",").frame["value"].tolist() == [900.0, 1234.0]
    assert validate_bytes(data, "a.csv", decimal=".").frame["value"].tolist() == [900.0, 1.234]


def test_the_files_own_evidence_settles_a_grouped_number() -> None:
    data = (HEADER + ROW.format(period=2020, kind="baseline", value="1.234")
            + ROW.format(period=2021, kind="actual", value='"57,2"')).encode()
    result = validate_bytes(data, "e.csv")
    assert result.report.valid and result.decimal == ","
    assert result.frame["value"].tolist() == [1234.0, 57.2]


def test_an_explicit_convention_rejects_numbers_written_the_other_way() -> None:
    data = (HEADER + ROW.format(period=2020, kind="baseline", value='"57,2"')).encode()
    result = validate_bytes(data, "e.csv", decimal=".")
    assert [(i.code, i.row, i.value) for i in result.report.errors] == [("bad_number", 2, "57,2")]
    assert "decimal separator '.'" in result.report.errors[0].message_en


def test_blank_rows_are_skipped_with_a_warning_but_trailing_ones_silently() -> None:
    data = (FIXTURES / "bad" / "blank_row.csv").read_bytes() + b",,,,,,,,,\n\n"
    result = validate_bytes(data, "b.csv")
    assert result.report.valid
    assert [(i.code, i.row, i.severity) for i in result.report.issues] == [("blank_row", 3, "warning")]
    assert result.frame["row"].tolist() == [2, 4] and result.report.rows == 2


def test_all_failures_are_listed_not_only_the_first() -> None:
    data = (HEADER + ROW.format(period="2011-2023", kind="dự báo", value="abc")
            + ",Tổng cộng,,,,,,12,,\n" + ROW.format(period=2025, kind="target", value="x")).encode()
    errors = validate_bytes(data, "m.csv").report.errors
    assert sorted((i.row, i.code) for i in errors) == [
        (2, "bad_number"), (2, "bad_period"), (2, "unknown_kind"), (3, "missing_indicator_id"), (4, "bad_number")]


def test_empty_per_indicator_cells_take_the_indicators_value() -> None:
    data = (HEADER + ROW.format(period=2020, kind="baseline", value=3)
            + "ho_ngheo,,,,Huyện Kim Sơn,2025,target,1,,Báo cáo\n").encode()
    result = validate_bytes(data, "f.csv")
    assert result.report.valid, result.report.to_dict("en")
    assert result.frame[["indicator", "group", "unit", "direction"]].iloc[1].tolist() == [
        "Tỷ lệ hộ nghèo", "Xã hội", "%", "decrease"]


def test_direction_words_agree_by_meaning() -> None:
    data = (HEADER + ROW.format(period=2020, kind="baseline", value=3)
            + ROW.format(period=2025, kind="mục tiêu", value=1).replace("decrease", "giảm")).encode()
    result = validate_bytes(data, "w.csv")
    assert result.report.valid and result.frame["direction"].tolist() == ["decrease", "decrease"]
    assert result.frame["kind"].tolist() == ["baseline", "target"]


def test_large_change_against_the_current_version_is_a_warning() -> None:
    current = validate_bytes((HEADER + ROW.format(period=2022, kind="actual", value=4)
                              + ROW.format(period=2023, kind="actual", value=3)).encode(), "c.csv").frame
    new = (HEADER + ROW.format(period=2022, kind="actual", value=4.5) + ROW.format(period=2023, kind="actual", value=7)
           + ROW.format(period=2024, kind="actual", value=5)).encode()  # a new key: no large_change
    result = validate_bytes(new, "n.csv", current=current)
    assert result.report.valid
    assert [(i.code, i.row, i.value, i.severity) for i in result.report.issues] == [("large_change", 3, "7", "warning")]


def test_issues_are_capped_per_code_with_a_count_of_the_rest() -> None:
    rows = "".join(f"x{i},X,G,u,A,2020,actual,bad,,s\n" for i in range(1003))
    result = validate_bytes((HEADER + rows).encode(), "many.csv")
    assert len(result.report.errors) == 1001
    assert {i.code for i in result.report.errors} == {"bad_number"}
    assert result.report.errors[-1].row is None and result.report.errors[-1].value == "+3"
    assert "3 more rows" in result.report.errors[-1].message_en


def good_files() -> dict[str, bytes]:
    """The committed variants plus an XLSX written here: numbers as Excel numbers, years as integers."""
    files = {p.name: p.read_bytes() for p in (FIXTURES / "good").iterdir()}
    frame = pd.read_csv(FIXTURES / "good" / "utf8_bom_comma.csv", dtype=str, keep_default_na=False)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    numbers = {"45.5": 45.5, "57.2": 57.2, "23": 23, "1,234,567.5": 1234567.5}
    for record in frame.itertuples(index=False):
        sheet.append([numbers.get(cell, cell) if name in ("value", "of_total") else
                      (int(cell) if name == "period" and cell.isdigit() else cell)
                      for name, cell in zip(frame.columns, record, strict=True)])
    out = io.BytesIO()
    book.save(out)
    files["openpyxl.xlsx"] = out.getvalue()
    return files


def test_every_good_variant_gives_the_same_typed_frame() -> None:
    files = good_files()
    assert len(files) == 5
    results = {name: validate_bytes(data, name) for name, data in files.items()}
    reference = results["utf8_bom_comma.csv"].frame
    for name, result in results.items():
        assert result.report.valid and not result.report.issues, (name, result.report.to_dict("en"))
        pd.testing.assert_frame_equal(result.frame, reference, obj=name)
    assert {r.encoding for r in results.values()} == {"utf-8-sig", "utf-8", "utf-16", "cp1258", "xlsx"}


def test_the_typed_frame_itself() -> None:
    frame = validate_bytes((FIXTURES / "good" / "utf8_bom_comma.csv").read_bytes(), "g.csv").frame
    assert list(frame.columns) == list(frame_schema.FRAME_COLUMNS)
    pd.testing.assert_frame_equal(frame_schema.conform(frame), frame)
    assert frame["row"].tolist() == list(range(2, 9))
    assert frame["value"].tolist() == [45.5, 57.2, 70.0, 23.0, 1234567.5, 1.5, 1.0]
    assert frame["qualifier"].tolist() == ["", "", "~", "", "", ">=", "<"]
    assert frame["of_total"].isna().tolist() == [True, True, True, False, True, True, True]
    assert frame["note"].tolist() == ["", "NA", "None", "001", "", "", ""]
    assert frame["period_end"].dt.strftime("%Y-%m-%d").tolist() == [
        "2020-12-31", "2022-12-31", "2025-12-31", "2023-10-31", "2023-06-30", "2023-12-31", "2025-12-31"]
    assert frame["method"].tolist() == ["", "", "", "", "cagr", "", "linear"]


def test_report_shapes() -> None:
    report = validate_bytes((FIXTURES / "bad" / "bad_period.csv").read_bytes(), "p.csv").report
    shape = json.loads(json.dumps(report.to_dict("en")))
    assert shape == {"valid": False, "rows": 2, "warnings": [], "errors": [
        {"row": 3, "column": "period", "value": "2011-2023", "code": "bad_period",
         "message": "'2011-2023' is not a period: use YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY."}]}
    assert report.to_dict()["errors"][0]["message"].startswith("'2011-2023' không phải kỳ")
    table = report.to_frame("en")
    assert list(table.columns) == ["severity", "row", "column", "value", "code", "message"]
    assert table["row"].dtype == "Int64" and table.loc[0, "severity"] == "error"


def test_progress_is_reported_up_to_one() -> None:
    seen: list[float] = []
    validate_bytes((FIXTURES / "good" / "utf8_bom_comma.csv").read_bytes(), "g.csv",
                   progress=lambda fraction, message: seen.append(fraction))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_load_file_raises_a_value_error_listing_the_first_problems(tmp_path: Path) -> None:
    with pytest.raises(InvalidDataError) as caught:
        load_file(FIXTURES / "bad" / "bad_period.csv")
    assert isinstance(caught.value, ValueError) and "row 3, column period: '2011-2023'" in str(caught.value)
    assert caught.value.report.errors[0].code == "bad_period"
    assert len(load_file(FIXTURES / "good" / "semicolon_decimal_comma_vi.csv")) == 7


@pytest.mark.parametrize("name", ["kim_son_2020_2025.csv", "ninh_binh_2025_2030.csv"])
def test_the_shipped_data_is_valid(name: str) -> None:
    from indicators import paths

    path = next(p for p in paths.SHIPPED_DATA if p.name == name)
    result = validate_bytes(path.read_bytes(), path.name)
    assert result.report.valid, result.report.to_lines("en")[:5]
    # every contract column the file has is read (a column left out would be a warning)
    assert not [i for i in result.report.issues if i.code == "unknown_column"], result.report.to_lines("en")


def test_header_problems_and_nothing_more_when_indicator_id_is_missing() -> None:
    data = ("indicator,unit,area,period,kind,value,Giá trị,source,Người nhập\n"
            "A,%,X,2020,actual,1,1,s,Lan\nB,kg,X,2020,actual,2,2,s,Lan\n").encode()
    issues = validate_bytes(data, "h.csv").report.issues
    assert sorted((i.code, i.severity, i.column, i.value) for i in issues) == [
        ("duplicate_column", "error", "value", "Giá trị"),
        ("missing_column", "error", "indicator_id", ""),
        ("unknown_column", "warning", None, "Người nhập"),
    ]

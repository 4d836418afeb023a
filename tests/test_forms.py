"""The "biểu mẫu" (present/forms.py) and reading it back (ingest/adapters/template.py).

The form is opened with openpyxl and its layout, drop-down lists, protection and print setup asserted as
an analyst would find them in Excel; then it is filled in with openpyxl as a commune would (numbers, a
decimal-comma text "1,2", a word from a list) and read back through `validate_bytes` with no mapping.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from indicators.ingest.adapters import Options, convert_bytes, detect
from indicators.ingest.validate import validate_bytes
from indicators.present.forms import LATEST_COLUMNS, TemplateError, build_template, sheet_title

STORE = """indicator_id,indicator,group,unit,area,period,kind,value,of_total,direction,source
thu_nhap,Thu nhập bình quân đầu người,Kinh tế,triệu đồng/người/năm,Xã Kim Hải,2021,actual,45,,increase,BC
thu_nhap,Thu nhập bình quân đầu người,Kinh tế,triệu đồng/người/năm,Xã Kim Hải,2022,actual,50.1,,increase,BC
thu_nhap,Thu nhập bình quân đầu người,Kinh tế,triệu đồng/người/năm,Xã Kim Hải,2023,actual,55,,increase,BC
thu_nhap,Thu nhập bình quân đầu người,Kinh tế,triệu đồng/người/năm,Xã Kim Hải,2024,estimate,57.2,,increase,BC
thu_nhap,Thu nhập bình quân đầu người,Kinh tế,triệu đồng/người/năm,Xã Kim Hải,2025,target,70,,increase,BC
ho_ngheo,Tỷ lệ hộ nghèo,Xã hội,%,Xã Kim Hải,2023,actual,< 1.5,,decrease,BC
thon_ntm,Số thôn đạt chuẩn NTM,Nông thôn mới,thôn,Xã Kim Hải,31/10/2023,actual,15,23,,BC
ho_ngheo,Tỷ lệ hộ nghèo,Xã hội,%,Xã Hồi Ninh,2023,actual,2.5,,decrease,BC
la,"=HYPERLINK(""http://x"")",Xã hội,người,Huyện Kim Sơn,2023,actual,3,,increase,BC
"""
# Xã Kim Hải's sheet: A STT, B id, C name, D group, E unit, F direction, G-I the three latest, J target,
# K the entry figure, L kind, M source, N note. Row 6 is the header; 7, 9, 11 group headings.
HEADER = ["STT", "Mã chỉ tiêu", "Chỉ tiêu", "Nhóm", "Đơn vị tính", "Chiều hướng", "TH 2022", "TH 2023",
          "Ước 2024", "Mục tiêu 2025", "Số liệu 2025", "Loại", "Nguồn", "Ghi chú"]


@pytest.fixture(scope="module")
def current() -> pd.DataFrame:
    result = validate_bytes(STORE.encode(), "store.csv")
    assert result.report.valid, result.report.to_lines("en")
    assert result.frame is not None
    return result.frame


@pytest.fixture(scope="module")
def form(current: pd.DataFrame) -> bytes:
    return build_template(current, areas=["Xã Kim Hải", "Xã Hồi Ninh", "Xã Mới"])


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(sheet: Worksheet, row: int) -> list[object]:
    return [c.value for c in sheet[row]]


# --- the form as Excel shows it -------------------------------------------------------------------
def test_one_sheet_per_area_instructions_first_meta_very_hidden(form: bytes) -> None:
    book = _book(form)
    assert book.sheetnames == ["Hướng dẫn", "Xã Kim Hải", "Xã Hồi Ninh", "Xã Mới", "_meta"]
    assert [s.sheet_state for s in book] == ["visible"] * 4 + ["veryHidden"]
    assert book.security is not None and book.security.lockStructure  # sheets keep the names _meta records
    help_text = " ".join(str(c.value) for c in book["Hướng dẫn"]["A"] if c.value)
    for words in ("57,2", "“ước”", "ô nền vàng", "gửi lại"):
        assert words in help_text


def test_area_sheet_layout_latest_values_and_target(form: bytes) -> None:
    sheet = _book(form)["Xã Kim Hải"]
    assert sheet["A1"].value == "BIỂU MẪU BÁO CÁO CHỈ TIÊU KINH TẾ – XÃ HỘI"
    assert sheet["A2"].value == "Địa bàn: Xã Kim Hải" and sheet["A3"].value == "Kỳ báo cáo: 2025"
    assert _row(sheet, 6) == HEADER  # the last three year × kind columns: 2021 is left out
    assert LATEST_COLUMNS == 3
    assert _row(sheet, 7)[:3] == ["I", None, "Kinh tế"]  # groups in the store's order, as headings
    assert _row(sheet, 8) == ["1", "thu_nhap", "Thu nhập bình quân đầu người", "Kinh tế", "triệu đồng/người/năm",
                              "tăng", 50.1, 55, 57.2, 70, None, None, None, None]
    assert _row(sheet, 9)[:3] == ["II", None, "Xã hội"]
    assert _row(sheet, 10)[:8] == ["1", "ho_ngheo", "Tỷ lệ hộ nghèo", "Xã hội", "%", "giảm", None, 1.5]
    assert sheet["H10"].number_format == '"< "General'  # the qualifier around a number
    assert _row(sheet, 12)[:8] == ["1", "thon_ntm", "Số thôn đạt chuẩn NTM", "Nông thôn mới", "thôn", None, None, 15]
    assert sheet["H12"].number_format == 'General"/23"' and "31/10/2023" in sheet["H12"].comment.text
    assert isinstance(sheet["G8"].value, float) and sheet["B8"].data_type == "s"  # numbers as numbers, ids as text


def test_protection_locks_all_but_the_entry_cells(form: bytes) -> None:
    sheet = _book(form)["Xã Kim Hải"]
    assert sheet.protection.sheet and not sheet.protection.password
    for ref in ("A6", "K6", "B8", "C8", "F8", "G8", "J8", "F10", "A1"):
        assert sheet[ref].protection.locked, ref
    for ref in ("K8", "L8", "M8", "N8", "K12", "F12"):  # F12: the store has no direction for thon_ntm
        assert not sheet[ref].protection.locked, ref
    assert sheet["K7"].protection.locked  # a group heading takes no figure


def test_drop_down_lists_for_kind_and_direction(form: bytes) -> None:
    sheet = _book(form)["Xã Kim Hải"]
    lists = {v.formula1: {str(r) for r in v.sqref.ranges} for v in sheet.data_validations.dataValidation}
    assert all(v.type == "list" and v.showErrorMessage for v in sheet.data_validations.dataValidation)
    assert lists['"thực hiện,ước"'] == {"L8", "L10", "L12"}
    assert lists['"tăng,giảm"'] == {"F12"}


def test_prints_landscape_fit_to_width(form: bytes) -> None:
    sheet = _book(form)["Xã Kim Hải"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0 and sheet.print_title_rows == "$6:$6"
    assert sheet["C8"].alignment.wrap_text and sheet.column_dimensions["C"].width >= 30


def test_an_area_the_store_does_not_hold_lists_every_indicator(form: bytes) -> None:
    sheet = _book(form)["Xã Mới"]
    ids = [c.value for c in sheet["B"][6:] if c.value]
    assert ids == ["thu_nhap", "ho_ngheo", "la", "thon_ntm"]
    assert _row(sheet, 6)[6:] == ["Số liệu 2025", "Loại", "Nguồn", "Ghi chú"]  # no figures, no target


def test_formula_like_names_stay_text(form: bytes) -> None:
    sheet = _book(form)["Xã Mới"]
    cell = next(c for c in sheet["C"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_chosen_indicators_period_and_english(current: pd.DataFrame) -> None:
    book = _book(build_template(current, areas=["Xã Hồi Ninh"], period="2026-06", lang="en",
                                indicators=["ho_ngheo", "thu_nhap"]))
    assert book.sheetnames == ["Instructions", "Xã Hồi Ninh", "_meta"]
    sheet = book["Xã Hồi Ninh"]
    assert _row(sheet, 6) == ["No.", "Indicator id", "Indicator", "Group", "Unit", "Direction", "Actual 2023",
                              "Figure 2026-06", "Kind", "Source", "Note"]
    assert [c.value for c in sheet["B"][6:] if c.value] == ["thu_nhap", "ho_ngheo"]  # in group order
    assert sheet.data_validations.dataValidation[0].formula1 == '"actual,estimate"'


def test_default_areas_are_the_stores(current: pd.DataFrame) -> None:
    assert _book(build_template(current)).sheetnames[1:-1] == ["Xã Kim Hải", "Xã Hồi Ninh", "Huyện Kim Sơn"]


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"areas": []}, "no area"),
    ({"period": "năm sau"}, "'năm sau' is not a period"),
    ({"indicators": ["khong_co"]}, "khong_co"),
])
def test_what_cannot_be_built_is_a_clear_error(current: pd.DataFrame, kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(TemplateError) as error:
        build_template(current, **kwargs)  # type: ignore[arg-type]
    assert words in str(error.value) and error.value.message("vi")


def test_an_empty_store_needs_areas() -> None:
    with pytest.raises(TemplateError):
        build_template(None)
    book = _book(build_template(None, areas=["Xã Mới"], period="2026"))
    assert _row(book["Xã Mới"], 6)[-4:] == ["Số liệu 2026", "Loại", "Nguồn", "Ghi chú"]


@pytest.mark.parametrize(("name", "taken", "title"), [
    ("Xã Kim Hải", set(), "Xã Kim Hải"),
    ("A/B: [C]*?", set(), "A B C"),
    ("'Quoted'", set(), "Quoted"),
    ("x" * 40, set(), "x" * 31),
    ("x" * 40, {"x" * 31}, "x" * 27 + " (2)"),
    ("HISTORY", set(), "HISTORY (2)"),
    ("x" * 30 + " y", set(), "x" * 30),  # no space left at the end of a cut
    ("x" * 30 + "'y", set(), "x" * 30),
    ("Xa\u0303 Kim Ha\u0309i", set(), "Xã Kim Hải"),  # decomposed accents: composed, as read back
    ("", set(), "Sheet"),
])
def test_sheet_titles_are_excel_safe_and_unique(name: str, taken: set[str], title: str) -> None:
    assert sheet_title(name, set(taken)) == title


# --- filled in and read back ----------------------------------------------------------------------
def _filled(form: bytes) -> bytes:
    book = _book(form)
    sheet = book["Xã Kim Hải"]
    sheet["K8"], sheet["L8"] = 61.5, "ước"  # a number, as Excel stores what the commune typed
    sheet["K10"], sheet["M10"], sheet["N10"] = "57,2", "BC số 5/UBND", "sơ bộ"  # decimal-comma text
    sheet["K12"], sheet["F12"] = 16, "tăng"
    book["Xã Hồi Ninh"]["H8"] = "< 2"  # a qualifier, in the second area's sheet (one latest column)
    return _saved(book)


def test_round_trip_reads_every_filled_cell_with_no_mapping(form: bytes) -> None:
    data = _filled(form)
    assert detect(data, "xa.xlsx") == "template"
    result = validate_bytes(data, "xa.xlsx")
    assert result.format == "template" and result.report.valid, result.report.to_lines("en")
    assert result.detected is not None and "Update by key" in result.detected[1] and "4 figures" in result.detected[1]
    columns = ["row", "indicator_id", "indicator", "unit", "group", "direction", "area", "period", "kind", "value",
               "qualifier", "source", "note"]
    got = result.frame[columns].astype({"value": float}).reset_index(drop=True)  # type: ignore[index]
    expected = pd.DataFrame([
        [8, "thu_nhap", "Thu nhập bình quân đầu người", "triệu đồng/người/năm", "Kinh tế", "increase", "Xã Kim Hải",
         "2025", "estimate", 61.5, "", "Biểu mẫu xa.xlsx", ""],
        [10, "ho_ngheo", "Tỷ lệ hộ nghèo", "%", "Xã hội", "decrease", "Xã Kim Hải", "2025", "actual", 57.2, "",
         "BC số 5/UBND", "sơ bộ"],
        [12, "thon_ntm", "Số thôn đạt chuẩn NTM", "thôn", "Nông thôn mới", "increase", "Xã Kim Hải", "2025", "actual",
         16.0, "", "Biểu mẫu xa.xlsx", ""],
        [8, "ho_ngheo", "Tỷ lệ hộ nghèo", "%", "Xã hội", "decrease", "Xã Hồi Ninh", "2025", "actual", 2.0, "<",
         "Biểu mẫu xa.xlsx", ""],
    ], columns=columns)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_origin_names_each_values_sheet_and_cell(form: bytes) -> None:
    converted = convert_bytes(_filled(form), "xa.xlsx", Options())
    assert converted.format == "template" and converted.origin is not None
    cells = [(converted.origin.sheet_of(i), converted.origin.cell("value", i)) for i in range(4)]
    assert cells == [("Xã Kim Hải", "K8"), ("Xã Kim Hải", "K10"), ("Xã Kim Hải", "K12"), ("Xã Hồi Ninh", "H8")]
    assert converted.origin.cell("kind", 0) == "L8" and converted.origin.cell("indicator_id", 3) == "B8"


def test_validation_issues_name_the_cell_the_commune_typed(form: bytes) -> None:
    book = _book(form)
    book["Xã Kim Hải"]["K8"] = 61.5
    book["Xã Hồi Ninh"]["H8"], book["Xã Hồi Ninh"]["I8"] = "khoảng 8 - 9", "dự kiến"
    result = validate_bytes(_saved(book), "xa.xlsx")
    assert not result.report.valid
    where = {(i.code, i.sheet, i.cell) for i in result.report.errors}
    assert ("bad_number", "Xã Hồi Ninh", "H8") in where
    assert ("unknown_kind", "Xã Hồi Ninh", "I8") in where


def test_empty_form_gives_no_rows_and_says_so(form: bytes) -> None:
    result = validate_bytes(form, "trong.xlsx")
    assert result.format == "template" and not result.report.valid
    assert result.frame is not None and result.frame.empty
    issue = next(i for i in result.report.errors if i.code == "template_empty")
    assert "Số liệu 2025" in issue.message("vi") and "Figure" not in issue.message("vi")


def test_entries_without_a_figure_and_figures_outside_rows_are_reported(form: bytes) -> None:
    book = _book(form)
    sheet = book["Xã Kim Hải"]
    sheet["K8"], sheet["N10"], sheet["K9"] = 61.5, "chưa có số liệu", 3
    result = validate_bytes(_saved(book), "xa.xlsx")
    assert result.report.valid and len(result.frame) == 1  # type: ignore[arg-type]
    warned = {(i.code, i.cell) for i in result.report.warnings}
    assert warned == {("template_entry_without_value", "K10"), ("template_value_outside", "K9")}


def test_moved_or_renamed_columns_are_reported_never_misread(form: bytes) -> None:
    book = _book(form)
    sheet = book["Xã Kim Hải"]
    sheet["K8"] = 61.5
    sheet["K6"], sheet["L6"] = "Loại", "Số liệu 2025"  # the commune swapped two columns
    book["Xã Hồi Ninh"]["H8"] = 3
    result = validate_bytes(_saved(book), "xa.xlsx")
    changed = [i for i in result.report.errors if i.code == "template_layout_changed"]
    assert {(i.sheet, i.cell, i.value) for i in changed} == {("Xã Kim Hải", "K6", "Loại"),
                                                              ("Xã Kim Hải", "L6", "Số liệu 2025")}
    assert "'Số liệu 2025'" in changed[0].message("vi")
    assert result.frame is not None and list(result.frame["area"]) == ["Xã Hồi Ninh"]  # the other sheet is read


def test_a_deleted_sheet_is_reported(form: bytes) -> None:
    book = _book(form)
    del book["Xã Mới"]
    book["Xã Kim Hải"]["K8"] = 61.5
    result = validate_bytes(_saved(book), "xa.xlsx")
    assert [(i.code, i.value) for i in result.report.errors] == [("template_sheet_missing", "Xã Mới")]


@pytest.mark.parametrize(("cell", "value", "words"), [
    ("B1", "something else", "not written by this product"),
    ("B2", 7, "version 7"),
    ("B3", None, "“period”"),
    ("E6", "sáu", "“first_row”"),
])
def test_a_damaged_meta_sheet_is_reported(form: bytes, cell: str, value: object, words: str) -> None:
    book = _book(form)
    book["_meta"][cell] = value
    book["Xã Kim Hải"]["K8"] = 61.5
    result = validate_bytes(_saved(book), "xa.xlsx")
    assert result.format == "template" and not result.report.valid
    issue = result.report.errors[0]
    assert (issue.code, issue.sheet) == ("template_meta_damaged", "_meta") and words in issue.message("en")


def test_a_meta_row_of_columns_lost_is_reported(form: bytes) -> None:
    book = _book(form)
    meta = book["_meta"]
    for row in range(meta.max_row, 0, -1):
        if meta.cell(row, 1).value == "column" and meta.cell(row, 3).value == "value":
            meta.delete_rows(row)
    result = validate_bytes(_saved(book), "xa.xlsx")
    assert [i.code for i in result.report.errors][:1] == ["template_meta_damaged"]


def test_from_template_on_a_plain_workbook_is_a_clear_issue() -> None:
    book = openpyxl.Workbook()
    book.active.append(["indicator_id", "value"])  # type: ignore[union-attr]
    result = validate_bytes(_saved(book), "plain.xlsx", options=Options(fmt="template"))
    assert [i.code for i in result.report.errors][:1] == ["template_meta_damaged"]
    assert "_meta" in result.report.errors[0].message("en")


def test_sheets_left_untouched_are_skipped_exactly_as_reading_them_would(form: bytes,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from indicators.ingest.adapters import template
    from indicators.ingest.grid import read_grid

    book = _book(form)
    book["Xã Kim Hải"]["K8"], book["Xã Kim Hải"]["N10"], book["Xã Kim Hải"]["K9"] = 61.5, "chưa có", 3
    book["Xã Mới"]["B40"] = "ghi ngoài bảng"  # text below the table, in no entry column: nothing to read
    data = _saved(book)
    peek = template._Peek(data, None)
    meta_grid = peek.grid("_meta")
    assert meta_grid is not None
    meta = template.parse_meta(meta_grid)
    assert meta == template.parse_meta(read_grid(data, "x.xlsx", sheet="_meta"))  # read here = read by the worker
    assert [peek.untouched(sheet) for sheet in meta.sheets] == [False, True, True]
    skipped = convert_bytes(data, "xa.xlsx", Options())
    monkeypatch.setattr(template._Peek, "untouched", lambda self, layout: False)
    read = convert_bytes(data, "xa.xlsx", Options())
    assert skipped.raw.cells.equals(read.raw.cells) and skipped.issues == read.issues


def test_formula_like_areas_round_trip_as_text(current: pd.DataFrame) -> None:
    area = '=HYPERLINK("http://x","Xã")'
    book = _book(build_template(current, areas=[area, "<b>Xã</b>"], period="2026"))
    assert book.sheetnames[1:3] == ['=HYPERLINK("http x","Xã")', "<b>Xã< b>"]  # ":" and "/" cannot be in a name
    sheet = book['=HYPERLINK("http x","Xã")']
    assert sheet["A2"].value == f"Địa bàn: {area}" and sheet["A2"].data_type == "s"
    entry = next(c.column for c in sheet[6] if c.value == "Số liệu 2026")
    sheet.cell(8, entry, 4)
    result = validate_bytes(_saved(book), "x.xlsx")
    assert result.report.valid and result.frame is not None and list(result.frame["area"]) == [area]


def test_hostile_text_makes_a_form_with_no_formula_that_reads_back_exactly(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    from indicators.store.versions import Store
    from tests.hostile_text import hostile_store

    env = hostile_store(tmp_path_factory.mktemp("hostile_forms"))
    with Store(env["INDICATORS_DATABASE_URL"]) as store:
        frame = store.load()
    book = _book(build_template(frame, period="2030"))
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)
    expected = []
    for sheet in book.worksheets[1:-1]:
        entry = next(c.column for c in sheet[6] if c.value == "Số liệu 2030")
        row = next(r for r in range(7, sheet.max_row + 1) if sheet.cell(r, 2).value)
        sheet.cell(row, entry, 1)
        expected.append((sheet.cell(row, 2).value, sheet["A2"].value.removeprefix("Địa bàn: ")))
    result = validate_bytes(_saved(book), "hostile.xlsx", current=frame)
    assert result.report.valid, result.report.to_lines("en")[:5]
    assert result.frame is not None
    assert list(zip(result.frame["indicator_id"], result.frame["area"], strict=True)) == expected
    names = frame.drop_duplicates("indicator_id").set_index("indicator_id")
    for column in ("indicator", "unit", "group", "indicator_en"):
        assert list(result.frame[column]) == [names.loc[i, column] for i, _ in expected], column
    assert set(result.frame["area"]) <= set(frame["area"])


@pytest.mark.parametrize("data", [b"a,b\n1,2\n", b"PK\x03\x04 not a zip"])
def test_from_template_on_what_is_no_workbook_is_unreadable_not_a_traceback(data: bytes) -> None:
    result = validate_bytes(data, "x.csv", options=Options(fmt="template"))
    assert result.unreadable and [i.code for i in result.report.errors] == ["not_a_table"]


def test_one_sheet_and_a_default_source_can_be_chosen(form: bytes) -> None:
    data = _filled(form)
    result = validate_bytes(data, "xa.xlsx", sheet="Xã Hồi Ninh", options=Options(source="Báo cáo xã"))
    assert result.frame is not None and list(zip(result.frame["area"], result.frame["source"], strict=True)) == [
        ("Xã Hồi Ninh", "Báo cáo xã")]
    missing = validate_bytes(data, "xa.xlsx", sheet="Xã Khác")
    assert missing.unreadable and missing.report.errors[0].code == "missing_sheet"
    assert "Xã Kim Hải, Xã Hồi Ninh, Xã Mới" in missing.report.errors[0].message("en")


def test_a_round_of_filled_forms_reads_as_a_batch_with_the_same_rows(form: bytes) -> None:
    """Forms sent back by several communes, checked together (validate_many reads every workbook's sheets
    ahead in one worker): each reads as it does alone, and its issues name its file."""
    from indicators.ingest.validate import validate_many

    data = _filled(form)
    alone = validate_bytes(data, "xa.xlsx")
    together = validate_many([(data, "kim_hai.xlsx"), (form, "empty.xlsx"), (data, "again.xlsx")])
    assert [r.format for r in together] == ["template"] * 3
    assert alone.frame is not None
    for result in (together[0], together[2]):
        assert result.report.valid and result.frame is not None
        same = [c for c in alone.frame.columns if c != "source"]  # an empty "Nguồn" cell: the form's file name
        pd.testing.assert_frame_equal(result.frame[same], alone.frame[same])
    assert any("kim_hai.xlsx" in text for text in together[0].frame["source"])  # type: ignore[index]
    assert any("again.xlsx" in text for text in together[2].frame["source"])  # type: ignore[index]
    assert {i.file for i in together[1].report.issues} == {"empty.xlsx"} and not together[1].report.valid

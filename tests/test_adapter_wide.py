"""The wide report-table adapter ("biểu"): one hand-written fixture per layout feature (tests/fixtures/bieu),
the exact contract rows each gives, issues at the analyst's cells, profiles, aliases and detection."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from indicators.ingest.adapters import Catalogue, Options, convert_bytes, detect
from indicators.ingest.adapters.wide import COLUMN_ROLES, ROW_ROLES, Mapping
from indicators.ingest.validate import validate_bytes

BIEU = Path(__file__).parent / "fixtures" / "bieu"
SHOWN = ["indicator_id", "indicator", "group", "unit", "area", "period", "kind", "value", "of_total", "source",
         "note"]


def rows_of(name: str, **options: object) -> pd.DataFrame:
    converted = convert_bytes((BIEU / name).read_bytes(), name, Options(fmt="wide", **options))  # type: ignore[arg-type]
    return converted.raw.to_frame().reset_index(drop=True)


def expect(text: str, columns: list[str]) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep="|")[columns]


def check(name: str, text: str, **options: object) -> None:
    frame = rows_of(name, **options)
    wanted = expect(text, [c.strip() for c in text.splitlines()[0].split("|")])
    pd.testing.assert_frame_equal(frame[list(wanted.columns)], wanted, check_dtype=False)


def test_simple_bieu_rows() -> None:
    check("simple.csv", """indicator_id|indicator|group|unit|area|period|kind|value|source
thu_nhap_binh_quan_dau_nguoi|Thu nhập bình quân đầu người|Kinh tế|triệu đồng|Xã Kim Chính|2022|actual|58,5|UBND xã Kim Chính
thu_nhap_binh_quan_dau_nguoi|Thu nhập bình quân đầu người|Kinh tế|triệu đồng|Xã Kim Chính|2023|target|62|UBND xã Kim Chính
thu_nhap_binh_quan_dau_nguoi|Thu nhập bình quân đầu người|Kinh tế|triệu đồng|Xã Kim Chính|2023|estimate|63,1|UBND xã Kim Chính
tong_san_luong_luong_thuc|Tổng sản lượng lương thực|Kinh tế|tấn|Xã Kim Chính|2022|actual|12.450|UBND xã Kim Chính
tong_san_luong_luong_thuc|Tổng sản lượng lương thực|Kinh tế|tấn|Xã Kim Chính|2023|target|12.500|UBND xã Kim Chính
tong_san_luong_luong_thuc|Tổng sản lượng lương thực|Kinh tế|tấn|Xã Kim Chính|2023|estimate|12.610|UBND xã Kim Chính
ty_le_ho_ngheo|Tỷ lệ hộ nghèo|Xã hội|%|Xã Kim Chính|2022|actual|2,1|UBND xã Kim Chính
ty_le_ho_ngheo|Tỷ lệ hộ nghèo|Xã hội|%|Xã Kim Chính|2023|target|< 1,5|UBND xã Kim Chính
ty_le_ho_ngheo|Tỷ lệ hộ nghèo|Xã hội|%|Xã Kim Chính|2023|estimate|1,4|UBND xã Kim Chính
so_truong_dat_chuan_quoc_gia|Số trường đạt chuẩn quốc gia|Xã hội|trường|Xã Kim Chính|2022|actual|3|UBND xã Kim Chính
so_truong_dat_chuan_quoc_gia|Số trường đạt chuẩn quốc gia|Xã hội|trường|Xã Kim Chính|2023|estimate|4|UBND xã Kim Chính
""")


def test_simple_bieu_mapping() -> None:
    converted = convert_bytes((BIEU / "simple.csv").read_bytes(), "simple.csv", Options(fmt="wide"))
    mapping = converted.mapping
    assert isinstance(mapping, Mapping) and converted.format == "wide"
    assert mapping.columns["role"].tolist() == ["stt", "label", "unit", "value", "value", "value", "derived"]
    assert set(mapping.columns["role"]) <= set(COLUMN_ROLES) and set(mapping.rows["role"]) <= set(ROW_ROLES)
    assert mapping.rows["role"].tolist() == ["heading", "indicator", "indicator", "heading", "indicator", "indicator"]
    assert mapping.rows["match"].tolist()[1:3] == ["new", "new"] and set(mapping.rows["direction"]) == {""}
    assert mapping.table["header_rows"] == "4-4" and mapping.table["area"] == "Xã Kim Chính"
    assert converted.detected[1] == "A wide report table: 4 indicators × 3 value columns, 11 figures."


def test_new_indicator_with_a_target_asks_for_its_direction_at_its_label_cell() -> None:
    result = validate_bytes((BIEU / "simple.csv").read_bytes(), "simple.csv", options=Options(fmt="wide"))
    cells = {(i.code, i.cell) for i in result.report.errors}
    assert cells == {("target_without_direction", "B6"), ("target_without_direction", "B7"),
                     ("target_without_direction", "B9")}


@pytest.mark.parametrize("name", sorted(p.name for p in BIEU.glob("*.csv")))
def test_fixtures_detect_as_wide(name: str) -> None:
    assert detect((BIEU / name).read_bytes(), name) == "wide"


@pytest.mark.parametrize("path", sorted((Path(__file__).parent / "fixtures" / "good").glob("*.csv")),
                         ids=lambda p: p.name)
def test_tidy_fixtures_stay_tidy(path: Path) -> None:
    assert detect(path.read_bytes(), path.name) == "tidy"


def test_catalogue_is_used() -> None:
    current = pd.DataFrame({"indicator_id": ["thu_nhap"], "indicator": ["Thu nhập bình quân đầu người"],
                            "unit": ["triệu đồng"], "group": ["Kinh tế"], "direction": ["increase"]})
    frame = rows_of("simple.csv", catalogue=Catalogue.of(current))
    first = frame.iloc[0]
    assert (first["indicator_id"], first["direction"]) == ("thu_nhap", "increase")


# --- one fixture per layout feature: the exact contract rows ---


def test_two_row_header_in_csv_continues_the_spanning_cell_and_skips_the_column_numbers() -> None:
    check("merged2.csv", """indicator_id|period|kind|value|area|note
toc_do_tang_truong_kinh_te|2023|target|8,5|Huyện Kim Sơn|
toc_do_tang_truong_kinh_te|2023|actual|8,8|Huyện Kim Sơn|
toc_do_tang_truong_kinh_te|2024|target|9|Huyện Kim Sơn|
toc_do_tang_truong_kinh_te|2024|estimate|9,2|Huyện Kim Sơn|
tong_thu_ngan_sach_tren_dia_ban|2023|target|450|Huyện Kim Sơn|
tong_thu_ngan_sach_tren_dia_ban|2023|actual|471,3|Huyện Kim Sơn|
tong_thu_ngan_sach_tren_dia_ban|2024|target|480|Huyện Kim Sơn|
tong_thu_ngan_sach_tren_dia_ban|2024|estimate|505|Huyện Kim Sơn|
""")
    mapping = convert_bytes((BIEU / "merged2.csv").read_bytes(), "merged2.csv", Options(fmt="wide")).mapping
    assert mapping.columns["header"].tolist()[3:7] == ["Năm 2023 / KH", "Năm 2023 / TH", "Năm 2024 / KH",
                                                      "Năm 2024 / Ước TH"]
    assert mapping.columns["role"].tolist()[7:] == ["derived", "note"]
    assert mapping.table["header_rows"] == "4-5" and mapping.table["body"] == "7-8"


def test_two_row_merged_header_in_xlsx() -> None:
    check("merged2.xlsx", """indicator_id|group|unit|area|period|kind|value|source
toc_do_tang_truong_kinh_te|Kinh tế|%|Xã Kim Chính|2023|target|8.5|UBND xã Kim Chính
toc_do_tang_truong_kinh_te|Kinh tế|%|Xã Kim Chính|2023|actual|8.8|UBND xã Kim Chính
toc_do_tang_truong_kinh_te|Kinh tế|%|Xã Kim Chính|2024|target|9|UBND xã Kim Chính
toc_do_tang_truong_kinh_te|Kinh tế|%|Xã Kim Chính|2024|estimate|9.2|UBND xã Kim Chính
thu_nhap_binh_quan_dau_nguoi|Kinh tế|triệu đồng|Xã Kim Chính|2023|target|60|UBND xã Kim Chính
thu_nhap_binh_quan_dau_nguoi|Kinh tế|triệu đồng|Xã Kim Chính|2023|actual|61.5|UBND xã Kim Chính
thu_nhap_binh_quan_dau_nguoi|Kinh tế|triệu đồng|Xã Kim Chính|2024|target|65|UBND xã Kim Chính
thu_nhap_binh_quan_dau_nguoi|Kinh tế|triệu đồng|Xã Kim Chính|2024|estimate|66.1|UBND xã Kim Chính
""")


@pytest.mark.parametrize("name", ["merged3.csv", "merged3.xlsx"])
def test_three_row_header(name: str) -> None:
    frame = rows_of(name)
    assert frame[["period", "kind"]].drop_duplicates().values.tolist() == [
        ["2022", "actual"], ["2023", "actual"], ["2024", "target"], ["2025", "target"]]
    assert set(frame["area"]) == {"Huyện Kim Sơn"}  # from the title "… huyện Kim Sơn"


def test_unit_line_above_a_table_without_unit_column() -> None:
    frame = rows_of("merged3.xlsx")
    assert set(frame["unit"]) == {"%"}
    check("unit_line.csv", """indicator_id|unit|period|kind|value
tong_thu_ngan_sach_xa|Triệu đồng|2023|target|5.200
tong_thu_ngan_sach_xa|Triệu đồng|2023|actual|5.480,5
tong_chi_ngan_sach_xa|Triệu đồng|2023|target|5.100
tong_chi_ngan_sach_xa|Triệu đồng|2023|actual|5.012,3
""")


def test_stt_hierarchy_gives_groups_and_sub_item_names() -> None:
    check("stt.csv", """indicator|group|period|value
Giá trị sản xuất — Nông nghiệp|Chỉ tiêu kinh tế|2022|120
Giá trị sản xuất — Nông nghiệp|Chỉ tiêu kinh tế|2023|126
Giá trị sản xuất — Công nghiệp - xây dựng|Chỉ tiêu kinh tế|2022|210
Giá trị sản xuất — Công nghiệp - xây dựng|Chỉ tiêu kinh tế|2023|232
Dân số trung bình|Chỉ tiêu kinh tế|2022|15.210
Dân số trung bình|Chỉ tiêu kinh tế|2023|15.340
Dân số trung bình — Nữ|Chỉ tiêu kinh tế|2022|7.702
Dân số trung bình — Nữ|Chỉ tiêu kinh tế|2023|7.781
Số hộ nghèo|Chỉ tiêu xã hội|2022|112
Số hộ nghèo|Chỉ tiêu xã hội|2023|95
Số hộ nghèo — Hộ cận nghèo|Chỉ tiêu xã hội|2022|140
Số hộ nghèo — Hộ cận nghèo|Chỉ tiêu xã hội|2023|128
Số hộ nghèo — Hộ cận nghèo — Hộ cận nghèo có người khuyết tật|Chỉ tiêu xã hội|2022|12
Số hộ nghèo — Hộ cận nghèo — Hộ cận nghèo có người khuyết tật|Chỉ tiêu xã hội|2023|11
""")
    rows = convert_bytes((BIEU / "stt.csv").read_bytes(), "stt.csv", Options(fmt="wide")).mapping.rows
    assert rows.loc[rows["stt"].isin(["A", "1", "2", "B"]), "role"].tolist() == ["heading"] * 4


@pytest.mark.parametrize(("name", "expected"), [
    ("periods_a.csv", [("2019", "baseline"), ("2021", "actual"), ("2022", "actual"), ("2023", "estimate"),
                       ("2024", "target"), ("2025", "target")]),
    ("periods_b.csv", [("2023", "estimate"), ("2024", "estimate"), ("2025", "target"), ("2020", "baseline")]),
    ("cungky.csv", [("2024-06", "actual"), ("2023-06", "actual")]),
])
def test_period_and_kind_header_forms(name: str, expected: list[tuple[str, str]]) -> None:
    frame = rows_of(name)
    assert list(zip(frame["period"], frame["kind"], strict=True)) == expected


def test_a_header_footnote_marker_notes_its_figures() -> None:
    frame = rows_of("periods_a.csv")
    assert frame["note"].tolist()[:2] == ["* Năm gốc của nhiệm kỳ 2020-2025", ""]
    assert frame["value"].tolist()[-1] == "< 1"


def test_areas_as_rows_total_left_out_without_an_area() -> None:
    converted = convert_bytes((BIEU / "areas_rows.csv").read_bytes(), "areas_rows.csv", Options(fmt="wide"))
    frame = converted.raw.to_frame()
    assert sorted(set(frame["area"])) == ["Thị trấn Phát Diệm", "Xã Kim Chính", "Xã Kim Đông"]
    assert set(frame["indicator"]) == {"Dân số trung bình"} and set(frame["unit"]) == {"Người"}
    assert set(frame["source"]) == {"Niên giám thống kê huyện Kim Sơn 2023"}
    assert [(i.code, i.cell, i.severity) for i in converted.issues] == [("total_left_out", "A4", "warning")]
    assert len(frame) == 11  # Kim Đông 2021 is "..": no figure, no row, no issue
    assert converted.mapping.columns["role"].tolist() == ["area", "value", "value", "value", "value"]


def test_areas_as_rows_total_is_the_named_area() -> None:
    frame = rows_of("areas_rows.csv", area="Huyện Kim Sơn")
    total = frame[frame["area"] == "Huyện Kim Sơn"]
    assert total["value"].tolist() == ["180.520", "181.912", "183.207", "184.330"]
    assert total["kind"].tolist() == ["actual", "actual", "actual", "estimate"]


def test_areas_as_rows_with_indicators_as_columns() -> None:
    check("areas_indicators.csv", """indicator_id|indicator|unit|area|period|value
dien_tich|Diện tích|km²|Huyện Kim Sơn|2023|217,4
dan_so_trung_binh|Dân số trung bình|người|Huyện Kim Sơn|2023|184.330
mat_do_dan_so|Mật độ dân số|người/km²|Huyện Kim Sơn|2023|848
dien_tich|Diện tích|km²|Xã Kim Chính|2023|8,9
dan_so_trung_binh|Dân số trung bình|người|Xã Kim Chính|2023|10.040
mat_do_dan_so|Mật độ dân số|người/km²|Xã Kim Chính|2023|1.128
dien_tich|Diện tích|km²|Xã Kim Đông|2023|12,1
dan_so_trung_binh|Dân số trung bình|người|Xã Kim Đông|2023|11.604
mat_do_dan_so|Mật độ dân số|người/km²|Xã Kim Đông|2023|959
""", area="Huyện Kim Sơn")


def test_areas_as_columns() -> None:
    check("areas_columns.csv", """indicator_id|area|value
ty_le_ho_dung_nuoc_sach|Huyện Kim Sơn|96,5
ty_le_ho_dung_nuoc_sach|Thị trấn Phát Diệm|99,1
ty_le_ho_dung_nuoc_sach|Xã Kim Chính|97,2
ty_le_ho_dung_nuoc_sach|Xã Kim Đông|95,8
so_tieu_chi_ntm_dat|Xã Kim Chính|19
so_tieu_chi_ntm_dat|Xã Kim Đông|19
""")


def test_derived_columns_are_left_out() -> None:
    for name, derived in (("simple.csv", ["G"]), ("merged2.csv", ["H"]), ("unit_line.csv", ["D"])):
        columns = convert_bytes((BIEU / name).read_bytes(), name, Options(fmt="wide")).mapping.columns
        assert columns.loc[columns["role"] == "derived", "column"].tolist() == derived, name
    assert "107,9" not in rows_of("simple.csv")["value"].tolist()


def test_footnotes_source_and_signature_are_left_out() -> None:
    converted = convert_bytes((BIEU / "footer.csv").read_bytes(), "footer.csv", Options(fmt="wide"))
    frame = converted.raw.to_frame()
    assert frame["value"].tolist() == ["3.120", "3.155"] and not converted.issues
    assert set(frame["source"]) == {"Văn phòng UBND xã Kim Chính"} and set(frame["area"]) == {"Xã Kim Chính"}
    assert converted.mapping.table["title"] == "Báo cáo chỉ tiêu chủ yếu năm 2023"


def test_cell_forms_and_no_figure_marks() -> None:
    check("cell_forms.csv", """indicator_id|period|value|of_total|note
so_thon_dat_chuan_van_hoa|2023|15|23|
so_thon_dat_chuan_van_hoa|2024|18|23|
ty_le_ho_ngheo|2023|< 1,5||
ty_le_ho_ngheo|2024|dưới 1||
ty_le_tre_em_tiem_chung_day_du|2023|≥ 95||
ty_le_tre_em_tiem_chung_day_du|2024|trên 96||
thu_nhap_binh_quan_dau_nguoi|2023|3,10||* Số liệu ước tính của UBND xã
toc_do_tang_gia_tri_san_xuat|2023|8,2||
toc_do_tang_gia_tri_san_xuat|2024|>= 8||8 - 9
toc_do_tang_thu_ngan_sach|2023|9,1||
""")


def test_unconvertible_cells_are_reported_at_their_cell() -> None:
    result = validate_bytes((BIEU / "cell_forms.csv").read_bytes(), "cell_forms.csv", options=Options(fmt="wide"))
    unconverted = [(i.cell, i.value, i.severity) for i in result.report.issues if i.code == "unconverted_cell"]
    assert unconverted == [("E11", "Tăng bình quân 10%/năm", "warning"), ("D12", "Đạt", "warning")]
    assert "bad_number" not in result.report.codes()  # the qualifiers and the range read as numbers


def test_male_and_female_columns_are_sex_breakdowns() -> None:
    converted = convert_bytes((BIEU / "breakdown.csv").read_bytes(), "breakdown.csv", Options(fmt="wide"))
    assert converted.issues == []
    assert converted.raw.to_frame()[["period", "breakdown", "value"]].values.tolist() == [
        ["2023", "", "5.120"], ["2023", "sex=Nam", "2.610"], ["2023", "sex=Nữ", "2.510"]]
    assert converted.mapping.columns["breakdown"].tolist() == ["", "", "", "sex=Nam", "sex=Nữ"]
    assert converted.origin.cell("breakdown", 2) == "E3"  # the "Nữ" header cell
    assert converted.detected[1].endswith("Kept 2 breakdown series (Sex).")
    result = validate_bytes((BIEU / "breakdown.csv").read_bytes(), "breakdown.csv", decimal=",",
                            options=Options(fmt="wide"))
    assert result.report.valid, result.report.issues
    assert result.frame["value"].tolist() == [5120.0, 2610.0, 2510.0]


def test_breakdown_under_a_year_and_an_edited_breakdown() -> None:
    data = ("UBND XÃ KIM CHÍNH,,,,,\nDân số,,,,,\nChỉ tiêu,ĐVT,Năm 2023,,Năm 2024,\n,,Thành thị,Nông thôn,Thành thị,"
            "Nông thôn\nDân số,người,1.200,3.400,1.250,3.380\n").encode()
    converted = convert_bytes(data, "dan_so.csv", Options(fmt="wide"))
    assert converted.raw.to_frame()[["period", "breakdown", "value"]].values.tolist() == [
        ["2023", "residence=Thành thị", "1.200"], ["2023", "residence=Nông thôn", "3.400"],
        ["2024", "residence=Thành thị", "1.250"], ["2024", "residence=Nông thôn", "3.380"]]
    mapping = converted.mapping
    mapping.columns.loc[mapping.columns["column"] == "C", "breakdown"] = ""  # the analyst: column C is the total
    again = convert_bytes(data, "dan_so.csv", Options(fmt="wide", mapping=mapping))
    assert again.raw.to_frame()["breakdown"].tolist()[:2] == ["", "residence=Nông thôn"]


def test_a_table_without_area_asks_for_one() -> None:
    result = validate_bytes((BIEU / "no_area.csv").read_bytes(), "no_area.csv", options=Options(fmt="wide"))
    assert "table_without_area" in {i.code for i in result.report.errors}
    result = validate_bytes((BIEU / "no_area.csv").read_bytes(), "no_area.csv", decimal=",",
                            options=Options(fmt="wide", area="Xã Kim Chính"))
    assert result.report.valid and result.frame is not None and result.frame["area"].tolist() == ["Xã Kim Chính"]
    assert result.frame["value"].tolist() == [3155.0]


def test_title_period_and_options_period_fill_a_header_without_a_year() -> None:
    data = "UBND XÃ KIM CHÍNH,,\nSố hộ nghèo năm 2023,,\nChỉ tiêu,ĐVT,Số liệu\nSố hộ nghèo,hộ,95\n".encode()
    frame = convert_bytes(data, "x.csv", Options(fmt="wide")).raw.to_frame()
    assert frame["period"].tolist() == ["2023"]
    data = "UBND XÃ KIM CHÍNH,,\nSố hộ nghèo,,\nChỉ tiêu,ĐVT,Số liệu\nSố hộ nghèo,hộ,95\n".encode()
    frame = convert_bytes(data, "x.csv", Options(fmt="wide", period="2022")).raw.to_frame()
    assert frame["period"].tolist() == ["2022"]


# --- issues at the analyst's cells ---


def test_validation_issues_name_the_original_sheet_and_cell() -> None:
    data = (BIEU / "merged2.xlsx").read_bytes()
    result = validate_bytes(data, "merged2.xlsx", options=Options(fmt="wide"))
    errors = {(i.code, i.sheet, i.cell) for i in result.report.errors}
    assert errors == {("target_without_direction", "Biểu 02", "B8"), ("target_without_direction", "Biểu 02", "B9")}
    assert result.frame is not None and sorted(set(result.frame["row"])) == [8, 9]


def test_a_bad_period_names_the_header_cell_and_a_bad_unit_its_cell() -> None:
    data = ("UBND XÃ KIM CHÍNH,,,\nChỉ tiêu,ĐVT,Năm 2023,\n,,KH,TH\n"
            "Số hộ nghèo,hộ,90,95\nSố hộ cận nghèo,,100,110\n").encode()
    mapping = convert_bytes(data, "x.csv", Options(fmt="wide")).mapping
    mapping.columns.loc[mapping.columns["column"] == "D", "period"] = "năm ngoái"
    mapping.rows["direction"] = "decrease"
    result = validate_bytes(data, "x.csv", options=Options(fmt="wide", mapping=mapping))
    cells = {(i.code, i.cell) for i in result.report.errors}
    assert ("bad_period", "C2") in cells  # "Năm 2023" is merged over C:D in CSV: its cell is C2
    assert ("missing_value", "B5") in cells  # no unit for "Số hộ cận nghèo"


# --- the mapping: the analyst's corrections, profiles, aliases, the catalogue ---


def test_an_edited_mapping_is_applied_exactly() -> None:
    data = (BIEU / "simple.csv").read_bytes()
    mapping = convert_bytes(data, "simple.csv", Options(fmt="wide")).mapping
    mapping.columns.loc[mapping.columns["column"] == "E", "role"] = "skip"
    mapping.rows.loc[mapping.rows["row"] == 7, "role"] = "skip"
    mapping.rows.loc[mapping.rows["row"] == 6, ["indicator_id", "direction"]] = ["thu_nhap", "increase"]
    frame = convert_bytes(data, "simple.csv", Options(fmt="wide", mapping=mapping)).raw.to_frame()
    assert frame["indicator_id"].tolist() == ["thu_nhap", "thu_nhap", "ty_le_ho_ngheo", "ty_le_ho_ngheo",
                                              "so_truong_dat_chuan_quoc_gia", "so_truong_dat_chuan_quoc_gia"]
    assert set(frame["kind"]) == {"actual", "estimate"} and frame["direction"].tolist()[0] == "increase"


def test_profile_round_trip_by_signature() -> None:
    first = convert_bytes((BIEU / "simple.csv").read_bytes(), "simple.csv", Options(fmt="wide")).mapping
    first.columns.loc[first.columns["column"] == "F", "kind"] = "actual"  # the analyst's correction
    body = first.to_profile("Biểu 01 xã")
    import json

    body = json.loads(json.dumps(body))  # what the store keeps
    assert set(body) == {"name", "signature", "sheet", "columns", "table"} and "rows" not in body
    data = (BIEU / "simple_kim_dong.csv").read_bytes()
    converted = convert_bytes(data, "simple_kim_dong.csv", Options(fmt="wide", profiles=[body]))
    assert converted.profile == "Biểu 01 xã" and "Biểu 01 xã" in converted.detected[1]
    pd.testing.assert_frame_equal(converted.mapping.columns, first.columns)
    frame = converted.raw.to_frame()
    assert set(frame["area"]) == {"Xã Kim Đông"} and frame["value"].tolist()[:3] == ["55,1", "60", "61,2"]
    assert "estimate" not in set(frame["kind"])
    other = convert_bytes((BIEU / "merged2.csv").read_bytes(), "merged2.csv", Options(fmt="wide", profiles=[body]))
    assert other.profile is None  # another layout: another signature
    named = convert_bytes(data, "simple_kim_dong.csv", Options(fmt="wide", profile=body))
    assert named.profile == "Biểu 01 xã"


def test_signature_ignores_the_figures() -> None:
    one = convert_bytes((BIEU / "simple.csv").read_bytes(), "a.csv", Options(fmt="wide")).mapping
    two = convert_bytes((BIEU / "simple_kim_dong.csv").read_bytes(), "b.csv", Options(fmt="wide")).mapping
    three = convert_bytes((BIEU / "merged2.csv").read_bytes(), "c.csv", Options(fmt="wide")).mapping
    assert one.signature == two.signature != three.signature


def test_an_alias_matches_a_label_to_a_stored_indicator() -> None:
    current = pd.DataFrame({"indicator_id": ["ho_ngheo"], "indicator": ["Tỷ lệ hộ nghèo (chuẩn đa chiều)"],
                            "unit": ["%"], "group": ["Giảm nghèo"], "direction": ["decrease"]})
    catalogue = Catalogue.of(current, {"ty le ho ngheo": "ho_ngheo"})
    converted = convert_bytes((BIEU / "simple.csv").read_bytes(), "simple.csv", Options(fmt="wide",
                                                                                         catalogue=catalogue))
    row = converted.mapping.rows[converted.mapping.rows["label"] == "Tỷ lệ hộ nghèo"].iloc[0]
    assert (row["indicator_id"], row["match"], row["indicator"], row["group"], row["direction"]) == (
        "ho_ngheo", "alias", "Tỷ lệ hộ nghèo (chuẩn đa chiều)", "Giảm nghèo", "decrease")
    frame = converted.raw.to_frame()
    assert set(frame.loc[frame["indicator_id"] == "ho_ngheo", "direction"]) == {"decrease"}


def test_stored_unit_wins_and_a_different_one_is_reported() -> None:
    current = pd.DataFrame({"indicator_id": ["san_luong"], "indicator": ["Tổng sản lượng lương thực"],
                            "unit": ["nghìn tấn"], "group": ["Nông nghiệp"], "direction": ["increase"]})
    converted = convert_bytes((BIEU / "simple.csv").read_bytes(), "simple.csv",
                              Options(fmt="wide", catalogue=Catalogue.of(current)))
    frame = converted.raw.to_frame()
    assert set(frame.loc[frame["indicator_id"] == "san_luong", "unit"]) == {"nghìn tấn"}
    assert set(frame.loc[frame["indicator_id"] == "san_luong", "group"]) == {"Nông nghiệp"}
    assert [(i.code, i.cell, i.value) for i in converted.issues] == [("unit_differs", "C7", "tấn")]


def test_new_indicators_get_unique_valid_ids() -> None:
    from indicators.contract import ID_PATTERN

    data = ("UBND XÃ KIM CHÍNH,,\nChỉ tiêu,ĐVT,TH 2023\n1. Số hộ,hộ,5\n2. Số hộ,hộ,6\n"
            "3. 2024 - năm bứt phá: số dự án,dự án,7\n").encode()
    converted = convert_bytes(data, "x.csv", Options(fmt="wide"))
    ids = converted.mapping.rows["indicator_id"].tolist()
    assert ids[0] == ids[1] == "so_ho" and ids[2].startswith("ct_2024")  # one name, one id
    assert all(ID_PATTERN.match(i) for i in ids)
    assert converted.mapping.rows["stt"].tolist() == ["1.", "2.", "3."]


def test_edited_mapping_from_the_page_may_hold_blanks_and_new_indicator_rows() -> None:
    data = (BIEU / "stt.csv").read_bytes()
    mapping = convert_bytes(data, "stt.csv", Options(fmt="wide")).mapping
    rows = mapping.rows.astype(object)
    rows.loc[rows["row"] == 6, "direction"] = None  # st.data_editor gives None for a cleared cell
    rows.loc[rows["row"] == 5, "role"] = "indicator"  # "Giá trị sản xuất" has no figures: still no row
    rows.loc[rows["row"] == 12, ["indicator_id", "indicator"]] = ["", ""]
    mapping.rows = rows
    frame = convert_bytes(data, "stt.csv", Options(fmt="wide", mapping=mapping)).raw.to_frame()
    assert frame.loc[frame["indicator"] == "Số hộ nghèo", "indicator_id"].tolist() == ["so_ho_ngheo"] * 2
    assert len(frame) == 14


def test_xlsx_numbers_keep_their_decimal_point() -> None:
    result = validate_bytes((BIEU / "merged2.xlsx").read_bytes(), "merged2.xlsx", options=Options(fmt="wide"))
    assert result.frame is not None and result.frame["value"].tolist()[:4] == [8.5, 8.8, 9.0, 9.2]
    assert "ambiguous_number" not in result.report.codes()


def test_a_header_without_figures_is_not_a_table() -> None:
    result = validate_bytes("STT,Chỉ tiêu,ĐVT,TH 2023\n".encode(), "x.csv", options=Options(fmt="wide"))
    assert result.unreadable and result.report.issues[0].code == "not_a_table"


def test_random_grids_never_raise() -> None:
    import csv
    import random

    words = ["", "", "STT", "Chỉ tiêu", "ĐVT", "Năm 2023", "KH", "TH", "So sánh (%)", "I", "1", "1.1", "-", "12,5",
             "15/23", "< 1,5", "3,10*", "8 - 9", "Đạt", "Xã Kim Chính", "TỔNG SỐ", "Nguồn: X", "(*) ghi chú",
             "NGƯỜI LẬP BIỂU", "Đơn vị tính: %", "UBND XÃ KIM CHÍNH", "(1)", "(3)=(2)/(1)", "Nam", "Cùng kỳ", "x"]
    chosen = random.Random(9)
    for _ in range(60):
        out = io.StringIO()
        csv.writer(out).writerows([[chosen.choice(words) for _ in range(chosen.randint(1, 7))]
                                   for _ in range(chosen.randint(1, 10))])
        result = validate_bytes(out.getvalue().encode(), "f.csv", options=Options(fmt="wide"))
        assert result.unreadable or result.frame is not None


def test_a_label_header_merged_over_stt_and_label_and_a_unit_headed_don_vi() -> None:
    check("label_merged.csv", """indicator|group|unit|value
Tổng diện tích gieo trồng|Kinh tế|ha|1.250,5
Năng suất lúa|Kinh tế|tạ/ha|68,2
""")


def test_a_yearbook_table_by_commune_named_by_its_title() -> None:
    check("yearbook_names.csv", """indicator_id|indicator|area|period|value|source
so_truong_mam_non|Số trường mầm non|Huyện Kim Sơn|2022|27|Niên giám thống kê huyện Kim Sơn 2023
so_truong_mam_non|Số trường mầm non|Huyện Kim Sơn|2023|27|Niên giám thống kê huyện Kim Sơn 2023
so_truong_mam_non|Số trường mầm non|Phát Diệm|2022|1|Niên giám thống kê huyện Kim Sơn 2023
so_truong_mam_non|Số trường mầm non|Phát Diệm|2023|1|Niên giám thống kê huyện Kim Sơn 2023
so_truong_mam_non|Số trường mầm non|Kim Chính|2022|1|Niên giám thống kê huyện Kim Sơn 2023
so_truong_mam_non|Số trường mầm non|Kim Chính|2023|1|Niên giám thống kê huyện Kim Sơn 2023
""", area="Huyện Kim Sơn")


def test_a_named_profile_applies_to_a_file_whose_header_moved_down() -> None:
    body = convert_bytes((BIEU / "merged2.csv").read_bytes(), "merged2.csv", Options(fmt="wide")).mapping.to_profile("B02")
    data = b",,,,,,,,\n" + (BIEU / "merged2.csv").read_bytes()  # one more line above the table
    converted = convert_bytes(data, "merged2.csv", Options(fmt="wide", profile=body))
    assert converted.mapping.table["header_rows"] == "5-6" and converted.raw.n_rows == 8
    assert converted.profile == "B02"


def test_an_alias_saved_on_a_sub_items_label_as_written() -> None:
    catalogue = Catalogue(None, {"trong do: nu": "dan_so_nu"})
    rows = convert_bytes((BIEU / "stt.csv").read_bytes(), "stt.csv", Options(fmt="wide", catalogue=catalogue)).mapping.rows
    assert rows.loc[rows["row"] == 10, ["indicator_id", "match"]].values.tolist() == [["dan_so_nu", "alias"]]


def test_the_aliases_an_analyst_made_stick_on_the_next_file() -> None:
    current = pd.DataFrame({"indicator_id": ["ho_ngheo", "thu_nhap"],
                            "indicator": ["Tỷ lệ hộ nghèo đa chiều", "Thu nhập bình quân đầu người"],
                            "unit": ["%", "triệu đồng"], "group": ["Xã hội", "Kinh tế"],
                            "direction": ["decrease", "increase"]})
    catalogue = Catalogue.of(current)
    mapping = convert_bytes((BIEU / "simple.csv").read_bytes(), "simple.csv",
                            Options(fmt="wide", catalogue=catalogue)).mapping
    mapping.rows.loc[mapping.rows["label"] == "Tỷ lệ hộ nghèo", "indicator_id"] = "ho_ngheo"  # on the page
    aliases = mapping.aliases(catalogue)
    assert aliases == {"Tỷ lệ hộ nghèo": "ho_ngheo"}  # "Thu nhập…" matched by name: no alias needed
    from indicators.contract import fold

    again = Catalogue.of(current, {fold(k): v for k, v in aliases.items()})  # as store.aliases() gives them
    rows = convert_bytes((BIEU / "simple_kim_dong.csv").read_bytes(), "b.csv",
                         Options(fmt="wide", catalogue=again)).mapping.rows
    assert rows.loc[rows["label"] == "Tỷ lệ hộ nghèo", ["indicator_id", "match", "direction"]].values.tolist() == [
        ["ho_ngheo", "alias", "decrease"]]


def test_a_profile_saved_again_from_a_corrected_mapping_keeps_finding_the_layout() -> None:
    first = convert_bytes((BIEU / "simple.csv").read_bytes(), "a.csv", Options(fmt="wide")).mapping
    first.columns.loc[first.columns["column"] == "E", "role"] = "skip"
    body = first.to_profile("p")
    second = convert_bytes((BIEU / "simple_kim_dong.csv").read_bytes(), "b.csv", Options(fmt="wide", profiles=[body]))
    assert second.profile == "p" and second.mapping.to_profile("p")["signature"] == body["signature"]
    assert "target" not in set(second.raw.to_frame()["kind"])


@pytest.mark.parametrize("name", ["merged3.csv", "merged3.xlsx"])
def test_three_row_header_texts(name: str) -> None:
    columns = convert_bytes((BIEU / name).read_bytes(), name, Options(fmt="wide")).mapping.columns
    values = columns[columns["role"] == "value"]
    assert values["header"].tolist() == ["Giai đoạn 2021-2025 / Thực hiện / 2022",
                                         "Giai đoạn 2021-2025 / Thực hiện / 2023",
                                         "Giai đoạn 2021-2025 / Kế hoạch / 2024",
                                         "Giai đoạn 2021-2025 / Kế hoạch / 2025"]


def test_a_whole_bieu_validates_clean_against_the_store_it_matches() -> None:
    current = pd.DataFrame({
        "indicator_id": ["tang_truong", "thu_nhap"], "indicator": ["Tốc độ tăng trưởng kinh tế",
                                                                  "Thu nhập bình quân đầu người"],
        "unit": ["%", "triệu đồng"], "group": ["Kinh tế", "Kinh tế"], "direction": ["increase", "increase"]})
    result = validate_bytes((BIEU / "merged2.xlsx").read_bytes(), "merged2.xlsx",
                            options=Options(fmt="wide", catalogue=Catalogue.of(current)))
    assert result.report.valid, result.report.to_lines("en")
    frame = result.frame
    assert frame is not None and frame["indicator_id"].tolist() == ["tang_truong"] * 4 + ["thu_nhap"] * 4
    assert frame["direction"].unique().tolist() == ["increase"] and result.format == "wide"
    assert result.detected is not None and result.detected[1].startswith("A wide report table: 2 indicators")


def test_a_district_bieu_lands_on_the_shipped_series() -> None:
    from indicators.ingest.validate import load_file

    current = load_file(Path(__file__).parents[1] / "data" / "kim_son_2020_2025.csv")
    data = ("UBND HUYỆN KIM SƠN,,,\nKết quả xây dựng nông thôn mới năm 2024,,,\n"
            "STT,Chỉ tiêu,ĐVT,Ước TH năm 2024\n1,Số xã đạt chuẩn nông thôn mới,xã,23/23\n"
            "2,Số xã đạt chuẩn NTM nâng cao,xã,12\n").encode()
    result = validate_bytes(data, "bieu.csv", current=current, options=Options(fmt="wide"))
    assert result.report.valid, result.report.to_lines("en")
    frame = result.frame
    assert frame is not None
    assert frame[["indicator_id", "area", "period", "kind", "value", "direction"]].values.tolist() == [
        ["xa_dat_chuan_ntm", "Huyện Kim Sơn", "2024", "estimate", 23.0, "increase"],
        ["xa_ntm_nang_cao", "Huyện Kim Sơn", "2024", "estimate", 12.0, "increase"]]
    assert frame["of_total"].tolist()[0] == 23.0 and frame["of_total"].isna().tolist() == [False, True]
    assert set(frame["group"]) == {"Nông thôn mới"}


def test_a_range_target_of_a_decreasing_indicator_is_its_upper_bound() -> None:
    current = pd.DataFrame({"indicator_id": ["ho_ngheo", "tang_gtsx"], "indicator": ["Tỷ lệ hộ nghèo",
                                                                                   "Tốc độ tăng giá trị sản xuất"],
                            "unit": ["%", "%"], "group": ["", ""], "direction": ["decrease", "increase"]})
    data = ("UBND XÃ KIM CHÍNH,,\nChỉ tiêu,ĐVT,KH 2025\nTỷ lệ hộ nghèo,%,\"1 - 1,5\"\n"
            "Tốc độ tăng giá trị sản xuất,%,8 - 9\n").encode()
    frame = convert_bytes(data, "x.csv", Options(fmt="wide", catalogue=Catalogue.of(current))).raw.to_frame()
    assert frame[["value", "note"]].values.tolist() == [["<= 1,5", "1 - 1,5"], [">= 8", "8 - 9"]]


def test_a_profile_reads_next_years_form_with_its_years_moved_on() -> None:
    """The same form a year later ("Thực hiện năm 2023", "KH 2024", "Ước TH năm 2024"): found by the profile
    saved from this year's, and each column's period moves with its header — also a period the analyst
    corrected by hand."""
    data = (BIEU / "simple.csv").read_bytes()
    first = convert_bytes(data, "simple.csv", Options(fmt="wide"))
    columns = first.mapping.columns.copy()
    estimate = columns.index[columns["header"].str.startswith("Ước")][0]
    columns.loc[estimate, "period"] = "2023-11"  # the analyst: the estimate is as of November
    body = replace(first.mapping, columns=columns).to_profile("Biểu 01 xã")
    text = data.decode("utf-8")
    next_year = text.replace("năm 2023", "năm 2024").replace("2023", "2024").replace("2022", "2023").encode()
    second = convert_bytes(next_year, "simple_2024.csv", Options(fmt="wide", profiles=[body]))
    assert second.profile == "Biểu 01 xã"
    periods = dict(zip(second.mapping.columns["header"], second.mapping.columns["period"], strict=True))
    assert {h: p for h, p in periods.items() if p} == {"Thực hiện năm 2023": "2023", "KH 2024": "2024",
                                                       "Ước TH năm 2024": "2024-11"}
def test_a_yearbook_table_in_xlsx_validates_with_the_area_given() -> None:
    data = (BIEU / "yearbook.xlsx").read_bytes()
    result = validate_bytes(data, "yearbook.xlsx", options=Options(fmt="wide", area="Huyện Kim Sơn"))
    assert result.report.valid, result.report.to_lines("en")
    frame = result.frame
    assert frame is not None and len(frame) == 12 and set(frame["indicator"]) == {"Dân số trung bình"}
    assert frame.loc[frame["area"] == "Huyện Kim Sơn", "value"].tolist() == [180520.0, 181912.0, 183207.0, 184330.0]
    without = validate_bytes(data, "yearbook.xlsx", options=Options(fmt="wide"))
    assert [(i.code, i.sheet, i.cell) for i in without.report.warnings] == [("total_left_out", "05", "A5")]


def test_a_district_annex_with_a_term_target_and_an_annual_plan() -> None:
    converted = convert_bytes((BIEU / "annex.csv").read_bytes(), "annex.csv", Options(fmt="wide"))
    table = converted.mapping.table
    assert (table["area"], table["title"]) == ("Huyện Kim Sơn", "Biểu số 01: MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ "
                                               "YẾU GIAI ĐOẠN 2021-2025")
    columns = converted.mapping.columns
    assert columns["role"].tolist()[-2:] == ["derived", "note"]
    frame = converted.raw.to_frame()
    assert frame.loc[frame["indicator"] == "Số xã đạt chuẩn NTM nâng cao", ["value", "of_total"]].values.tolist()[0] \
        == ["12", "23"]
    result = validate_bytes((BIEU / "annex.csv").read_bytes(), "annex.csv", options=Options(fmt="wide"))
    duplicates = {i.cell for i in result.report.errors if i.code == "duplicate_key"}
    assert "I7" in duplicates  # the NQ term target and "Kế hoạch 2025" are both 2025 targets: the analyst picks


def test_mappings_compare_cell_for_cell() -> None:
    data = (BIEU / "simple.csv").read_bytes()
    one = convert_bytes(data, "simple.csv", Options(fmt="wide")).mapping
    two = convert_bytes(data, "simple.csv", Options(fmt="wide")).mapping
    assert one == two
    two.rows.loc[two.rows["row"] == 6, "direction"] = "increase"
    assert one != two


def test_catalogue_look_ups_by_id_name_folded_name_and_alias() -> None:
    current = pd.DataFrame({"indicator_id": ["a", "b", "a"], "indicator": ["Hộ nghèo", "hộ  NGHÈO", "Khác"],
                            "unit": ["%", "hộ", "x"], "group": ["", "", ""], "direction": [None, "", ""]})
    catalogue = Catalogue(current, {"ho can ngheo": "c"})
    assert catalogue.match("a") == ("a", "id")
    assert catalogue.match("hộ  NGHÈO") == ("b", "name")  # the exact name first
    assert catalogue.match("Ho ngheo") == ("a", "name")  # then the folded one: the first row wins
    assert catalogue.match("Hộ cận nghèo") == ("c", "alias") and catalogue.match("khác nữa") is None
    assert catalogue.get("a") == {"indicator_id": "a", "indicator": "Hộ nghèo", "unit": "%", "group": "",
                                  "direction": ""}
    assert catalogue.get("zz") is None and Catalogue().match("a") is None

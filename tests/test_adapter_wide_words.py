"""The words of a report table (adapters.wide_header) and its cell forms (adapters.wide_cells), table-driven."""

from __future__ import annotations

import pytest

from indicators.ingest.adapters import wide_header as wh
from indicators.ingest.adapters.wide_cells import read_cells


@pytest.mark.parametrize(("header", "expected"), [
    ("Thực hiện năm 2022", ("value", "2022", "actual")),
    ("TH 2021", ("value", "2021", "actual")),
    ("Ước TH năm 2023", ("value", "2023", "estimate")),
    ("Ước thực hiện năm 2024", ("value", "2024", "estimate")),
    ("Ước 2024", ("value", "2024", "estimate")),
    ("Sơ bộ 2023", ("value", "2023", "estimate")),
    ("KH 2025", ("value", "2025", "target")),
    ("Kế hoạch năm 2024", ("value", "2024", "target")),
    ("Dự toán năm 2023", ("value", "2023", "target")),
    ("Mục tiêu NQ ĐH đến 2025", ("value", "2025", "target")),
    ("Chỉ tiêu Nghị quyết nhiệm kỳ 2020-2025", ("value", "2025", "target")),
    ("Năm gốc 2020", ("value", "2020", "baseline")),
    ("2019 (*)", ("value", "2019", "")),
    ("Năm 2023 / KH", ("value", "2023", "target")),
    ("Năm 2024 / Ước TH", ("value", "2024", "estimate")),
    ("Giai đoạn 2021-2025 / Thực hiện / 2022", ("value", "2022", "actual")),
    ("6 tháng đầu năm 2024", ("value", "2024-06", "")),
    ("Thực hiện 9 tháng năm 2024", ("value", "2024-09", "actual")),
    ("Quý II/2024", ("value", "2024-06", "")),
    ("Cùng kỳ năm trước", ("value", "", "actual")),
    ("So sánh (%)", ("derived", "", "")),
    ("So sánh (%) / 2023/2022", ("derived", "", "")),
    ("Tăng/giảm", ("derived", "", "")),
    ("% so với KH", ("derived", "", "")),
    ("Thực hiện 2023 so với KH (%)", ("derived", "", "")),
    ("Tốc độ tăng (%)", ("derived", "", "")),
    ("Năm 2023 / % TH/KH", ("derived", "", "")),
    ("TH so KH (%)", ("derived", "", "")),
    ("Ước TH/CK", ("derived", "", "")),
    ("Thực hiện / 2022", ("value", "2022", "actual")),
    ("(9)=(7)/(6)", ("derived", "", "")),
    ("STT", ("stt", "", "")),
    ("TT", ("stt", "", "")),
    ("Chỉ tiêu", ("label", "", "")),
    ("Tên chỉ tiêu", ("label", "", "")),
    ("Đơn vị hành chính", ("label", "", "")),
    ("ĐVT", ("unit", "", "")),
    ("Đơn vị tính", ("unit", "", "")),
    ("Đơn vị", ("unit", "", "")),
    ("Ghi chú", ("note", "", "")),
    ("Nam", ("value", "", "")),  # a breakdown's column (`breakdown_in`); period and kind from the title
    ("Năm 2023 / Nữ", ("value", "2023", "")),
    ("", ("skip", "", "")),
])
def test_header_meaning(header: str, expected: tuple[str, str, str]) -> None:
    assert wh.meaning(header)[:3] == expected


@pytest.mark.parametrize(("header", "breakdown"), [
    ("Nam", "sex=Nam"), ("Năm 2023 / Nữ", "sex=Nữ"), ("NỮ", "sex=Nữ"), ("Thành thị / 2023", "residence=Thành thị"),
    ("Năm 2023", ""), ("Tổng số", ""), ("Nam Định", ""),
])
def test_breakdown_in_a_header(header: str, breakdown: str) -> None:
    assert wh.breakdown_in(header) == breakdown


@pytest.mark.parametrize(("stt", "level"), [("I", 0), ("IV.", 0), ("A", 0), ("1", 1), ("12.", 1), ("1.1", 2),
                                             ("2.3.1", 3), ("a", 3), ("b)", 3), ("-", 4), ("+", 5), ("", -1),
                                             ("Tổng", -1)])
def test_stt_level(stt: str, level: int) -> None:
    assert wh.stt_level(stt) == level


@pytest.mark.parametrize(("text", "area"), [
    ("UBND XÃ KIM CHÍNH", "Xã Kim Chính"),
    ("ỦY BAN NHÂN DÂN HUYỆN KIM SƠN", "Huyện Kim Sơn"),
    ("UBND THỊ TRẤN PHÁT DIỆM", "Thị trấn Phát Diệm"),
    ("Một số chỉ tiêu chủ yếu huyện Kim Sơn năm 2023", "Huyện Kim Sơn"),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", None),
    ("Dân số trung bình phân theo xã", None),
    ("Xã Kim Chính", "Xã Kim Chính"),
])
def test_area_in(text: str, area: str | None) -> None:
    assert wh.area_in(text) == area


@pytest.mark.parametrize(("label", "total", "area"), [
    ("TỔNG SỐ", True, False), ("Toàn huyện", True, False), ("Tổng cộng", True, False),
    ("Xã Kim Chính", False, True), ("Thị trấn Phát Diệm", False, True), ("TT. Bình Minh", False, True),
    ("Tổng sản lượng lương thực", False, False), ("xã đạt chuẩn", False, False),
])
def test_totals_and_area_names(label: str, total: bool, area: bool) -> None:
    assert (wh.is_total(label), wh.is_area_name(label)) == (total, area)


@pytest.mark.parametrize(("cells", "expected"), [
    (["(1)", "(2)", "(3)", "(4)", "(5)=(4)/(3)"], True),
    (["A", "B", "1", "2", "3"], True),
    (["1", "2", "3", "4"], True),
    (["1", "Dân số", "người", "15"], False),
    (["5", "7", "9"], False),
    (["(1)", ""], False),
])
def test_column_number_row(cells: list[str], expected: bool) -> None:
    assert wh.column_number_row(cells) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Đơn vị tính: Tỷ đồng", "Tỷ đồng"), ("ĐVT: %", "%"), ("(Đơn vị tính: người)", "người"), ("Đơn vị", None)])
def test_unit_line(text: str, expected: str | None) -> None:
    assert wh.unit_line(text) == expected


@pytest.mark.parametrize(("text", "footer"), [
    ("Nguồn: Chi cục Thống kê", True), ("Ghi chú: số ước", True), ("(*) Số liệu sơ bộ", True),
    ("NGƯỜI LẬP BIỂU", True), ("THỦ TRƯỞNG ĐƠN VỊ", True), ("Kim Chính, ngày 10 tháng 01 năm 2024", True),
    ("Nguồn vốn đầu tư công", False), ("Tỷ lệ hộ nghèo", False)])
def test_footer_lines(text: str, footer: bool) -> None:
    assert wh.is_footer(text) == footer


@pytest.mark.parametrize(("label", "parts"), [
    ("1. Dân số", ("1.", "Dân số")), ("I. KINH TẾ", ("I.", "KINH TẾ")), ("- Hộ cận nghèo", ("-", "Hộ cận nghèo")),
    ("a) Nông nghiệp", ("a)", "Nông nghiệp")), ("Dân số", ("", "Dân số")), ("2024 - năm bứt phá", ("", "2024 - năm bứt phá"))])
def test_split_stt(label: str, parts: tuple[str, str]) -> None:
    assert wh.split_stt(label) == parts


@pytest.mark.parametrize(("name", "slug"), [
    ("Thu nhập bình quân đầu người", "thu_nhap_binh_quan_dau_nguoi"),
    ("Tỷ lệ hộ nghèo (đa chiều)", "ty_le_ho_ngheo_da_chieu"),
    ("3 công trình", "ct_3_cong_trinh"),
    ("Đường giao thông nông thôn được cứng hóa đạt chuẩn theo tiêu chí", "duong_giao_thong_nong_thon_duoc_cung_hoa_dat"),
])
def test_slug(name: str, slug: str) -> None:
    assert wh.slug(name) == slug and len(slug) <= 48


@pytest.mark.parametrize(("text", "value", "of_total", "marker", "note", "bad"), [
    ("57,2", "57,2", None, None, None, False),
    ("15/23", "15", "23", None, None, False),
    ("15 / 23", "15", "23", None, None, False),
    ("< 1,5", "< 1,5", None, None, None, False),
    ("≥ 95", "≥ 95", None, None, None, False),
    ("trên 90", "trên 90", None, None, None, False),
    ("95%", "95%", None, None, None, False),
    ("3,10*", "3,10", None, "*", None, False),
    ("3,10 (**)", "3,10", None, "**", None, False),
    ("8 - 9", ">= 8", None, None, "8 - 9", False),
    ("từ 8 đến 9%", ">= 8", None, None, "từ 8 đến 9%", False),
    ("Đạt", "", None, None, None, True),
    ("Tăng bình quân 10%/năm", "", None, None, None, True),
])
def test_cell_forms(text: str, value: str, of_total: str | None, marker: str | None, note: str | None,
                    bad: bool) -> None:
    forms = read_cells([text])
    assert (forms.value.to_pylist()[0], forms.of_total.get(0), forms.marker.get(0), forms.note.get(0),
            bool(forms.bad[0]), bool(forms.keep[0])) == (value, of_total, marker, note, bad, not bad)


@pytest.mark.parametrize("mark", ["", "-", "..", "...", "…", "x", "X", "–"])
def test_no_figure_marks(mark: str) -> None:
    forms = read_cells([mark])
    assert not forms.keep[0] and not forms.bad[0]


def test_area_in_an_upper_case_title() -> None:
    assert wh.area_in("MỘT SỐ CHỈ TIÊU CHỦ YẾU HUYỆN KIM SƠN NĂM 2023") == "Huyện Kim Sơn"


@pytest.mark.parametrize(("label", "clean"), [("Trong đó: Nữ", "Nữ"), ("- Hộ cận nghèo", "Hộ cận nghèo"),
                                              ("Thu nhập bình quân (*)", "Thu nhập bình quân"),
                                              ("Thu nhập\nbình quân:", "Thu nhập bình quân")])
def test_clean_label(label: str, clean: str) -> None:
    assert wh.clean_label(label) == clean

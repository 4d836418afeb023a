"""Plausibility (issue 9, item 8), declared in the contract and run once in validation: a value above its
total, a share above 100 %, a negative count, a value ten times off its series (in the file and in the
stored version), a unit other than the stored one. Each test an inline CSV, asserting code, severity, row."""

from __future__ import annotations

import pytest

from indicators import contract
from indicators.i18n import TEXT
from indicators.ingest.report import SEVERITY
from indicators.ingest.validate import validate_bytes

HEADER = "indicator_id,indicator,group,unit,area,period,kind,value,of_total,direction,source\n"


def row(iid: str, name: str, unit: str, value: object, *, period: int = 2023, area: str = "Huyện Kim Sơn",
        kind: str = "actual", total: object = "") -> str:
    return f"{iid},{name},Xã hội,{unit},{area},{period},{kind},{value},{total},increase,Báo cáo\n"


def issues(*rows: str, current: object = None, code: str | None = None) -> list[tuple[str, str, int | None]]:
    result = validate_bytes((HEADER + "".join(rows)).encode(), "p.csv", current=current)  # type: ignore[arg-type]
    return [(i.code, i.severity, i.row) for i in result.report.issues if code is None or i.code == code]


def stored(*rows: str):  # type: ignore[no-untyped-def]
    result = validate_bytes((HEADER + "".join(rows)).encode(), "stored.csv")
    assert result.report.valid, result.report.to_lines("en")
    return result.frame


# --- the declarations -----------------------------------------------------------------------------------
def test_every_declared_check_has_its_code_severity_and_message() -> None:
    assert [p.code for p in contract.PLAUSIBILITY] == ["above_total", "share_above_100", "negative_count",
                                                       "ten_times_off", "unit_changed"]
    for check in contract.PLAUSIBILITY:
        assert SEVERITY[check.code] == check.severity, check.code
        assert f"check_{check.code}" in TEXT and check.checks
    assert "%" in contract.PLAUSIBILITY_BY_CODE["share_above_100"].units
    assert {"xã", "người", "hộ", "đảng viên", "trường", "km"} <= set(contract.COUNT_UNITS)


@pytest.mark.parametrize(("unit", "counts"), [
    ("xã", True), ("Xã", True), ("người", True), ("nghìn người", True), ("Hộ", True), ("đảng viên", True),
    ("trường", True), ("km", True), ("%", False), ("tỷ đồng", False), ("triệu đồng/người", False), ("", False)])
def test_count_units(unit: str, counts: bool) -> None:
    assert contract.count_unit(unit) is counts


@pytest.mark.parametrize(("name", "whole"), [
    ("Tỷ lệ hộ nghèo", True), ("Tỉ lệ che phủ rừng", True), ("TỶ LỆ trẻ em được tiêm chủng", True),
    ("Share of households with clean water", True), ("Poverty rate", False),  # 'rate' must come first
    ("Tỷ lệ thu ngân sách so với dự toán", False), ("Tỷ lệ tăng trưởng GRDP", False),
    ("Tốc độ tăng trưởng kinh tế", False), ("Tỷ lệ giải ngân so với kế hoạch", False), ("Số xã", False),
    ("Tỷ lệ lệ phí", True), ("Tỷ lệnh", False)])
def test_share_of_a_whole_by_name(name: str, whole: bool) -> None:
    assert contract.share_of_whole(name) is whole


# --- above_total ------------------------------------------------------------------------------------------
def test_a_value_above_its_total_is_an_error() -> None:
    assert issues(row("xa_ntm", "Số xã đạt chuẩn NTM", "xã", 30, total=23),
                  row("xa_ntm", "Số xã đạt chuẩn NTM", "xã", 23, total=23, period=2024),
                  row("xa_ntm", "Số xã đạt chuẩn NTM", "xã", 20, total="", period=2025)) == [
        ("above_total", "error", 2)]
    result = validate_bytes((HEADER + row("xa_ntm", "Số xã", "xã", 30, total=23)).encode(), "p.csv")
    assert not result.report.valid
    issue = result.report.issues[0]
    assert (issue.column, issue.value) == ("value", "30") and "23" in issue.message("vi") and "23" in issue.message("en")


# --- share_above_100 -----------------------------------------------------------------------------------------
def test_a_share_above_100_percent_is_a_warning_unless_it_measures_against_a_plan() -> None:
    found = issues(row("ho_ngheo", "Tỷ lệ hộ nghèo", "%", 120),
                   row("thu_ns", "Tỷ lệ thu ngân sách so với dự toán", "%", 120),
                   row("tang_truong", "Tốc độ tăng trưởng kinh tế", "%", 150),
                   row("lao_dong", "Tỷ lệ lao động qua đào tạo", "người", 120),  # not a share unit
                   row("che_phu", "Tỷ lệ che phủ rừng", "%", 100))
    assert found == [("share_above_100", "warning", 2)]
    result = validate_bytes((HEADER + row("ho_ngheo", "Tỷ lệ hộ nghèo", "%", 120)).encode(), "p.csv")
    assert result.report.valid  # a warning: the file can still be committed


# --- negative_count -------------------------------------------------------------------------------------
def test_a_negative_count_is_an_error() -> None:
    found = issues(row("dan_so", "Dân số trung bình", "nghìn người", -1),
                   row("can_doi", "Cân đối ngân sách", "tỷ đồng", -5),
                   row("tang_dan_so", "Tỷ lệ tăng dân số", "%", -2),
                   row("dang_vien", "Số đảng viên mới kết nạp", "đảng viên", -3),
                   row("truong", "Số trường đạt chuẩn", "trường", 0))
    assert found == [("negative_count", "error", 2), ("negative_count", "error", 5)]


# --- ten_times_off --------------------------------------------------------------------------------------
def test_a_value_ten_times_off_its_series_in_the_file_is_a_warning() -> None:
    series = [row("thu_nhap", "Thu nhập bình quân", "triệu đồng", v, period=p)
              for p, v in ((2020, 50), (2021, 52), (2022, 55), (2023, 540))]
    other_area = [row("thu_nhap", "Thu nhập bình quân", "triệu đồng", v, period=p, area="Xã Kim Đông")
                  for p, v in ((2020, 5), (2021, 6))]  # another series, too short to judge
    result = validate_bytes((HEADER + "".join(series + other_area)).encode(), "p.csv")
    assert [(i.code, i.severity, i.row) for i in result.report.issues] == [("ten_times_off", "warning", 5)]
    issue = result.report.issues[0]
    assert issue.params["typical"] == "53.5" and issue.params["n"] == 4
    assert "53.5" in issue.message("vi") and "53.5" in issue.message("en")


def test_a_tenth_of_the_series_is_off_too_but_zeros_short_series_and_growth_are_not() -> None:
    assert issues(*(row("a", "Thu nhập", "triệu đồng", v, period=p) for p, v in ((2020, 50), (2021, 52),
                                                                                  (2022, 4.9))),
                  code="ten_times_off") == [("ten_times_off", "warning", 4)]
    assert issues(*(row("a", "Số hộ nghèo", "hộ", v, period=p) for p, v in ((2020, 50), (2021, 52),
                                                                            (2022, 0)))) == []
    assert issues(row("a", "Thu nhập", "triệu đồng", 50, period=2020),
                  row("a", "Thu nhập", "triệu đồng", 900, period=2021)) == []
    assert issues(*(row("g", "Tốc độ tăng trưởng kinh tế", "%", v, period=p) for p, v in ((2020, 7), (2021, 6.5),
                                                                                          (2022, 0.5)))) == []
    # a term's target is not judged (a count accumulating from 1 to 15), but it is part of the series
    assert issues(row("ntm", "Số xã đạt chuẩn NTM nâng cao", "xã", 1, period=2021),
                  row("ntm", "Số xã đạt chuẩn NTM nâng cao", "xã", 1, period=2022),
                  row("ntm", "Số xã đạt chuẩn NTM nâng cao", "xã", 15, period=2025, kind="target")) == []
    assert issues(row("ntm", "Số xã", "xã", 10, period=2021), row("ntm", "Số xã", "xã", 1, period=2022),
                  row("ntm", "Số xã", "xã", 12, period=2025, kind="target")) == [("ten_times_off", "warning", 3)]


def test_a_value_ten_times_off_the_stored_series_is_a_warning() -> None:
    current = stored(*(row("thu_nhap", "Thu nhập", "triệu đồng", v, period=p)
                       for p, v in ((2020, 5), (2021, 6), (2022, 6.5), (2023, 600))))
    # 2023 replaces the stored 600: the series is the stored 5, 6, 6.5 and the file's 70
    result = validate_bytes((HEADER + row("thu_nhap", "Thu nhập", "triệu đồng", 70)).encode(), "p.csv",
                            current=current)
    found = [i for i in result.report.issues if i.code == "ten_times_off"]
    assert [(i.severity, i.row, i.params["typical"], i.params["n"]) for i in found] == [("warning", 2, "6.25", 4)]
    # the stored rows are not this file's issues: a plausible file against that store says nothing
    assert issues(row("thu_nhap", "Thu nhập", "triệu đồng", 7), current=current, code="ten_times_off") == []
    # the stored rows a file replaces are not its series: without them 70 and 72 are not off 5 and 6
    assert issues(row("thu_nhap", "Thu nhập", "triệu đồng", 70, period=2021),
                  row("thu_nhap", "Thu nhập", "triệu đồng", 72, period=2022),
                  current=stored(*(row("thu_nhap", "Thu nhập", "triệu đồng", v, period=p)
                                   for p, v in ((2019, 5), (2020, 6), (2021, 6.5), (2022, 6.8)))),
                  code="ten_times_off") == []
    # another area's stored series does not count
    assert issues(row("thu_nhap", "Thu nhập", "triệu đồng", 60, area="Xã Kim Đông"), current=current,
                  code="ten_times_off") == []


# --- unit_changed -----------------------------------------------------------------------------------------
def test_a_unit_other_than_the_stored_one_is_a_warning_at_the_indicators_first_row() -> None:
    current = stored(row("ho_ngheo", "Tỷ lệ hộ nghèo", "%", 3.1, period=2022),
                     row("dan_so", "Dân số", "Người", 150000, period=2022))
    result = validate_bytes((HEADER + row("ho_ngheo", "Tỷ lệ hộ nghèo", "‰", 29, period=2023)
                             + row("ho_ngheo", "Tỷ lệ hộ nghèo", "‰", 28, period=2024)
                             + row("dan_so", "Dân số", "người", 151000, period=2023)  # same unit, other case
                             + row("moi", "Chỉ tiêu mới", "ha", 5)).encode(), "p.csv", current=current)
    changed = [i for i in result.report.issues if i.code == "unit_changed"]
    assert [(i.severity, i.row, i.column, i.value, i.params["old"]) for i in changed] == [
        ("warning", 2, "unit", "‰", "%")]
    assert "ho_ngheo" in changed[0].message("en") and result.report.valid


def test_without_a_stored_version_there_is_no_unit_check() -> None:
    assert issues(row("ho_ngheo", "Tỷ lệ hộ nghèo", "‰", 29)) == []


# --- scale ----------------------------------------------------------------------------------------------------
def test_many_implausible_rows_are_capped_and_counted() -> None:
    rows = [row(f"xa_{i}", "Số xã", "xã", -1, period=2020 + i % 5) for i in range(1200)]
    result = validate_bytes((HEADER + "".join(rows)).encode(), "p.csv")
    negative = [i for i in result.report.issues if i.code == "negative_count"]
    assert len(negative) == 1001 and negative[-1].value == "+200"

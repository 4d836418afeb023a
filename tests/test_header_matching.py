"""Header matching (issue 9, item 8): an exact (accented) match to a column's label or accented alias wins
over a folded one; "Nam" (male) is not "Năm" (year); a losing or homograph claim is a `header_collision`
warning, not a fatal `duplicate_column`; two exact claims stay an error."""

from __future__ import annotations

from collections import defaultdict

import pytest

from indicators import contract
from indicators.contract import canonical_header, fold, header_match, loose
from indicators.ingest.validate import validate_bytes

REST = "indicator_id,indicator,unit,area,kind,value,source"
CELLS = "ho_ngheo,Tỷ lệ hộ nghèo,%,Huyện Kim Sơn,actual,3.5,Báo cáo"


def check(header: str, cells: str):  # type: ignore[no-untyped-def]
    return validate_bytes(f"{header}\n{cells}\n".encode(), "h.csv")


def header_issues(result) -> list[tuple[str, str, str | None, str]]:  # type: ignore[no-untyped-def]
    return [(i.code, i.severity, i.column, i.value) for i in result.report.issues]


def test_every_spelling_names_one_column() -> None:
    exact: dict[str, set[str]] = defaultdict(set)
    folded: dict[str, set[str]] = defaultdict(set)
    for col in contract.COLUMNS:
        for spelling in (col.name, col.label_vi, col.label_en, *col.accented):
            exact[loose(spelling)].add(col.name)
        for spelling in (col.name, col.label_vi, col.label_en, *col.accented, *col.aliases):
            folded[fold(spelling)].add(col.name)
        assert all(fold(a) == a for a in col.aliases), col.name  # aliases are written folded
    assert all(len(v) == 1 for v in exact.values()) and all(len(v) == 1 for v in folded.values())
    assert set(contract.HEADER_HOMOGRAPHS) <= set(folded)


@pytest.mark.parametrize(("header", "column", "exact", "homograph"), [
    ("Năm", "period", True, False), ("NĂM", "period", True, False), ("  năm ", "period", True, False),
    ("Nam", "period", False, True), ("nam", "period", False, True), ("Kỳ", "period", True, False),
    ("Ký", "period", False, True), ("Tổng số", "of_total", True, False), ("tong so", "of_total", False, False),
    ("Trên tổng số", "of_total", True, False), ("Mã", "indicator_id", True, False),
    ("ma", "indicator_id", False, True), ("Đơn vị tính", "unit", True, False), ("dvt", "unit", False, False),
    ("ĐVT", "unit", True, False), ("indicator_id", "indicator_id", True, False), ("Giá trị", "value", True, False),
])
def test_header_match(header: str, column: str, exact: bool, homograph: bool) -> None:
    match = header_match(header)
    assert match is not None and (match.column, match.exact, bool(match.homographs)) == (column, exact, homograph)
    assert canonical_header(header) == column  # its callers still find the column either way


def test_unknown_headers_match_nothing() -> None:
    assert header_match("Nữ") is None and canonical_header("Người nhập") is None


def test_nam_beside_nam_the_year_wins_and_nam_the_men_is_a_warning() -> None:
    result = check(f"{REST},Năm,Nam", f"{CELLS},2023,1250")
    assert header_issues(result) == [("header_collision", "warning", "period", "Nam")]
    assert result.report.valid and result.frame["period"].tolist() == ["2023"]
    issue = result.report.issues[0]
    assert "Năm" in issue.message("en") and "'Năm'" in issue.message("vi")  # names the column that won


def test_the_exact_one_wins_wherever_it_stands() -> None:
    result = check(f"{REST},Nam,Năm", f"{CELLS},1250,2023")
    assert header_issues(result) == [("header_collision", "warning", "period", "Nam")]
    assert result.report.valid and result.frame["period"].tolist() == ["2023"]


def test_nam_alone_is_read_as_the_period_with_a_warning() -> None:
    result = check(f"{REST},Nam", f"{CELLS},2023")
    assert header_issues(result) == [("header_collision", "warning", "period", "Nam")]
    assert result.report.valid and result.frame["period"].tolist() == ["2023"]
    assert "Nam" in result.report.issues[0].message("en")


def test_an_unaccented_alias_alone_is_used_quietly() -> None:
    result = check("ma chi tieu,chi tieu,dvt,dia ban,ky/nam,loai,gia tri,nguon",
                   "ho_ngheo,Tỷ lệ hộ nghèo,%,Huyện Kim Sơn,2023,actual,3.5,Báo cáo")
    assert result.report.issues == [] and result.report.valid


def test_tong_so_exact_beats_folded_and_the_loser_is_not_read() -> None:
    result = check(f"{REST},Kỳ,tong so,Tổng số", f"{CELLS},2023,999,23")
    assert header_issues(result) == [("header_collision", "warning", "of_total", "tong so")]
    assert result.frame["of_total"].tolist() == [23.0]


def test_two_folded_claims_the_leftmost_wins_with_a_warning() -> None:
    result = check("indicator_id,indicator,don vi,dvt,area,period,kind,value,source",
                   "ho_ngheo,Tỷ lệ hộ nghèo,%,‰,Huyện Kim Sơn,2023,actual,3.5,Báo cáo")
    assert header_issues(result) == [("header_collision", "warning", "unit", "dvt")]
    assert result.report.valid and result.frame["unit"].tolist() == ["%"]


def test_a_folded_claim_beats_a_homograph() -> None:
    result = check(f"{REST},nam,ky nam", f"{CELLS},1250,2023")
    assert header_issues(result) == [("header_collision", "warning", "period", "nam")]
    assert result.frame["period"].tolist() == ["2023"]


def test_two_exact_claims_are_still_a_duplicate_column_error() -> None:
    result = check(f"{REST},Năm,Kỳ", f"{CELLS},2023,2024")
    assert header_issues(result) == [("duplicate_column", "error", "period", "Kỳ")]
    assert not result.report.valid


def test_exact_duplicates_and_a_folded_loser_together() -> None:
    result = check(f"{REST},Năm,nam,Kỳ", f"{CELLS},2023,1,2024")
    assert sorted(header_issues(result)) == [("duplicate_column", "error", "period", "Kỳ"),
                                             ("header_collision", "warning", "period", "nam")]


def test_a_report_table_with_a_nam_column_is_not_taken_for_a_tidy_one() -> None:
    """A yearbook table by sex ("Tổng số | Nam | Nữ"): "Nam" is not the period column."""
    from indicators.ingest.adapters import detect_table
    from indicators.ingest.reading import read_table

    report = read_table("Đơn vị,Tổng số 2023,Nam,Nữ\nXã Kim Đông,1250,600,650\n".encode(), "dan_so.csv")
    assert detect_table(report) == "wide"
    tidy = read_table("indicator,unit,Năm,value\nDân số,người,2023,1250\n".encode(), "t.csv")
    assert detect_table(tidy) == "tidy"

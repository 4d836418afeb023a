"""Terms (progress/terms.py): which term a row serves, closed or open, a closed term's verdicts, breaks."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from indicators.ingest.validate import validate_bytes
from indicators.progress.terms import VERDICTS, Term, row_terms, term_progress, terms_of, verdict_label

HEAD = "indicator_id,indicator,group,unit,area,term,period,kind,value,direction,series_break,source\n"


def frame(rows: str) -> pd.DataFrame:
    """A validated frame from CSV rows (header added): terms see what validation produces."""
    checked = validate_bytes((HEAD + rows).encode(), "terms.csv")
    assert checked.frame is not None, checked.report.to_lines()
    return checked.frame


def labels(rows: str) -> list[str]:
    return list(row_terms(frame(rows)))


# --- the term of a row ----------------------------------------------------------------------------------
def test_a_written_term_wins_and_is_canonical() -> None:
    got = labels("a,A,G,%,Xã A,nhiệm kỳ 2020 – 2025,2025,target,9,increase,,s\n"
                 "a,A,G,%,Xã A,2020-2025,2023,actual,5,increase,,s\n")
    assert got == ["2020-2025", "2020-2025"]


@pytest.mark.parametrize(("period", "kind", "expected"), [
    ("2025", "target", "2020-2025"),   # start < year <= end
    ("2021", "target", "2020-2025"),
    ("2020", "target", "2015-2020"),   # the start year is not in the span of a target: the congress term before
    ("2020", "baseline", "2020-2025"),  # a baseline in the start year
    ("2030", "target", "2025-2030"),
])
def test_a_target_or_baseline_takes_the_explicit_term_holding_it(period: str, kind: str, expected: str) -> None:
    rows = ("x,X,G,%,Tỉnh T,2020-2025,2025,target,1,increase,,s\n"  # makes 2020-2025 and 2025-2030 explicit
            "x,X,G,%,Tỉnh T,2025-2030,2030,target,2,increase,,s\n"
            f"a,A,G,%,Xã A,,{period},{kind},9,increase,,s\n")
    assert labels(rows)[2] == expected


def test_without_an_explicit_term_a_series_runs_from_its_baseline_to_its_target() -> None:
    got = labels("a,A,G,%,Xã A,,2018,baseline,1,increase,,s\na,A,G,%,Xã A,,2023,target,9,increase,,s\n"
                 "a,A,G,%,Xã A,,2021,actual,4,increase,,s\n")
    assert got == ["2018-2023", "2018-2023", ""]  # an observation has a term only when written


def test_without_a_baseline_the_congress_term_holds_the_target_year() -> None:
    got = labels("a,A,G,%,Xã A,,2025,target,9,increase,,s\nb,B,G,%,Xã A,,2026,target,9,increase,,s\n"
                 "c,C,G,%,Xã A,,2030,target,9,increase,,s\n")
    assert got == ["2020-2025", "2025-2030", "2025-2030"]


def test_derived_terms_with_one_end_year_are_one_term_from_the_commonest_start() -> None:
    # one series judged from 2019, two from 2020, one without a baseline (congress: 2020): one term 2020-2025
    rows = ("a,A,G,%,H,,2019,baseline,1,increase,,s\na,A,G,%,H,,2025,target,9,increase,,s\n"
            "b,B,G,%,H,,2020,baseline,1,increase,,s\nb,B,G,%,H,,2025,target,9,increase,,s\n"
            "c,C,G,%,H,,2020,baseline,1,increase,,s\nc,C,G,%,H,,2025,target,9,increase,,s\n"
            "d,D,G,%,H,,2025,target,9,increase,,s\n")
    assert set(labels(rows)) == {"2020-2025"}
    assert terms_of(frame(rows)) == [Term(start=2020, end=2025)]


def test_a_derived_term_joins_the_explicit_term_with_its_end_year() -> None:
    rows = ("a,A,G,%,H,2020-2025,2025,target,9,increase,,s\n"
            "b,B,G,%,H,,2019,baseline,1,increase,,s\nb,B,G,%,H,,2025,target,9,increase,,s\n")
    assert labels(rows) == ["2020-2025"] * 3


def test_terms_are_sorted_by_start() -> None:
    rows = "a,A,G,%,H,2025-2030,2030,target,9,increase,,s\na,A,G,%,H,2020-2025,2025,target,5,increase,,s\n"
    assert [x.label for x in terms_of(frame(rows))] == ["2020-2025", "2025-2030"]


# --- closed or open -------------------------------------------------------------------------------------
def test_a_term_closes_after_its_last_day() -> None:
    term = Term(label="2020-2025", start=2020, end=2025)
    assert term.window == (pd.Timestamp("2020-01-01"), pd.Timestamp("2025-12-31"))
    assert not term.closed(date(2025, 12, 31))
    assert term.closed(date(2026, 1, 1))


def test_a_term_closes_when_a_later_term_of_the_dataset_has_begun() -> None:
    old, new = Term(2020, 2025), Term(2025, 2030)
    assert old.closed(date(2025, 3, 1), [old, new])
    assert not old.closed(date(2024, 12, 31), [old, new])
    assert not new.closed(date(2025, 3, 1), [old, new])


# --- a term's progress and its verdicts -------------------------------------------------------------------
TWO_TERMS = (
    # achieved: 2.5 % of households poor in 2024 against a target of at most 3 %
    "ngheo,Hộ nghèo,G,%,H,2020-2025,2020,baseline,5,decrease,,s\n"
    "ngheo,Hộ nghèo,G,%,H,2020-2025,2025,target,3,decrease,,s\n"
    "ngheo,Hộ nghèo,G,%,H,,2022,actual,4,decrease,,s\n"
    "ngheo,Hộ nghèo,G,%,H,,2024,actual,2.5,decrease,,s\n"
    # the new poverty standard of 2025: the new term starts from it
    "ngheo,Hộ nghèo,G,%,H,2025-2030,2025,baseline,6,decrease,new_standard,s\n"
    "ngheo,Hộ nghèo,G,%,H,,2026,actual,5.5,decrease,,s\n"
    "ngheo,Hộ nghèo,G,%,H,2025-2030,2030,target,3,decrease,,s\n"
    # not achieved: the 2025 figure is in and below the target
    "thu,Thu ngân sách,G,tỷ đồng,H,2020-2025,2025,target,1000,increase,,s\n"
    "thu,Thu ngân sách,G,tỷ đồng,H,,2023,actual,800,increase,,s\n"
    "thu,Thu ngân sách,G,tỷ đồng,H,,2025,actual,950,increase,,s\n"
    # no final figure: only a 2023 figure, short of the 2025 target
    "truong,Trường chuẩn,G,trường,H,2020-2025,2025,target,20,increase,,s\n"
    "truong,Trường chuẩn,G,trường,H,,2023,actual,15,increase,,s\n"
)


def by_id(result: pd.DataFrame) -> dict[str, pd.Series]:
    return {str(r["indicator_id"]): r for _, r in result.iterrows()}


def test_a_closed_term_judges_each_target_on_its_final_figure() -> None:
    f = frame(TWO_TERMS)
    result = by_id(term_progress(f, Term(2020, 2025), today=date(2026, 6, 1)))
    assert {k: r["verdict"] for k, r in result.items()} == {
        "ngheo": "achieved", "thu": "not_achieved", "truong": "no_final"}
    # the final figure is the latest observation in the window (2026's belongs to the next term)
    assert (result["ngheo"]["final_value"], result["ngheo"]["final_period"]) == (2.5, "2024")
    assert (result["thu"]["final_value"], result["thu"]["final_date"]) == (950, pd.Timestamp("2025-12-31"))
    assert result["truong"]["final_period"] == "2023"
    assert set(VERDICTS) == {"achieved", "not_achieved", "no_final"}


def test_the_final_figure_of_a_term_is_inside_its_window() -> None:
    f = frame(TWO_TERMS + "thu,Thu ngân sách,G,tỷ đồng,H,,2026,actual,1200,increase,,s\n")
    thu = by_id(term_progress(f, Term(2020, 2025), today=date(2027, 1, 1)))["thu"]
    assert thu["final_value"] == 950  # 2026 belongs to the next term, however good it is
    assert thu["verdict"] == "not_achieved"


def test_an_open_term_has_no_verdict_but_its_pace() -> None:
    f = frame(TWO_TERMS)
    result = term_progress(f, Term(2025, 2030), today=date(2026, 6, 1))
    assert set(result["verdict"]) == {""}
    assert result["final_value"].isna().all()
    ngheo = by_id(result)["ngheo"]
    # from 6 % (2025, the new standard) towards 3 % in 2030: a sixth of the way in a fifth of the time
    assert (ngheo["baseline_value"], ngheo["latest_value"], ngheo["target_value"]) == (6, 5.5, 3)
    assert ngheo["pace"] == pytest.approx((0.5 / 3) / (365 / (365.25 * 5 - 0.25)), rel=1e-3)
    assert ngheo["status"] == "needs_acceleration"


def test_only_the_terms_targets_count() -> None:
    f = frame(TWO_TERMS)
    old = by_id(term_progress(f, Term(2020, 2025), today=date(2026, 6, 1)))
    new = by_id(term_progress(f, Term(2025, 2030), today=date(2026, 6, 1)))
    assert old["ngheo"]["target_value"] == 3 and old["ngheo"]["target_period"] == "2025"
    assert new["ngheo"]["target_period"] == "2030"
    assert pd.isna(new["thu"]["target_value"]) and new["thu"]["latest_value"] == 950  # 2025 serves both terms


def test_observations_before_a_break_are_not_the_baseline_fallback() -> None:
    rows = ("r,Tỷ lệ,G,%,H,2025-2030,2030,target,80,increase,,s\n"
            "r,Tỷ lệ,G,%,H,,2025,actual,90,increase,,s\n"           # the old unit's figure
            "r,Tỷ lệ,G,%,H,,2026,actual,40,increase,merger,s\n"     # the merged unit starts here
            "r,Tỷ lệ,G,%,H,,2027,actual,50,increase,,s\n")
    r = term_progress(frame(rows), Term(2025, 2030), today=date(2027, 6, 1)).iloc[0]
    assert r["baseline_value"] == 40 and r["baseline_from"] == "first_observation"
    assert r["status"] != "achieved"  # judged from 2025's 90 it would have looked achieved already


def test_a_break_before_the_window_changes_nothing() -> None:
    rows = ("r,Tỷ lệ,G,%,H,2025-2030,2030,target,80,increase,,s\n"
            "r,Tỷ lệ,G,%,H,,2020,actual,10,increase,method_change,s\n"
            "r,Tỷ lệ,G,%,H,,2025,actual,20,increase,,s\n"
            "r,Tỷ lệ,G,%,H,,2027,actual,50,increase,,s\n")
    r = term_progress(frame(rows), Term(2025, 2030), today=date(2027, 6, 1)).iloc[0]
    assert r["baseline_value"] == 20 and r["n_obs"] == 2


def test_a_verdict_reads_in_both_languages_with_its_symbol() -> None:
    assert verdict_label("achieved", "vi") == "✔ Đạt mục tiêu"
    assert verdict_label("no_final", "vi") == "… Chưa công bố số liệu cuối kỳ"
    assert verdict_label("not_achieved", "en") == "✘ Target not achieved"

"""The view of a version per area and term (present/view.py): defaults, scopes, verdicts, roll-ups, reports.

The fixture tests/fixtures/terms/province.csv holds a province, two communes and two terms: 2020-2025
(closed: the test's today is in 2026, and 2025-2030 has begun) and 2025-2030 (open).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from indicators.ingest.validate import validate_bytes
from indicators.present.pdf import build_brief
from indicators.present.pptx import build_deck
from indicators.present.view import VersionView, view_of
from indicators.progress.terms import TERM_KINDS, row_terms
from indicators.store.current import load_csv

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "terms" / "province.csv"
PROVINCE, ONE, TWO = "Tỉnh Thử Nghiệm", "Xã Một", "Xã Hai"
TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def view() -> VersionView:
    return view_of(load_csv(FIXTURE), label=1, today=TODAY)


def test_terms_and_what_a_page_opens_on(view: VersionView) -> None:
    assert [x.label for x in view.terms] == ["2020-2025", "2025-2030"]
    assert view.closed(view.terms[0]) and not view.closed(view.terms[1])
    assert view.default_term().label == "2025-2030"  # the latest term that has begun
    assert view.default_term(ONE).label == "2025-2030"
    assert view.default_area(view.term("2020-2025")) == PROVINCE  # the highest level with targets
    assert view.main_area == PROVINCE
    assert view.areas_by_level()[0] == PROVINCE


def test_a_term_not_begun_is_not_the_default() -> None:
    early = view_of(load_csv(FIXTURE), today=date(2024, 6, 1))
    assert early.default_term().label == "2020-2025"
    assert not early.closed(early.terms[0])


@pytest.mark.parametrize("area", [PROVINCE, ONE, TWO])
@pytest.mark.parametrize("term", ["2020-2025", "2025-2030"])
def test_a_scope_holds_exactly_its_areas_rows(view: VersionView, area: str, term: str) -> None:
    scope = view.scope(area, term)
    frame = view.rows
    labels = row_terms(frame)
    other_terms = frame["kind"].isin(TERM_KINDS) & (labels != term)
    expected = frame[(frame["area"] == area) & ~other_terms]
    assert set(scope.frame["area"]) == {area}
    assert sorted(scope.frame["row"]) == sorted(expected["row"])
    assert len(scope.frame) == len(expected)
    assert set(scope.result["area"]) == {area}
    assert view.scope(area, term) is scope  # computed once per (area, term)


def test_the_closed_terms_verdicts(view: VersionView) -> None:
    scope = view.scope(PROVINCE, "2020-2025")
    assert scope.closed
    verdicts = dict(zip(scope.result["indicator_id"], scope.result["verdict"], strict=True))
    assert verdicts["ho_ngheo"] == "achieved"       # 2.5 % in 2024, at most 3 % wanted
    assert verdicts["thu_ngan_sach"] == "not_achieved"  # 950 in 2025, 1,000 wanted
    assert verdicts["truong_chuan"] == "no_final"    # 15 in 2023, nothing since
    commune = view.scope(ONE, "2020-2025")
    assert dict(zip(commune.result["indicator_id"], commune.result["verdict"], strict=True))["ho_ngheo"] == "achieved"


def test_the_open_term_has_pace_and_no_verdict(view: VersionView) -> None:
    scope = view.scope(PROVINCE, "2025-2030")
    assert not scope.closed
    assert set(scope.result["verdict"]) == {""}
    row = scope.result.set_index("indicator_id").loc["ho_ngheo"]
    assert (row["baseline_value"], row["latest_value"], row["target_value"]) == (6, 5.5, 3)
    assert row["status"] == "needs_acceleration"


def test_a_break_inside_the_term_restarts_the_baseline(view: VersionView) -> None:
    row = view.scope(TWO, "2025-2030").result.set_index("indicator_id").loc["xa_hop_nhat"]
    # 75 in March 2025 was the old unit's; the merged unit starts at 60 in October
    assert (row["baseline_value"], row["latest_value"]) == (60, 66)
    assert row["progress"] == pytest.approx(6 / 30)


def test_sub_areas(view: VersionView) -> None:
    assert view.sub_areas(PROVINCE) == [ONE, TWO]
    assert view.sub_areas(ONE) == []


def test_a_parent_without_a_figure_gets_the_sum_of_its_children(view: VersionView) -> None:
    row = view.scope(PROVINCE, "2025-2030").result.set_index("indicator_id").loc["thu_ngan_sach"]
    assert row["latest_value"] == 560 + 500 and row["latest_period"] == "2026"
    assert bool(row["computed"]) and "2/2" in row["latest_source"]


def test_the_report_of_a_closed_term_states_the_verdicts(view: VersionView) -> None:
    report = view.report("vi", PROVINCE, "2020-2025")
    assert report.closed and report.term == "Nhiệm kỳ 2020–2025"
    assert report.term_line == ("Nhiệm kỳ 2020–2025 đã kết thúc: 1/3 mục tiêu đạt, 1 không đạt, "
                                "1 chưa công bố số liệu cuối kỳ.")
    sentences = " ".join(report.sentences(report.result))
    assert "số liệu cuối kỳ 950 tỷ đồng (2025), mục tiêu 1.000 tỷ đồng, năm 2025 — ✘ Không đạt mục tiêu" in sentences
    english = view.report("en", PROVINCE, "2020-2025")
    assert english.term_line.startswith("Term 2020–2025 has ended: 1 of 3 targets achieved")


def test_the_report_of_an_open_term_says_the_pace(view: VersionView) -> None:
    report = view.report("vi", ONE, "2025-2030")
    assert not report.closed and report.term_line == ""
    assert report.area == ONE and set(report.result["area"]) == {ONE}


def test_deck_and_brief_follow_the_area_and_term(view: VersionView) -> None:
    deck = Presentation(io.BytesIO(build_deck(view, lang="vi", area=PROVINCE, term="2020-2025")))
    words = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "Nhiệm kỳ 2020–2025 đã kết thúc" in words and "✘ Không đạt mục tiêu" in words
    brief = PdfReader(io.BytesIO(build_brief(view, lang="en", area=ONE, term="2025-2030")))
    text = " ".join(page.extract_text() for page in brief.pages)
    assert "Xã Một" in text and "has ended" not in text


def test_old_callers_still_get_the_main_area(view: VersionView) -> None:
    assert set(view.main["area"]) == {PROVINCE}
    assert view.as_of == pd.Timestamp("2026-12-31")


# --- indicators report --area --term ----------------------------------------------------------------------
def test_cli_report_follows_area_and_term(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from indicators.cli import main

    out = tmp_path / "brief.pdf"
    assert main(["report", "--format", "pdf", "--out", str(out), "--data", str(FIXTURE), "--area", PROVINCE,
                 "--term", "2020-2025"]) == 0
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Nhiệm kỳ 2020–2025 đã kết thúc" in text and PROVINCE in text
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["--area", "Xã Không Có"], "Số liệu không có địa bàn 'Xã Không Có'."),
    (["--term", "1990-1995"], "Số liệu không có nhiệm kỳ '1990-1995' (có: 2020-2025, 2025-2030)."),
])
def test_cli_report_names_an_unknown_area_or_term(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 args: list[str], message: str) -> None:
    from indicators.cli import main

    out = tmp_path / "deck.pptx"
    assert main(["report", "--format", "pptx", "--out", str(out), "--data", str(FIXTURE), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("indicators report: ") and message in err and "Traceback" not in err
    assert not out.exists()


# --- across the 2025 reorganisation (the shipped crosswalk) ----------------------------------------------------
MERGER = ("indicator_id,indicator,group,unit,area,period,kind,value,direction,source\n"
          "ty_le,Tỷ lệ,G,%,Xã Xuân Chính,2023,actual,50,increase,s\n"
          "ty_le,Tỷ lệ,G,%,Xã Xuân Chính,2024,actual,55,increase,s\n"
          "ty_le,Tỷ lệ,G,%,Xã Hồi Ninh,2024,actual,40,increase,s\n"
          "ty_le,Tỷ lệ,G,%,Xã Chất Bình,2026,actual,48,increase,s\n"
          "ty_le,Tỷ lệ,G,%,Xã Quang Thiện,2024,actual,30,increase,s\n"
          "ty_le,Tỷ lệ,G,%,Xã Quang Thiện,2026,actual,35,increase,s\n")


def test_a_successor_shows_its_predecessors_beside_it_never_summed() -> None:
    checked = validate_bytes(MERGER.encode(), "merger.csv")
    assert checked.frame is not None
    view = view_of(checked.frame, today=TODAY)
    before = view.predecessor_rows("Xã Chất Bình", "ty_le")
    assert sorted(zip(before["predecessor"], before["value"], strict=True)) == [
        ("Xã Hồi Ninh", 40), ("Xã Xuân Chính", 50), ("Xã Xuân Chính", 55)]
    own = view.scope("Xã Chất Bình", None).result.iloc[0]
    assert (own["latest_value"], own["n_obs"]) == (48, 1)  # its own figure alone
    # a unit whose name outlived the merger: its series breaks on the day it changed
    assert view.merger_dates("Xã Quang Thiện") == [pd.Timestamp("2025-07-01")]


def test_an_area_without_targets_opens_on_a_term_that_holds_its_figures() -> None:
    rows = ("indicator_id,indicator,group,unit,area,term,period,kind,value,direction,source\n"
            "a,A,G,%,Tỉnh T,2020-2025,2025,target,9,increase,s\n"
            "a,A,G,%,Tỉnh T,2025-2030,2030,target,9,increase,s\n"
            "a,A,G,%,Xã Cũ,,2022,actual,4,increase,s\n")
    checked = validate_bytes(rows.encode(), "old.csv")
    assert checked.frame is not None
    view = view_of(checked.frame, today=TODAY)
    assert view.default_term("Xã Cũ").label == "2020-2025"  # its only figure is of the closed term
    assert view.default_term("Tỉnh T").label == "2025-2030"


def test_the_view_holds_the_stored_rows_once_beside_their_roll_ups() -> None:
    """The stored rows are a slice of the rows with the roll-ups, not a second copy of a province's frame."""
    import numpy as np

    from bench.province import province_frame
    from indicators.present.view import view_of

    frame = province_frame()
    v = view_of(frame)
    assert len(v.computed) and len(v.rows) == len(frame) + len(v.computed)
    assert np.shares_memory(v.frame["value"].to_numpy(), v.rows["value"].to_numpy())
    pd.testing.assert_frame_equal(v.frame, frame)

"""The one view of a version (present/view.py): its rules, and the same words on screen and in the handouts."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from indicators import paths
from indicators.ingest.validate import validate_bytes
from indicators.present import model
from indicators.present.pdf import build_brief
from indicators.present.pptx import build_deck
from indicators.present.view import VersionView, as_of_date, load_view, main_area, value_text, view_of
from indicators.store.current import load_csv
from indicators.store.versions import Store

ROOT = Path(__file__).resolve().parents[1]
HEAD = "indicator_id,indicator,group,unit,area,period,kind,value,of_total,direction,source\n"


def frame_of(rows: str) -> pd.DataFrame:
    checked = validate_bytes((HEAD + rows).encode(), "t.csv")
    assert checked.frame is not None, checked.report.to_lines()
    return checked.frame


# --- the rules ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("rows", "expected"), [
    # the area with the most target rows, even if another area has more rows
    ("a,A,G,%,Xã B,2022,actual,1,,increase,s\na,A,G,%,Xã B,2023,actual,2,,increase,s\n"
     "a,A,G,%,Xã B,2024,actual,3,,increase,s\na,A,G,%,Huyện H,2025,target,9,,increase,s\n", "Huyện H"),
    # without targets: the area with the most rows
    ("a,A,G,%,Xã B,2022,actual,1,,,s\na,A,G,%,Xã C,2022,actual,2,,,s\na,A,G,%,Xã C,2023,actual,3,,,s\n", "Xã C"),
    # a tie goes to the area met first in the file
    ("a,A,G,%,Xã Z,2025,target,1,,increase,s\na,A,G,%,Xã A,2025,target,2,,increase,s\n", "Xã Z"),
    ("a,A,G,%,Xã A,2025,target,1,,increase,s\na,A,G,%,Xã Z,2025,target,2,,increase,s\n", "Xã A"),
])
def test_main_area_rule(rows: str, expected: str) -> None:
    assert main_area(frame_of(rows)) == expected
    assert view_of(frame_of(rows)).main_area == expected


def test_main_area_of_an_empty_dataset_is_empty() -> None:
    frame = frame_of("a,A,G,%,Xã A,2022,actual,1,,,s\n").iloc[0:0]
    assert main_area(frame) == ""


@pytest.mark.parametrize(("rows", "expected"), [
    # the latest observation of the main area's series with a target; a later context figure does not move it
    ("t,T,G,%,H,2020,baseline,1,,increase,s\nt,T,G,%,H,2023-10-31,actual,5,,increase,s\n"
     "t,T,G,%,H,2025,target,9,,increase,s\nc,C,G,xã,H,2024,actual,23,,,s\n", "2023-10-31"),
    # no series with a target has a value yet: the main area's latest observation
    ("t,T,G,%,H,2025,target,9,,increase,s\nc,C,G,xã,H,2024,actual,23,,,s\n", "2024-12-31"),
    # nothing observed in the main area: the dataset's latest observation
    ("t,T,G,%,H,2025,target,9,,increase,s\nc,C,G,xã,Xã B,2022,actual,3,,,s\n", "2022-12-31"),
    # nothing observed at all
    ("t,T,G,%,H,2025,target,9,,increase,s\n", None),
])
def test_as_of_rule(rows: str, expected: str | None) -> None:
    frame = frame_of(rows)
    view = view_of(frame)
    assert view.main_area == "H"
    assert view.as_of == (None if expected is None else pd.Timestamp(expected))
    assert as_of_date(frame, view.result, "H") == view.as_of


def test_value_text_keeps_the_denominator_and_reads_flags() -> None:
    view = view_of(frame_of("x,Xã đạt chuẩn,G,xã,H,2023,actual,23,23,increase,s\n"
                            "x,Xã đạt chuẩn,G,xã,H,2025,target,23,,increase,s\n"
                            "f,Đạt chuẩn,G,1 = đạt chuẩn,H,2023,actual,1,,,s\n"))
    texts = view.value_texts("vi")
    assert list(texts) == ["23/23 xã", "đạt chuẩn"]
    assert value_text(view.result.iloc[0], "en") == "23 of 23 xã"


def test_a_stored_version_reads_as_its_file(tmp_path: Path) -> None:
    frame = load_csv(paths.KIM_SON_DATA)
    with Store(f"sqlite:///{tmp_path / 'store.sqlite'}") as store:
        store.ensure_schema()
        info = store.seed_if_empty(frame, source_name="kim_son.csv",
                                   sha256=hashlib.sha256(paths.KIM_SON_DATA.read_bytes()).hexdigest())
        assert info is not None
        stored = load_view(store, info.version)
    from_file = view_of(frame)
    assert (stored.version, stored.label, stored.key) == (info.version, str(info.version), f"v{info.version}")
    assert stored.created_at == info.created_at
    assert (stored.main_area, stored.as_of) == (from_file.main_area, from_file.as_of) == (
        "Huyện Kim Sơn", pd.Timestamp("2023-10-31"))
    assert list(stored.value_texts()) == list(from_file.value_texts())


# --- the same words everywhere ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped() -> VersionView:
    return view_of(load_csv(paths.KIM_SON_DATA), label=1)


@pytest.fixture
def own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("INDICATORS_VAR_DIR", str(tmp_path))


def scope_of(view: VersionView) -> dict[str, str]:
    """The view's default area and term as a link gives them (the store may hold more than the view)."""
    term = view.default_term(view.main_area)
    return {"area": view.main_area, **({"term": term.label} if term else {})}


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def test_overview_deck_and_brief_write_the_same_value_texts(shipped: VersionView, own_store: None) -> None:
    targeted = shipped.main[shipped.main["target_value"].notna()]
    expected = [value_text(r, "vi") for _, r in targeted.iterrows()]
    assert "23/23 xã" in expected  # the denominator, as the sentences say it

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in scope_of(shipped).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    cards = [unescape(m.value) for m in at.metric if m.label.startswith("Mới nhất")]
    assert cards == [expected[i] for column in range(3) for i in range(column, len(expected), 3)]  # 3 columns

    deck = Presentation(io.BytesIO(build_deck(shipped, lang="vi")))
    cells = [c.text for s in deck.slides for sh in s.shapes if sh.has_table for row in sh.table.rows
             for c in row.cells]
    brief = PdfReader(io.BytesIO(build_brief(shipped, lang="vi")))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in brief.pages))
    for value in expected:
        assert any(c == value or c.startswith(value + " (") for c in cells), value
        assert value in text, value


def test_presentation_mode_and_the_deck_follow_one_slide_plan(shipped: VersionView, own_store: None) -> None:
    plan = shipped.slide_plan("vi")
    at = AppTest.from_file(str(ROOT / "app_pages" / "present.py"), default_timeout=120)
    for key, value in scope_of(shipped).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    options = at.selectbox(key="slide").options
    assert [o.split(" · ", 1)[1] for o in options] == [s.title for s in plan]

    report = shipped.report("vi")
    deck = Presentation(io.BytesIO(build_deck(shipped, lang="vi")))
    titles = [s.shapes.title.text for s in deck.slides]
    groups = [s.title for s in plan if s.kind == "group"]
    assert [t for t in titles if t in groups] == groups  # the plan's groups, in the plan's order
    body = "\n".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame)
    positions = [body.find(line) for s in plan if s.kind == "indicator"
                 for line in model.slide_lines(report, s)]
    assert -1 not in positions and positions == sorted(positions)  # every series slide's words, in order


def test_the_summary_command_writes_the_same_value_texts(shipped: VersionView,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from indicators.cli import main

    assert main(["summary", "--data", str(paths.KIM_SON_DATA)]) == 0
    lines = capsys.readouterr().out.splitlines()
    for (_, row), value in zip(shipped.result.iterrows(), shipped.value_texts("vi"), strict=True):
        assert any(f"[{row['area']}]: {value} (" in line for line in lines), value

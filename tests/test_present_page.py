"""Presentation mode under AppTest: it runs, steps through slides, keeps the slide in the URL, builds exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "app_pages" / "present.py")


@pytest.fixture(autouse=True)
def own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDICATORS_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    monkeypatch.setenv("INDICATORS_VAR_DIR", str(tmp_path))


def plain(markdown: str) -> str:
    """The text a reader sees: the page escapes Markdown in data text."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    return "\n".join(plain(m.value) for m in [*at.markdown, *at.title, *at.header])


#: The shipped district and its term (closed since 2026: its slides state the verdicts).
KIM_SON = {"area": "Huyện Kim Sơn", "term": "2020-2025"}


def open_present(**query: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for key, value in {**KIM_SON, **query}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_title_slide_then_next_and_previous() -> None:
    at = open_present()
    assert plain(at.title[0].value) == "Kết quả thực hiện các chỉ tiêu kinh tế - xã hội"
    assert "Huyện Kim Sơn · Nhiệm kỳ 2020–2025" in texts(at)
    assert "Nhiệm kỳ 2020–2025 đã kết thúc: 4/6 mục tiêu đạt, 0 không đạt, 2 chưa công bố số liệu cuối kỳ." in texts(at)
    at.button(key="slide_next").click().run()
    assert at.session_state["slide"] == "2" and at.query_params["slide"] == "2"
    assert at.header[0].value == "Nông thôn mới"
    at.button(key="slide_next").click().run()
    assert ("Số xã đạt chuẩn nông thôn mới: số liệu cuối kỳ 23/23 xã (31/10/2023), mục tiêu 23 xã, năm 2025"
            " — ✔ Đạt mục tiêu.") in texts(at)
    at.button(key="slide_prev").click().run()
    assert at.session_state["slide"] == "2"


def test_a_link_opens_on_its_slide_and_out_of_range_falls_back() -> None:
    at = open_present(slide="3")
    assert at.selectbox(key="slide").value == "3"
    assert open_present(slide="999").selectbox(key="slide").value == "1"


def test_english_party_slide_has_the_articles_numbers() -> None:
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["lang"] = "en"
    for key, value in KIM_SON.items():
        at.query_params[key] = value
    at.run()
    options = at.selectbox(key="slide").options
    number = next(o.split("/")[0] for o in options if o.endswith("New Party members admitted during the term"))
    at.selectbox(key="slide").set_value(number).run()
    text = texts(at)
    # the term is over and no figure of 2025 is published: the verdict says so, with the latest figure
    assert ("New Party members admitted during the term: target 1,000 đảng viên by 2025; latest figure"
            " 667 đảng viên (31 Oct 2023) — … No final figure published.") in text


def test_building_the_deck_and_the_brief() -> None:
    at = open_present()
    at.button(key="build_exports").click().run()
    assert not at.exception
    exports = at.session_state["exports"]
    assert exports["pptx"][:4] == b"PK\x03\x04" and exports["pdf"][:4] == b"%PDF"


def test_a_series_of_one_date_is_drawn_on_a_year_axis_not_milliseconds() -> None:
    import pandas as pd

    from indicators.present.charts import series_chart

    rows = pd.DataFrame({"period_end": [pd.Timestamp("2026-12-31")], "kind": ["actual"], "value": [25.0],
                         "qualifier": [""]})
    summary = pd.Series({"unit": "đảng viên", "target_value": float("nan"), "target_date": pd.NaT,
                         "projected": float("nan"), "latest_date": pd.Timestamp("2026-12-31"), "status": "no_target",
                         "indicator": "Số đảng viên mới", "indicator_en": "", "latest_value": 25.0})
    axis = series_chart(rows, summary, "vi").layout.xaxis
    assert axis.tickformat == "%Y" and axis.dtick == "M12"
    assert pd.Timestamp(axis.range[0]) < pd.Timestamp("2026-01-01") < pd.Timestamp("2027-12-31") < pd.Timestamp(axis.range[1])

"""Presentation mode in a real browser: Next button and arrow keys move the slide in the URL, large chart
text, the dark panel, and the deck downloaded and opened with python-pptx."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pptx import Presentation

from tests.browser.conftest import ROOT, _free_port, _wait_healthy, shot

pytestmark = pytest.mark.browser

#: Until app.py lists the page, the test serves it alone through this entry script.
ENTRY = """import streamlit as st
from webui import ui
st.set_page_config(page_title="Trình chiếu", layout="wide")
ui.language_switch()
st.navigation([st.Page({page!r}, title="Trình chiếu", url_path="present", default=True)]).run()
"""


@pytest.fixture(scope="module")
def present_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app's /present page when app.py routes to it; else a server running the page alone."""
    if 'url_path="present"' in (ROOT / "app.py").read_text(encoding="utf-8"):
        yield request.getfixturevalue("server")["url"] + "/present"
        return
    workdir = tmp_path_factory.mktemp("present")
    entry = workdir / "entry.py"
    entry.write_text(ENTRY.format(page=str(ROOT / "app_pages" / "present.py")), encoding="utf-8")
    env = dict(os.environ, INDICATORS_DATABASE_URL=f"sqlite:///{workdir / 'store.sqlite'}",
               INDICATORS_VAR_DIR=str(workdir), PYTHONPATH=str(ROOT))
    port = _free_port()
    with open(workdir / "streamlit.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(entry), "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy(f"http://127.0.0.1:{port}", proc)
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def slide_in_url(page: object, n: int) -> None:
    page.wait_for_url(re.compile(rf"[?&]slide={n}(&|$)"), timeout=30_000)  # type: ignore[attr-defined]


def heading(page: object, text: str) -> None:
    """Wait until the rerun is over (nothing stale on screen) and the slide's own heading reads `text`."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "t => !document.querySelector('[data-stale=\"true\"]')"
        " && [...document.querySelectorAll('.st-key-slide_panel h1, .st-key-slide_panel h2')]"
        ".some(h => h.textContent.trim() === t)", arg=text, timeout=30_000,
    )


def test_step_through_slides_with_button_and_keys(present_url: str, page: object) -> None:
    page.goto(present_url + "?slide=1")  # type: ignore[attr-defined]
    page.wait_for_selector(".st-key-slide_panel .js-plotly-plot .main-svg", timeout=60_000)  # type: ignore[attr-defined]
    heading(page, "Kết quả thực hiện các chỉ tiêu kinh tế - xã hội")
    shot(page, "present_title_vi")

    page.locator(".st-key-slide_next button").click()  # type: ignore[attr-defined]
    slide_in_url(page, 2)
    heading(page, "Nông thôn mới")

    page.keyboard.press("ArrowRight")  # type: ignore[attr-defined]
    slide_in_url(page, 3)
    heading(page, "Số xã đạt chuẩn nông thôn mới")
    body = page.locator(".st-key-slide_panel").inner_text()  # type: ignore[attr-defined]
    assert "Đến 31/10/2023, số xã đạt chuẩn nông thôn mới đạt 23/23 xã" in body
    page.keyboard.press("ArrowLeft")  # type: ignore[attr-defined]
    slide_in_url(page, 2)
    heading(page, "Nông thôn mới")
    page.wait_for_selector(".st-key-slide_panel .js-plotly-plot .main-svg", timeout=30_000)  # type: ignore[attr-defined]
    assert "Nông thôn mới: 12 chỉ tiêu" in page.locator(".st-key-slide_panel").inner_text()  # type: ignore[attr-defined]

    sizes = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".st-key-slide_panel .js-plotly-plot .main-svg text",
        "els => els.filter(e => e.textContent.trim()).map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes and min(sizes) >= 20, sorted(set(sizes))
    shot(page, "present_group_vi")


def test_a_link_opens_its_slide_in_the_dark(present_url: str, page: object) -> None:
    page.goto(present_url + "?slide=3")  # type: ignore[attr-defined]
    heading(page, "Số xã đạt chuẩn nông thôn mới")
    page.locator(".st-key-dark label").click()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => getComputedStyle(document.querySelector('.st-key-slide_panel')).backgroundColor === 'rgb(14, 17, 23)'",
        timeout=30_000,
    )
    page.wait_for_selector(".st-key-slide_panel .main-svg rect[style*='rgb(14, 17, 23)']", timeout=30_000)  # type: ignore[attr-defined]
    shot(page, "present_indicator_dark_vi")


def test_download_the_deck(present_url: str, page: object, tmp_path: Path) -> None:
    page.goto(present_url + "?slide=1")  # type: ignore[attr-defined]
    heading(page, "Kết quả thực hiện các chỉ tiêu kinh tế - xã hội")
    page.locator(".st-key-build_exports button").click()  # type: ignore[attr-defined]
    button = page.locator(".st-key-deck_download button")  # type: ignore[attr-defined]
    button.wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as info:  # type: ignore[attr-defined]
        button.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".pptx"
    deck = Presentation(str(path))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[0] == "Kết quả thực hiện các chỉ tiêu kinh tế - xã hội" and "Xây dựng Đảng" in titles
    text = "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "667 đảng viên" in text and "66,7%" in text
    shot(page, "present_downloads_vi")

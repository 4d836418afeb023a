"""Presentation mode in a real browser: Next button and arrow keys move the slide in the URL, large chart
text, the dark panel, and the deck downloaded and opened with python-pptx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx import Presentation

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def present_url(server: dict[str, str]) -> str:
    """The app's presentation page."""
    return server["url"] + "/present"


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
    # the district's term is closed (the clock is past 2025): the slide gives its verdict and final figure
    assert "Số xã đạt chuẩn nông thôn mới: số liệu cuối kỳ 23/23 xã" in body and "Đạt mục tiêu" in body
    page.keyboard.press("ArrowLeft")  # type: ignore[attr-defined]
    slide_in_url(page, 2)
    heading(page, "Nông thôn mới")
    page.wait_for_selector(".st-key-slide_panel .js-plotly-plot .main-svg", timeout=30_000)  # type: ignore[attr-defined]
    assert "Nông thôn mới: 11 chỉ tiêu" in page.locator(".st-key-slide_panel").inner_text()  # type: ignore[attr-defined] # the 2019 NTM capital is before the term

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
    assert "667 đảng viên" in text and "Chưa công bố số liệu cuối kỳ" in text  # the closed term's verdict
    shot(page, "present_downloads_vi")

"""Officials' flow in a real browser: the overview renders its Plotly charts with the article's numbers."""

from __future__ import annotations

import pytest

from tests.browser.conftest import idle, shot

pytestmark = pytest.mark.browser


def wait_for_app(page: object) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)


def test_overview_shows_rendered_charts_and_statuses(server: dict[str, str], page: object) -> None:
    page.goto(server["url"] + "/")  # type: ignore[attr-defined]
    wait_for_app(page)
    page.wait_for_selector("text=Đúng tiến độ", timeout=30_000)  # type: ignore[attr-defined]
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "Số đảng viên mới được kết nạp trong nhiệm kỳ" in body
    assert "667 đảng viên" in body          # Vietnamese number format
    assert "1.000 đảng viên" in body        # target with dot thousands
    charts = page.locator(".js-plotly-plot")  # type: ignore[attr-defined]
    assert charts.count() >= 2
    # drawn charts have marks: one point per indicator with a pace (3 in the shipped data) and the bars
    assert page.locator(".js-plotly-plot .scatterlayer .point").count() >= 3  # type: ignore[attr-defined]
    assert page.locator(".js-plotly-plot .barlayer .point").count() >= 6  # type: ignore[attr-defined]
    shot(page, "overview_vi")


def test_english_link_and_indicator_page_from_url(server: dict[str, str], page: object) -> None:
    page.goto(server["url"] + "/indicator?indicator=dang_vien_moi&lang=en")  # type: ignore[attr-defined]
    wait_for_app(page)
    page.wait_for_selector("text=New Party members admitted during the term", timeout=30_000)  # type: ignore[attr-defined]
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "No final figure published" in body  # the term closed with 667 of 1,000 the last published
    assert "667" in body and "1,000" in body
    shot(page, "indicator_en")

"""The areas page in a real browser: the tile grid is drawn (no boundaries are set, nothing is fetched from the
internet), and a click on a square opens that commune's overview with ?area= in the URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import idle, shot

pytestmark = pytest.mark.browser


def test_a_click_on_a_tile_opens_that_communes_overview(server: dict[str, str], page: object) -> None:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server["url"], "blob:", "data:"))  # type: ignore[attr-defined]
            else None)
    page.goto(server["url"] + "/areas?lang=en")  # type: ignore[attr-defined]
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    tiles = page.locator(".js-plotly-plot").first.locator("g.textpoint")  # type: ignore[attr-defined]
    assert tiles.count() == 25  # a square per commune and township of Kim Sơn
    assert "Each square is an area" in page.inner_text("body")  # type: ignore[attr-defined]
    shot(page, "areas_tiles_en")
    lines = tiles.first.locator("tspan.line").all_text_contents()  # "○", "Ân", "Hòa": the symbol, a word a line
    box = tiles.first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # type: ignore[attr-defined]
    page.wait_for_url("**/?area=*", timeout=30_000)  # type: ignore[attr-defined]
    idle(page)
    query = parse_qs(urlparse(page.url).query)  # type: ignore[attr-defined]
    assert query["lang"] == ["en"]
    assert lines[0] == "○" and query["area"][0] == "Xã " + " ".join(lines[1:])  # the clicked commune
    assert outside == []

"""A province of communes in a real browser (issue 10, item 9): a commune analyst, limited to Xã Kim Sơn and
needing approval, submits the commune's figure; a province analyst approves it on the review page; the
province's overview then shows the figure rolled up from its communes ("Tính từ số liệu 1/129 xã"), and the
areas page's map (a tile grid: no boundaries are configured) shows the commune's tile. Photographed on a
desktop and a phone (test-artifacts/province_*.png).

The server has its own store (seeded from the shipped data), so the other browser tests see theirs unchanged.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.conftest import idle, shot
from tests.live_server import serve

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "province_browser" / "xa_kim_son_2026.csv"
PASSWORD = "tinh-va-xa-2026-dung-thu"
PROVINCE = "Tỉnh Ninh Bình"


def add_user(database_url: str, name: str, *extra: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "indicators.cli", "users", "add", name, "--role", "analyst", *extra, "--password-stdin"],
        input=PASSWORD + "\n", text=True, check=True, cwd=ROOT,
        env={**os.environ, "INDICATORS_DATABASE_URL": database_url},
    )


@pytest.fixture(scope="module")
def province_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("province_browser")
    url = f"sqlite:///{folder / 'indicators.sqlite'}"
    with serve(folder, extra_env={"INDICATORS_DATABASE_URL": url}) as running:
        add_user(url, "xa_kim_son", "--area", "Xã Kim Sơn", "--needs-approval")
        add_user(url, "tinh_ninh_binh", "--area", PROVINCE)
        yield {"url": running.url, "database_url": url}


def sign_in(page: object, url: str, name: str, waiting_for: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đăng nhập cán bộ số liệu", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    sidebar = page.locator("[data-testid='stSidebar']")  # type: ignore[attr-defined]
    sidebar.get_by_label("Tên đăng nhập").fill(name)
    sidebar.get_by_label("Mật khẩu").fill(PASSWORD)
    sidebar.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector(waiting_for, state="attached", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)


def test_a_commune_submits_the_province_approves_and_the_overview_and_map_show_it(
        province_server: dict[str, str], browser: object, page: object) -> None:
    base = province_server["url"]
    # the commune analyst: the figure goes in as a submission, the current version is unchanged
    sign_in(page, base + "/upload", "xa_kim_son", "input[type=file]")
    page.set_input_files("input[type=file]", str(FIXTURE))  # type: ignore[attr-defined]
    submit = page.get_by_role("button", name="Gửi duyệt")  # type: ignore[attr-defined]
    submit.wait_for(timeout=60_000)
    idle(page)
    page.get_by_label("Ghi chú cho phiên bản (bắt buộc)").fill("Số đảng viên mới năm 2026 của xã")  # type: ignore[attr-defined]
    shot(page, "province_submit")
    submit.click()
    page.wait_for_selector("text=Đã gửi duyệt", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)

    # the province analyst, in a browser of their own: approve it
    reviewer = browser.new_context(viewport={"width": 1440, "height": 2400})  # type: ignore[attr-defined]
    try:
        review = reviewer.new_page()
        sign_in(review, base + "/review", "tinh_ninh_binh", "text=Đang đăng nhập")
        shot(review, "province_review")
        review.get_by_role("button", name="Duyệt", exact=True).wait_for(timeout=60_000)
        assert "Số đảng viên mới năm 2026 của xã" in review.inner_text("body")  # the submitter's comment
        review.get_by_role("button", name="Duyệt", exact=True).click()
        review.wait_for_selector("text=Đã duyệt lần gửi số 1", timeout=60_000)
        idle(review)
    finally:
        reviewer.close()

    # the province's overview: the commune's figure rolled up among its other figures (a table: a canvas, so
    # photographed), and the indicator's own page, which writes its value and coverage out
    page.goto(f"{base}/?area={quote(PROVINCE)}&term=2025-2030")  # type: ignore[attr-defined]
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    assert PROVINCE in page.inner_text("h1")  # type: ignore[attr-defined]
    shot(page, "province_overview")
    page.goto(f"{base}/indicator?indicator=dang_vien_moi_xa&area={quote(PROVINCE)}&term=2025-2030")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Tính từ số liệu 1/129 xã", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    assert "25 đảng viên" in page.inner_text("body")  # type: ignore[attr-defined]
    shot(page, "province_indicator")

    # the areas page: one indicator over the province's communes; Xã Kim Sơn's tile carries its status
    page.goto(f"{base}/areas?indicator=dang_vien_moi_xa&area={quote(PROVINCE)}&term=2025-2030&level=commune")  # type: ignore[attr-defined]
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    tiles = page.locator(".js-plotly-plot").first.inner_text()  # type: ignore[attr-defined]
    assert "KimSơn" in "".join(tiles.split())  # its square: the symbol, then a word a line
    shot(page, "province_areas")

    phone = browser.new_context(viewport={"width": 390, "height": 2400}, is_mobile=True)  # type: ignore[attr-defined]
    try:
        small = phone.new_page()
        small.goto(f"{base}/areas?indicator=dang_vien_moi_xa&area={quote(PROVINCE)}&term=2025-2030&level=commune")
        small.wait_for_selector(".js-plotly-plot", timeout=60_000)
        idle(small)
        shot(small, "province_areas_phone")
    finally:
        phone.close()

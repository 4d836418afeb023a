"""A report table ("biểu") and a batch of communes' forms in a real browser (issue 9, item 9): sign in, upload
the district's annex, correct one row of the proposed mapping in the editable table (its indicator is the
stored series under other words), apply, preview, commit, and see the new value on the overview; then the
three communes' forms of one round at once, committed as one version per file. The mapping step is
photographed on a desktop and on a phone (test-artifacts/bieu_*.png).

The server has its own store (seeded from the shipped data), so the other browser tests see theirs unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import idle, shot
from tests.browser.test_analyst_browser import PASSWORD, add_analyst
from tests.live_server import serve

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "tests" / "fixtures" / "bieu_browser"
ROUND = ["xa_kim_hai.csv", "xa_kim_tan.csv", "xa_an_hoa.csv"]


@pytest.fixture(scope="module")
def bieu_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("bieu_browser")
    url = f"sqlite:///{folder / 'indicators.sqlite'}"
    seed = str(ROOT / "data" / "kim_son_2020_2025.csv")  # the district's annex updates the district alone
    with serve(folder, extra_env={"INDICATORS_DATABASE_URL": url, "INDICATORS_DATA": seed}) as running:
        add_analyst(url)
        yield {"url": running.url, "database_url": url}


def sign_in(page: object, url: str, *, phone: bool = False) -> None:
    page.goto(url + "/upload")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đăng nhập cán bộ số liệu", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    if phone:  # the sidebar, with the sign-in box, is folded away: open it as the page says
        page.locator("[data-testid='stExpandSidebarButton']").click()  # type: ignore[attr-defined]
    sidebar = page.locator("[data-testid='stSidebar']")  # type: ignore[attr-defined]
    sidebar.get_by_label("Tên đăng nhập").fill("hoa")
    sidebar.get_by_label("Mật khẩu").fill(PASSWORD)
    sidebar.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)  # type: ignore[attr-defined]
    if phone:  # fold the sidebar again: it covers the page on a phone
        page.locator("[data-testid='stSidebarCollapseButton'] button").click()  # type: ignore[attr-defined]
        idle(page)


def edit_cell(page: object, editor: int, row: int, column: int, text: str) -> None:
    """Type `text` into one cell of the `editor`-th editable table (a canvas grid) as an analyst does with
    the keyboard: select its first cell, move with the arrow keys, Enter opens the cell's editor, type,
    Enter keeps it."""
    grid = page.locator("[data-testid='stDataFrame']").nth(editor)  # type: ignore[attr-defined]
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # type: ignore[attr-defined]  # row 0, column 0
    for key in ["ArrowDown"] * row + ["ArrowRight"] * column + ["Enter"]:
        page.keyboard.press(key)  # type: ignore[attr-defined]
    entry = page.locator("#portal textarea, #portal input").first  # type: ignore[attr-defined]
    entry.wait_for(timeout=10_000)
    entry.fill(text)
    entry.press("Enter")
    idle(page)


def test_a_biểu_corrected_previewed_committed_and_seen_then_a_batch(bieu_server: dict[str, str], browser: object,
                                                                  page: object) -> None:
    sign_in(page, bieu_server["url"])
    page.set_input_files("input[type=file]", str(FORMS / "huyen_kim_son.csv"))  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đã nhận dạng: Biểu dạng bảng rộng", timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_selector("text=Ánh xạ bảng", timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    assert page.locator("[data-testid='stDataFrame']").count() == 3  # type: ignore[attr-defined]
    # the rows' table: row, label, role, indicator_id…; its second line is the satisfaction rate
    edit_cell(page, 1, 1, 3, "hai_long_ntm")
    page.get_by_role("button", name="Áp dụng").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đang dùng ánh xạ bạn đã sửa", timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_selector("text=Tệp hợp lệ: 4 dòng", timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_selector("[data-testid='stMetric'] >> text=Dòng mới", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    metrics = page.locator("[data-testid='stMetric']").all_inner_texts()  # type: ignore[attr-defined]
    assert any(m.split() == ["Dòng", "mới", "4"] for m in metrics), metrics
    shot(page, "bieu_mapping_desktop")
    page.get_by_label("Ghi chú cho phiên bản (bắt buộc)").fill("Biểu 01 huyện năm 2025")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Ghi thành phiên bản mới").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đã ghi phiên bản 2", timeout=60_000)  # type: ignore[attr-defined]

    page.get_by_role("link", name="Tổng quan").click()  # type: ignore[attr-defined]  # the sidebar keeps the session
    page.wait_for_selector("[data-testid='stMetric'] >> text=98,4%", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    shot(page, "bieu_overview_after")

    page.get_by_role("link", name="Cập nhật số liệu").click()  # type: ignore[attr-defined]
    page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)  # type: ignore[attr-defined]
    page.get_by_text("Nhiều tệp một lúc").click()  # type: ignore[attr-defined]  # the batch's own uploader
    page.wait_for_selector("text=Các tệp số liệu của một đợt", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    page.set_input_files("input[type=file]", [str(FORMS / name) for name in ROUND])  # type: ignore[attr-defined]
    page.wait_for_selector("text=Cả 3 tệp hợp lệ: 24 dòng", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    page.get_by_text("Mỗi tệp một phiên bản").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=các tệp được ghi lần lượt", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    shot(page, "bieu_batch_desktop")
    page.get_by_label("Ghi chú cho phiên bản (bắt buộc)").fill("Đợt báo cáo các xã 2025")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Ghi thành phiên bản mới").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đã ghi 3 phiên bản: 3, 4, 5", timeout=60_000)  # type: ignore[attr-defined]


def test_the_mapping_step_on_a_phone(bieu_server: dict[str, str], browser: object) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 2400}, is_mobile=True,  # type: ignore[attr-defined]
                                  has_touch=True)
    phone = context.new_page()
    try:
        sign_in(phone, bieu_server["url"], phone=True)
        phone.set_input_files("input[type=file]", str(FORMS / "huyen_kim_son.csv"))
        phone.wait_for_selector("text=Ánh xạ bảng", timeout=60_000)
        phone.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
        idle(phone)
        grids = phone.locator("[data-testid='stDataFrame']")
        widths = [grids.nth(i).bounding_box()["width"] for i in range(2)]
        assert all(w <= 390 for w in widths), widths  # the tables scroll inside the screen, not past it
        assert phone.get_by_role("button", name="Áp dụng").is_visible()
        shot(phone, "bieu_mapping_phone")
    finally:
        context.close()

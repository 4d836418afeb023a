"""The analyst's whole flow in a real browser: sign in, a bad file gets its report, a good file is previewed
and committed, another browser session sees the new value, rollback restores the old one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import idle, shot

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-rat-dai-2025"


def add_analyst(database_url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "indicators.cli", "users", "add", "hoa", "--role", "analyst", "--password-stdin"],
        input=PASSWORD + "\n", text=True, check=True, cwd=ROOT,
        env={**os.environ, "INDICATORS_DATABASE_URL": database_url},
    )


def test_upload_commit_seen_elsewhere_then_rollback(server: dict[str, str], browser: object, page: object,
                                                    tmp_path: Path) -> None:
    add_analyst(server["database_url"])
    shipped = (ROOT / "data" / "kim_son_2020_2025.csv").read_text(encoding="utf-8")
    bad = tmp_path / "sai.csv"
    bad.write_text(shipped.replace(",31/10/2023,actual,667,", ",31/10/2023,actual,6 trăm,", 1), encoding="utf-8")
    good = tmp_path / "cap_nhat.csv"
    good.write_text(shipped.replace(",31/10/2023,actual,667,", ",31/10/2023,actual,731,", 1), encoding="utf-8")

    page.goto(server["url"] + "/upload")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đăng nhập cán bộ số liệu", timeout=60_000)  # type: ignore[attr-defined]
    assert page.locator("input[type=file]").count() == 0  # type: ignore[attr-defined]
    page.get_by_label("Tên đăng nhập").fill("hoa")  # type: ignore[attr-defined]
    page.get_by_label("Mật khẩu").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Đăng nhập").click()  # type: ignore[attr-defined]
    page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)  # type: ignore[attr-defined]

    page.set_input_files("input[type=file]", str(bad))  # type: ignore[attr-defined]
    page.wait_for_selector("text=bad_number", state="attached", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    assert page.get_by_role("button", name="Ghi thành phiên bản mới").count() == 0  # type: ignore[attr-defined]
    shot(page, "upload_bad_file")

    page.set_input_files("input[type=file]", str(good))  # type: ignore[attr-defined]
    page.wait_for_selector("text=Tệp hợp lệ", timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_selector("[data-testid='stMetric'] >> text=Không đổi", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    metrics = page.locator("[data-testid='stMetric']").all_inner_texts()  # type: ignore[attr-defined]
    assert any(m.split() == ["Thay", "đổi", "1"] for m in metrics), metrics  # one value changed: 667 → 731
    page.get_by_label("Ghi chú cho phiên bản (bắt buộc)").fill("Số liệu quý IV")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Ghi thành phiên bản mới").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đã ghi phiên bản 2", timeout=60_000)  # type: ignore[attr-defined]
    shot(page, "upload_committed")

    other = browser.new_context(viewport={"width": 1440, "height": 2000}).new_page()  # type: ignore[attr-defined]
    other.goto(server["url"] + "/")
    other.wait_for_selector("text=731 đảng viên", timeout=60_000)

    # through the sidebar (a reload would start a new session, signed out)
    page.get_by_role("link", name="Lịch sử phiên bản").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=Khôi phục về phiên bản", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    page.get_by_role("button", name="Khôi phục phiên bản").click()  # type: ignore[attr-defined]
    idle(page)
    shot(page, "history_after_rollback")
    other.reload()
    other.wait_for_selector("text=667 đảng viên", timeout=60_000)
    other.context.close()

"""Approval in a real browser: a commune analyst (limited to Xã Kim Hải, needs approval) submits a new figure
of the commune — nothing changes —, a province analyst approves it on the review page in another session, and
the store's history says who submitted and who approved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import idle, shot

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-rat-dai-2025"
COMMUNE = "Xã Kim Hải"


def cli(database_url: str, *args: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-m", "indicators.cli", *args], input=stdin, text=True, check=True,
                          capture_output=True, cwd=ROOT, env={**os.environ, "INDICATORS_DATABASE_URL": database_url})
    return done.stdout


def sign_in(page: object, url: str, name: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đăng nhập cán bộ số liệu", timeout=60_000)  # type: ignore[attr-defined]
    page.get_by_label("Tên đăng nhập").fill(name)  # type: ignore[attr-defined]
    page.get_by_label("Mật khẩu").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Đăng nhập").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đăng xuất", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)


def test_a_commune_submits_and_the_province_approves(server: dict[str, str], browser: object, page: object,
                                                     tmp_path: Path) -> None:
    url = server["database_url"]
    cli(url, "users", "add", "hai", "--role", "analyst", "--area", COMMUNE, "--needs-approval", "--password-stdin",
        stdin=PASSWORD + "\n")
    cli(url, "users", "add", "tinh", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    lines = (ROOT / "data" / "kim_son_2020_2025.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    mine = next(line for line in lines if f",{COMMUNE},2021,actual," in line)
    figures = tmp_path / "kim_hai_2023.csv"
    figures.write_text(lines[0] + mine.replace(",2021,actual,", ",2023,actual,", 1), encoding="utf-8")

    sign_in(page, server["url"] + "/upload", "hai")  # (the first page seeds an empty store)
    versions = len(json.loads(cli(url, "history", "--format", "json")))  # the session's server is shared
    page.wait_for_selector("text=Số liệu bạn tải lên được gửi duyệt", timeout=60_000)  # type: ignore[attr-defined]
    page.set_input_files("input[type=file]", str(figures))  # type: ignore[attr-defined]
    page.wait_for_selector("text=Tệp hợp lệ", timeout=60_000)  # type: ignore[attr-defined]
    idle(page)
    page.get_by_label("Ghi chú cho phiên bản (bắt buộc)").fill("Kim Hải năm 2023")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Gửi duyệt").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=Đã gửi duyệt (lần gửi số 1, 1 dòng)", timeout=60_000)  # type: ignore[attr-defined]
    shot(page, "approval_submitted")
    assert "Pending" in cli(url, "submissions", "list", "--lang", "en")
    assert len(json.loads(cli(url, "history", "--format", "json"))) == versions  # nothing written

    reviewer = browser.new_context(viewport={"width": 1440, "height": 2000}).new_page()  # type: ignore[attr-defined]
    sign_in(reviewer, server["url"] + "/review", "tinh")
    reviewer.wait_for_selector("[data-testid='stMetric'] >> text=Dòng mới", timeout=60_000)
    metrics = reviewer.locator("[data-testid='stMetric']").all_inner_texts()
    assert any(m.split() == ["Dòng", "mới", "1"] for m in metrics), metrics
    reviewer.get_by_role("button", name="Duyệt", exact=True).click()
    reviewer.wait_for_selector(f"text=Đã duyệt lần gửi số 1: phiên bản {versions + 1}", timeout=60_000)
    shot(reviewer, "approval_approved")
    reviewer.context.close()

    history = cli(url, "history", "--lang", "en").splitlines()
    assert history[0].lstrip("* ").startswith(f"{versions + 1} ") and "tinh" in history[0]
    assert "Kim Hải năm 2023" in history[0]
    assert history[1].strip().startswith("Submitted by hai at ") and "Approved by tinh at " in history[1]

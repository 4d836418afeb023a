"""What the page tests (AppTest) share: a temporary store with one analyst, and a page opened as a visitor
opens it (the app first, then the page)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.store import accounts
from indicators.store.versions import Store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SHIPPED = (ROOT / "data" / "kim_son_2020_2025.csv").read_bytes()
PASSWORD = "mật-khẩu-dài-đủ"


def analyst_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str = "lan") -> str:
    """A SQLite store under `tmp_path`, used by the app (INDICATORS_DATABASE_URL), with the analyst `name`.
    The app seeds it from the Kim Sơn file alone (INDICATORS_DATA): the page tests upload that file (`SHIPPED`)
    and count what it changes against it, not against the province's rows shipped beside it."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("INDICATORS_DATABASE_URL", url)
    monkeypatch.setenv("INDICATORS_DATA", str(ROOT / "data" / "kim_son_2020_2025.csv"))
    store = Store(url)
    store.ensure_schema()
    accounts.add_user(store, name, PASSWORD, "analyst")
    return url


def open_page(page: str) -> AppTest:
    """The app run once, then `page` (e.g. "app_pages/upload.py"), with no exception on the way."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at

"""Accounts in the real pages (AppTest): a session whose account is disabled, or whose password changes,
after it signed in cannot write any more: the write is refused, nothing is stored, the session signs out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.cli import main
from indicators.store import accounts as auth
from indicators.store.versions import Store
from tests.apptest import PASSWORD, SHIPPED, analyst_store, open_page

REVOKED = "Tài khoản đã bị khóa hoặc đổi mật khẩu"


@pytest.fixture()
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return analyst_store(tmp_path, monkeypatch)


def signed_in(page: str) -> AppTest:
    at = open_page(page)
    at.text_input(key="login_name").input("LAN")  # any case finds the account
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("lan" in m.value for m in at.sidebar.markdown)
    return at


def ready_to_commit(at: AppTest) -> AppTest:
    newer = SHIPPED.replace(b",31/10/2023,actual,667,", b",31/10/2023,actual,712,", 1)
    at.file_uploader(key="upload").upload("nam_2023.csv", newer, "text/csv").run()
    at.text_input(key="comment").input("Số liệu mới")
    return at


def commit(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Ghi thành phiên bản mới").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_disabled_account_cannot_commit_from_its_open_session(store_url: str) -> None:
    at = ready_to_commit(signed_in("app_pages/upload.py"))
    auth.disable_user(Store(store_url), "lan")
    commit(at)
    assert any(REVOKED in e.value for e in at.error)
    assert len(Store(store_url).history()) == 1  # only the seed: nothing written
    at.run()
    assert at.text_input(key="login_name") is not None  # signed out: the sign-in form is back


def test_a_changed_password_signs_the_open_session_out(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = ready_to_commit(signed_in("app_pages/upload.py"))
    monkeypatch.setattr("sys.stdin", io.StringIO("một câu mật khẩu mới dài\n"))
    assert main(["users", "passwd", "lan", "--password-stdin", "--database-url", store_url]) == 0
    commit(at)
    assert any(REVOKED in e.value for e in at.error)
    assert len(Store(store_url).history()) == 1


def test_a_disabled_account_cannot_roll_back(store_url: str) -> None:
    at = ready_to_commit(signed_in("app_pages/upload.py"))
    commit(at)
    assert len(Store(store_url).history()) == 2  # still enabled: the commit went through
    hist = signed_in("app_pages/history.py")
    auth.disable_user(Store(store_url), "lan")
    hist.text_input(key="rollback_comment").input("Quay lại")
    next(b for b in hist.button if b.label == "Khôi phục phiên bản").click().run()
    assert any(REVOKED in e.value for e in hist.error)
    assert len(Store(store_url).history()) == 2


def _write_button_script() -> None:
    import streamlit as st

    from webui import account

    if st.button("write", key="write"):
        writer = account.require_writer()
        st.success(f"writing as {writer.name}")


@pytest.mark.parametrize("change", ["disable", "passwd"])
def test_require_writer_re_reads_the_account_at_each_write(store_url: str, change: str) -> None:
    store = Store(store_url)
    at = AppTest.from_function(_write_button_script, default_timeout=60)
    at.session_state["analyst"] = auth.authenticate(store, "lan", PASSWORD)
    at.run()
    at.button(key="write").click().run()
    assert [s.value for s in at.success] == ["writing as lan"]
    if change == "disable":
        auth.disable_user(store, "lan")
    else:
        auth.set_password(store, "lan", "một câu mật khẩu mới dài")
    at.button(key="write").click().run()
    assert not at.success and any(REVOKED in e.value for e in at.error)
    assert "analyst" not in at.session_state  # signed out

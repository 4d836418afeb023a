"""Analyst sign-in for the pages that write (upload, rollback). Viewing never needs it.

The signed-in user lives in this browser session only. The sign-in box re-reads the account on every
run, and every write goes through `require_writer()`, which re-reads it again just before writing: a session whose account was disabled or whose password was
changed since it signed in is signed out and refused, so nothing is written.

Sessions with a signed-in analyst are the only ones whose file uploads the server accepts
(`upload_allowed`, read by the server's upload guard in webui/guards.py).
"""

from __future__ import annotations

import math
import threading
from datetime import UTC, datetime

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from indicators.i18n import t
from indicators.store import accounts as auth
from indicators.store import throttle
from indicators.store.current import shared_store
from webui import ui

SESSION_KEY = "analyst"
_writers: set[str] = set()  # Streamlit session ids with a signed-in analyst
_writers_lock = threading.Lock()


def upload_allowed(session_id: str) -> bool:
    """Whether the server should accept a file upload for this Streamlit session."""
    with _writers_lock:
        return session_id in _writers


def _mark_writer(signed_in: bool) -> None:
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    with _writers_lock:
        (_writers.add if signed_in else _writers.discard)(ctx.session_id)


def _lang() -> str:
    return str(st.session_state.get("lang") or "vi")


def current_user() -> auth.User | None:
    user = st.session_state.get(SESSION_KEY)
    return user if isinstance(user, auth.User) and user.can_commit else None


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    _mark_writer(False)


def require_writer() -> auth.User:
    """The signed-in analyst as the store has it now; stops the run (nothing written) when there is none,
    or when the account was disabled or its password changed since sign-in (the session is signed out)."""
    user = current_user()
    if user is None:
        st.error(t("login_required", _lang()))
        st.stop()
    try:
        fresh = auth.recheck(shared_store(), user)
    except auth.SessionRevoked:
        sign_out()
        st.error(t("session_revoked", _lang()))
        st.stop()
    st.session_state[SESSION_KEY] = fresh
    return fresh


def _still_signed_in() -> auth.User | None:
    """The signed-in analyst, re-read from the store; a revoked session is signed out (and told so)."""
    user = current_user()
    if user is None:
        return None
    try:
        st.session_state[SESSION_KEY] = user = auth.recheck(shared_store(), user)
    except auth.SessionRevoked:
        sign_out()
        st.sidebar.error(t("session_revoked", _lang()))
        return None
    return user


def client_address() -> str:
    """The key of the address this session connects from (`local` on localhost: local sessions share it)."""
    address = st.context.ip_address
    return throttle.client_key(address if isinstance(address, str) else None, auth.LOCAL_CLIENT)


def login_box(lang: str) -> auth.User | None:
    """Sidebar sign-in / sign-out. Returns the analyst, or None after showing the form."""
    user = _still_signed_in()
    box = st.sidebar.container(border=True)
    if user is not None:
        _mark_writer(True)
        box.write(ui.md("{signed_in} **{name}** ({role})", signed_in=t("signed_in_as", lang), name=user.name,
                          role=user.role))
        if box.button(t("sign_out", lang), key="sign_out"):
            sign_out()
            st.rerun()
        return user
    _mark_writer(False)
    with box.form("login", clear_on_submit=False):
        st.write(t("analyst_login", lang))
        name = st.text_input(t("username", lang), key="login_name", max_chars=64)
        password = st.text_input(t("password", lang), type="password", key="login_password",
                                 max_chars=auth.MAX_PASSWORD_LENGTH)
        submitted = st.form_submit_button(t("sign_in", lang))
    if submitted:
        found = _sign_in(box, name, password, lang)
        if found is None:
            return None
        st.session_state[SESSION_KEY] = found
        _mark_writer(True)
        st.rerun()
    return None


def _retry_text(retry_at: datetime, lang: str) -> str:
    """When to try again: the UTC time and how long that is from now (an official's clock is not on UTC)."""
    seconds = max(1, math.ceil((retry_at - datetime.now(UTC)).total_seconds()))
    wait = (t("wait_seconds", lang, n=seconds) if seconds < 60
            else t("wait_minutes", lang, n=math.ceil(seconds / 60)))
    return f"{retry_at:%H:%M:%S} UTC ({wait})"


def _sign_in(box: st.delta_generator.DeltaGenerator, name: str, password: str, lang: str) -> auth.User | None:
    try:
        found = auth.authenticate(shared_store(), name, password, client=client_address())
    except auth.LoginLocked as locked:
        box.error(t("login_locked", lang, until=ui.plain(_retry_text(locked.retry_at, lang))))
        return None
    except auth.LoginThrottled as throttled:
        box.error(t("login_throttled", lang, until=ui.plain(_retry_text(throttled.retry_at, lang))))
        return None
    except auth.LoginBusy:
        box.warning(t("login_busy", lang))
        return None
    if found is None or not found.can_commit:
        box.error(t("login_failed", lang))
        return None
    return found

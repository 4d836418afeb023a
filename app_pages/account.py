"""Analyst sign-in for the pages that write (upload, rollback). Viewing never needs it.

The signed-in user lives in this browser session only; every write re-checks it (`require_writer`), so a
request without an analyst session cannot commit even if it reaches the button's code path.
"""

from __future__ import annotations

import streamlit as st

from indicators import auth, dataset
from indicators.i18n import t

SESSION_KEY = "analyst"


def current_user() -> auth.User | None:
    user = st.session_state.get(SESSION_KEY)
    return user if isinstance(user, auth.User) and user.can_commit else None


def require_writer() -> auth.User:
    """The signed-in analyst; stops the run (nothing written) when there is none."""
    user = current_user()
    if user is None:
        st.error(t("login_required", st.session_state.get("lang") or "vi"))
        st.stop()
    return user


def login_box(lang: str) -> auth.User | None:
    """Sidebar sign-in / sign-out. Returns the analyst, or None after showing the form."""
    user = current_user()
    box = st.sidebar.container(border=True)
    if user is not None:
        box.write(f"{t('signed_in_as', lang)} **{user.name}** ({user.role})")
        if box.button(t("sign_out", lang), key="sign_out"):
            del st.session_state[SESSION_KEY]
            st.rerun()
        return user
    with box.form("login", clear_on_submit=False):
        st.write(t("analyst_login", lang))
        name = st.text_input(t("username", lang), key="login_name")
        password = st.text_input(t("password", lang), type="password", key="login_password")
        submitted = st.form_submit_button(t("sign_in", lang))
    if submitted:
        try:
            found = auth.authenticate(dataset.store(), name, password)
        except auth.LoginLocked as locked:
            box.error(t("login_locked", lang, until=f"{locked.retry_at:%H:%M} UTC"))
            return None
        if found is None or not found.can_commit:
            box.error(t("login_failed", lang))
            return None
        st.session_state[SESSION_KEY] = found
        st.rerun()
    return None

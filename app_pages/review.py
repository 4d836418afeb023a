"""Review (signed-in analysts): the submissions of accounts that need approval, within the reviewer's areas —
each previewed against the current version (what approving changes, and what it overwrites of the changes
made since it was submitted) — approved into a new version or returned with a comment. The rules and the
write are `indicators.store.submissions`; the glue is webui/review_view.py."""

import streamlit as st

from indicators.i18n import t
from indicators.store.current import shared_store
from webui import account, review_view, ui

lang = ui.lang()
st.title(t("review", lang))
user = account.login_box(lang)
if user is None:
    st.info(t("login_required", lang))
    st.stop()

store = shared_store()
st.caption(t("review_intro", lang))
review_view.pending(store, user, lang)
review_view.closed(store, lang)

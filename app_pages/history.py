"""History: every version (nothing is ever deleted), downloads, comparison of two versions, rollback."""

import pandas as pd
import streamlit as st

from indicators.i18n import t
from indicators.present.formatting import fmt_date
from indicators.store import current as dataset
from indicators.store.diff import compare_versions
from indicators.store.versions import ConcurrentCommitError, StoreError
from webui import account, ui

SEEN_CURRENT = "history_seen_current"

lang = ui.lang()
st.title(t("history", lang))
user = account.login_box(lang)
store = dataset.store()
versions = store.history()
current = store.current_version()
ui.table(pd.DataFrame({
    t("version", lang): [v.version for v in versions],
    t("created_at", lang): [fmt_date(v.created_at, lang) + v.created_at.strftime(" %H:%M UTC") for v in versions],
    t("user", lang): [v.user for v in versions],
    t("comment", lang): [v.comment for v in versions],
    t("file", lang): [v.filename for v in versions],
    t("rows", lang): [v.rows for v in versions],
    t("count_new", lang): [v.new for v in versions],
    t("count_changed", lang): [v.changed for v in versions],
    t("count_removed", lang): [v.removed for v in versions],
    "sha256": [v.sha256[:12] for v in versions],
    t("current", lang): [current is not None and v.version == current.version for v in versions],
}), hide_index=True, width="stretch", height=ui.table_height(len(versions), limit=12))

ids = [v.version for v in versions]
st.subheader(t("download_version", lang))
c1, c2, c3 = st.columns([2, 1, 1])
chosen = c1.selectbox(t("version", lang), ids, key="dl_version")
c2.download_button(t("download_csv", lang), ui.export_bytes(f"v{chosen}", "csv"), f"indicators_v{chosen}.csv",
                   "text/csv", key="hist_csv")
c3.download_button(t("download_xlsx", lang), ui.export_bytes(f"v{chosen}", "xlsx"), f"indicators_v{chosen}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="hist_xlsx")

st.subheader(t("compare_versions", lang))
c1, c2 = st.columns(2)
older = c1.selectbox(t("older", lang), ids, index=min(1, len(ids) - 1), key="cmp_a")
newer = c2.selectbox(t("newer", lang), ids, index=0, key="cmp_b")
diff = compare_versions(ui.view_of(f"v{older}").frame, ui.view_of(f"v{newer}").frame)
cols = st.columns(4)
for col, (name, count) in zip(cols, diff.counts().items(), strict=True):
    col.metric(t(f"count_{name}", lang), int(count), border=True)
ui.table(diff.changes.head(ui.TABLE_ROW_LIMIT), hide_index=True, width="stretch",
             height=ui.table_height(len(diff.changes), limit=15))

st.subheader(t("rollback", lang))
if user is None:
    st.info(t("login_required", lang))
    st.stop()
with st.form("rollback"):
    target = st.selectbox(t("rollback_to", lang), [i for i in ids if current is None or i != current.version])
    reason = st.text_input(t("commit_comment", lang), key="rollback_comment")
    go = st.form_submit_button(t("rollback", lang), type="primary")
seen = st.session_state.get(SEEN_CURRENT, current.version if current else None)  # as on screen when pressed
st.session_state[SEEN_CURRENT] = current.version if current else None
if go and target is not None:
    writer = account.require_writer()  # right before the write: the account is re-checked
    try:
        info = store.rollback(int(target), user=writer.name, comment=reason.strip() or None,
                              expected_current=seen)
    except ConcurrentCommitError:
        st.error(t("concurrent_commit", lang))
        st.stop()
    except StoreError as exc:
        st.error(ui.plain(exc.message(lang)))
        st.stop()
    st.success(t("rolled_back", lang, version=int(info.version), target=int(target)))
    st.rerun()

"""History: every version (nothing is ever deleted), downloads, comparison of two versions, rollback."""

import streamlit as st

from indicators.i18n import t
from indicators.present.formatting import fmt_date
from indicators.present.view import VersionView
from indicators.store.current import shared_store
from indicators.store.diff import compare_versions
from indicators.store.submissions import Submission, approvals
from indicators.store.versions import ConcurrentCommitError, StoreError, VersionInfo
from webui import account, ui, upload_view

SEEN_CURRENT = "history_seen_current"

lang = ui.lang()
st.title(t("history", lang))
user = account.login_box(lang)


@ui.per_version
def _listing(v: VersionView, lang: str) -> tuple[list[VersionInfo], ui.SafeTable]:
    """Every version and their table, read once per current version (a commit or rollback makes a new one)."""
    versions, approved = shared_store().history(), approvals(shared_store())
    return versions, ui.safe_table({
        t("version", lang): [i.version for i in versions],
        t("created_at", lang): [fmt_date(i.created_at, lang) + i.created_at.strftime(" %H:%M UTC") for i in versions],
        t("user", lang): [i.user for i in versions],
        t("comment", lang): [i.comment for i in versions],
        t("history_submission", lang): [_approval(approved.get(i.version), lang) for i in versions],
        t("file", lang): [i.filename for i in versions],
        t("rows", lang): [i.rows for i in versions],
        t("count_new", lang): [i.new for i in versions],
        t("count_changed", lang): [i.changed for i in versions],
        t("count_removed", lang): [i.removed for i in versions],
        "sha256": [i.sha256[:12] for i in versions],
        t("current", lang): [i.version == v.version for i in versions],
    })


def _approval(s: Submission | None, lang: str) -> str:
    """"Gửi bởi X lúc … · Duyệt bởi Y lúc …" for a version an approval made, else ""."""
    if s is None:
        return ""
    return t("history_approval", lang, user=s.user, submitted=upload_view.when(s.created_at, lang),
             reviewer=s.reviewer or "", reviewed=upload_view.when(s.reviewed_at, lang))


@ui.per_version
def _diff(v: VersionView, lang: str, older: int) -> tuple[dict[str, int], ui.SafeTable]:
    """What changed from version `older` to `v`: the counts and the first TABLE_ROW_LIMIT changes."""
    diff = compare_versions(ui.view_at(older).frame, v.frame)
    return {k: int(n) for k, n in diff.counts().items()}, ui.safe_table(diff.changes.head(ui.TABLE_ROW_LIMIT))


store = shared_store()
current = ui.view()
versions, listing = _listing(current, lang)
ui.table(listing, hide_index=True, width="stretch", height=ui.table_height(len(versions), limit=12))

ids = [v.version for v in versions]
st.subheader(t("download_version", lang))
c1, c2, c3 = st.columns([2, 1, 1])
chosen = c1.selectbox(t("version", lang), ids, key="dl_version")
c2.download_button(t("download_csv", lang), ui.export_bytes(int(chosen), "csv"), f"indicators_v{chosen}.csv",
                   "text/csv", key="hist_csv")
c3.download_button(t("download_xlsx", lang), ui.export_bytes(int(chosen), "xlsx"), f"indicators_v{chosen}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="hist_xlsx")

st.subheader(t("compare_versions", lang))
c1, c2 = st.columns(2)
older = c1.selectbox(t("older", lang), ids, index=min(1, len(ids) - 1), key="cmp_a")
newer = c2.selectbox(t("newer", lang), ids, index=0, key="cmp_b")
counts, changes = _diff(ui.view_at(int(newer)), lang, int(older))
cols = st.columns(4)
for col, (name, count) in zip(cols, counts.items(), strict=True):
    col.metric(t(f"count_{name}", lang), int(count), border=True)
ui.table(changes, hide_index=True, width="stretch", height=ui.table_height(len(changes), limit=15))

st.subheader(t("rollback", lang))
if user is None:
    st.info(t("login_required", lang))
    st.stop()
if not user.unrestricted:  # a rollback replaces every area's rows
    st.info(t("rollback_unrestricted", lang))
    st.stop()
with st.form("rollback"):
    target = st.selectbox(t("rollback_to", lang), [i for i in ids if i != current.version])
    reason = st.text_input(t("commit_comment", lang), key="rollback_comment")
    go = st.form_submit_button(t("rollback", lang), type="primary")
seen = st.session_state.get(SEEN_CURRENT, current.version)  # as on screen when pressed
st.session_state[SEEN_CURRENT] = current.version
if go and target is not None:
    writer = account.require_writer()  # right before the write: the account is re-checked
    if not writer.unrestricted:
        st.error(t("rollback_unrestricted", lang))
        st.stop()
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

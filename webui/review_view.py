"""The review page's drawing: the pending submissions a reviewer may act on, one previewed at a time with the
upload page's tables, the approve / return form, and the reviewed ones below. The preview is kept in the
session so that the Approve button writes onto the version it was shown against (or says it moved)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from indicators.i18n import t
from indicators.present.view import VersionView
from indicators.store import submissions as subs
from indicators.store.accounts import User
from indicators.store.current import shared_store
from indicators.store.diff import CHANGE_COLUMNS
from indicators.store.versions import ConcurrentCommitError, StoreError
from webui import account, ui, upload_view

SHOWN, MOVED, DONE = "review_shown", "review_moved", "review_done"


def _reviewable(store: Any, user: User, found: list[subs.Submission]) -> list[tuple[subs.Submission, Any]]:
    """The pending submissions `user` may review (their rows within its areas, not its own), with their rows."""
    if user.needs_approval:
        return []
    frame = ui.view().frame if store.current_version() is not None else None
    out = []
    for s in found:
        rows = subs.rows(store, s.id)
        try:
            subs.may_review(user, s, rows, subs.area_register(frame, rows))
        except subs.WriteRefused:
            continue
        out.append((s, rows))
    return out


def pending(store: Any, user: User, lang: str) -> None:
    if done := st.session_state.pop(DONE, None):
        st.success(done)
    if user.needs_approval:
        st.info(t("review_needs_approval", lang, name=ui.plain(user.name)))
        return
    mine = _reviewable(store, user, subs.submissions_list(store, "pending"))
    if not mine:
        st.info(t("review_none", lang))
        return
    by_id = {s.id: s for s, _ in mine}
    chosen = st.selectbox(t("review_choose", lang), list(by_id), key="review_id", format_func=lambda i: ui.cut(
        t("review_option", lang, id=i, user=by_id[i].user, at=upload_view.when(by_id[i].created_at, lang),
          file=by_id[i].filename, rows=by_id[i].rows), 160))
    if chosen is not None:
        one(store, by_id[int(chosen)], lang)


def _review(v: VersionView, lang: str, submission_id: int) -> subs.Review:
    """A submission previewed against the view's version (its rows never change: cached per version)."""
    return subs.review_preview(shared_store(), submission_id, current=(v.version, v.frame))


review_of = ui.per_version(_review)


def one(store: Any, sub: subs.Submission, lang: str) -> None:
    """One submission: its comment, the preview against the current version, what it overwrites, the form."""
    has_data = store.current_version() is not None
    review = review_of(ui.view(), lang, sub.id) if has_data else subs.review_preview(store, sub.id)
    if sub.comment:
        st.write(ui.md("{text}", text=t("review_comment_of", lang, comment=sub.comment)))
    if moved := st.session_state.pop(MOVED, None):
        st.error(moved)
    upload_view.preview(review.dry_run, review.dry_run.counts(), review.current, lang)
    if len(review.overwritten):
        st.warning(t("review_overwritten", lang, base=ui.plain(sub.base_version), current=ui.plain(review.current),
                     n=len(review.overwritten)), icon=":material/warning:")
        ui.table(review.overwritten.head(ui.TABLE_ROW_LIMIT).loc[:, list(CHANGE_COLUMNS)], hide_index=True,
                 width="stretch", height=ui.table_height(len(review.overwritten), limit=10),
                 column_config=upload_view.change_labels(review.overwritten, lang))
    shown = st.session_state.get(SHOWN)
    st.session_state[SHOWN] = (sub.id, review.current)  # what the buttons below act on, as on screen
    with st.form(f"review_form_{sub.id}"):
        comment = st.text_input(t("review_comment", lang), key=f"review_comment_{sub.id}").strip()
        c1, c2 = st.columns(2)
        approve = c1.form_submit_button(t("approve", lang), type="primary", key="review_approve")
        back = c2.form_submit_button(t("send_back", lang), key="review_return")
    if not (approve or back) or shown is None or shown[0] != sub.id:
        return  # a press is honoured only for the submission and version that were on screen
    _act(store, sub, comment, approve=bool(approve), seen=shown[1], lang=lang)


def _act(store: Any, sub: subs.Submission, comment: str, *, approve: bool, seen: int | None, lang: str) -> None:
    reviewer = account.require_writer()  # right before the write: the account is re-checked
    try:
        if approve:
            version = subs.approve(store, sub.id, reviewer.name, comment, expected_current=seen)
            st.session_state[DONE] = t("approved_as", lang, id=int(sub.id), version=int(version))
        else:
            subs.send_back(store, sub.id, reviewer.name, comment)
            st.session_state[DONE] = t("sent_back", lang, id=int(sub.id), user=ui.plain(sub.user))
    except ConcurrentCommitError:
        st.session_state[MOVED] = t("review_moved", lang)
    except (subs.WriteRefused, subs.SubmissionError) as refused:
        st.error(ui.plain(refused.message(lang)))
        return
    except StoreError as exc:
        st.error(ui.plain(exc.message(lang)))
        return
    st.session_state.pop(SHOWN, None)
    st.rerun()


def closed(store: Any, lang: str) -> None:
    """The approved and returned submissions, newest first."""
    found = [s for s in subs.submissions_list(store) if s.status != "pending"]
    if not found:
        return
    st.subheader(t("review_closed", lang))
    ui.table(upload_view.submission_table(found, lang), hide_index=True, width="stretch",
             height=ui.table_height(len(found), limit=12))

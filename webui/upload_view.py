"""What every way in on the upload page draws alike (a file, a batch of files, figures typed into the grid):
what was detected, the validation report, the preview and the commit form. Drawing only: the checks and the
preview are made by `indicators.store.staging`; data text reaches Streamlit through `ui.plain` / `ui.table`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from indicators.contract import BY_NAME
from indicators.i18n import t
from indicators.ingest.report import Issue, ValidationReport
from indicators.present.formatting import fmt_date
from indicators.present.plaintext import shorten
from indicators.store import staging, submissions
from indicators.store.diff import Preview
from indicators.store.versions import ConcurrentCommitError, Mode, StoreError
from webui import account, ui

SHOWN_ISSUES, ISSUE_LIMIT, VALUE_LIMIT = 5, 300, 40  # issues written out above the table, their characters


def kept_stage(store: Any, key: str, *, button: str, stale: str, same: Callable[[Any], bool],
               make: Callable[[Any], Any], lang: str) -> tuple[Any, Any]:
    """The stage every way in keeps in the session under `key`, brought up to date: made again (`make(None)`)
    when the input changed (`same(stage)` false), or against the new version (`make(stage)`) when somebody
    committed since the preview — never on the run of the commit `button`, whose preview must be the one
    seen. Says so, and names a refused commit's versions (`stale`). (stage, the stage shown before.)"""
    staged = st.session_state.get(key)
    shown, pressed = staged, bool(st.session_state.get(button))
    if staged is None or not same(staged):
        staged = make(None)
    elif not pressed and (now := store.current_version()) and now.version != staged.base:
        staged = make(staged)
        st.info(t("stage_rebased", lang, actual=ui.plain(staged.base)))
    st.session_state[key] = staged
    if refused_by := st.session_state.pop(stale, None):
        st.error(t("stage_stale", lang, expected=ui.plain(refused_by[0]), actual=ui.plain(refused_by[1])))
    return staged, shown


def detected(sentence: tuple[str, str] | None, lang: str) -> None:
    """"Đã nhận dạng: …" — what the adapter found in the file (its layout, its size)."""
    if sentence is not None:
        st.info(t("upload_detected", lang, what=ui.plain(sentence[1] if lang == "en" else sentence[0])),
                icon=":material/search:")


def _message(issue: Issue, lang: str) -> str:
    """The issue's message with a long value (a 400-digit number) cut, so the reason stays in sight."""
    text = issue.message(lang)
    return text.replace(issue.value, shorten(issue.value, VALUE_LIMIT)) if len(issue.value) > VALUE_LIMIT else text


def _where(issue: Issue, lang: str) -> str:
    """Where an issue is, as the analyst sees it: file, sheet, cell (else row), column."""
    parts = (t("issue_at_file", lang, file=issue.file) if issue.file else "",
             t("issue_at_sheet", lang, sheet=issue.sheet) if issue.sheet else "",
             t("issue_at_cell", lang, cell=issue.cell) if issue.cell else "",
             t("issue_at_row", lang, row=int(issue.row)) if issue.row is not None and not issue.cell else "",
             t("issue_at_column", lang, column=issue.column) if issue.column and not issue.cell else "")
    return ", ".join(p for p in parts if p) or t("issue_at_whole_file", lang)


def _headings(lang: str) -> dict[str, str]:
    return {"severity": t("issue_severity", lang), "file": t("file", lang), "sheet": t("sheet", lang),
            "cell": t("issue_cell", lang), "row": t("issue_row", lang), "column": t("issue_column", lang),
            "value": t("issue_value", lang), "code": t("issue_code", lang), "message": t("issue_message", lang)}


def report(checked: ValidationReport, lang: str) -> None:
    """The verdict, the first issues in words (a table's message column is cut on a phone), then every
    issue as a table with the file, sheet and cell columns when the rows came from another layout."""
    if not checked.issues:
        return
    summary = checked.summary(lang)
    (st.error if checked.errors else st.warning)(ui.plain(summary[:1].upper() + summary[1:]))
    for issue in checked.issues[:SHOWN_ISSUES]:
        st.markdown("- " + ui.plain(_where(issue, lang)) + " — " + ui.plain(_message(issue, lang), ISSUE_LIMIT))
    issues = checked.to_frame(lang)
    issues["severity"] = [t(f"severity_{s}", lang) for s in issues["severity"]]
    ui.table(issues.rename(columns=_headings(lang)), hide_index=True, width="stretch",
             height=ui.table_height(len(issues), limit=15))


def preview(dry_run: Preview, counts: dict[str, int], base: int | None, lang: str) -> None:
    """What a commit would change against version `base`: the four counts, then the changes."""
    st.caption(t("previewed_against", lang, version=ui.plain(base)) if base is not None
               else t("previewed_against_empty", lang))
    cols = st.columns(4)
    for col, (name, count) in zip(cols, counts.items(), strict=True):
        col.metric(t(f"count_{name}", lang), int(count), border=True)
    changes = dry_run.changes
    ui.table(changes.head(ui.TABLE_ROW_LIMIT), hide_index=True, width="stretch",
             height=ui.table_height(len(changes), limit=15), column_config=change_labels(changes, lang))


def change_labels(changes: Any, lang: str) -> dict[str, Any]:
    """The preview's headings in the reader's language (the contract's labels: "Mã chỉ tiêu", "Địa bàn"…);
    the table's own column names stay the contract's, as in every export."""
    labels = {name: column.label_en if lang == "en" else column.label_vi for name, column in BY_NAME.items()}
    labels.update({name: t(f"preview_{name}", lang) for name in ("change", "field", "old", "new")})
    return {name: st.column_config.Column(labels[name]) for name in changes.columns if name in labels}


@dataclass(frozen=True)
class CommitForm:
    pressed: bool
    comment: str
    confirmed: bool


def commit_form(form_key: str, button_key: str, *, comment_key: str, removed: int, confirm_key: str,
                lang: str) -> CommitForm:
    """The comment, the removals' confirmation (when rows would go) and the commit button — "Gửi duyệt"
    for an account whose commits are submitted for approval."""
    user = account.current_user()
    label = t("submit_for_approval", lang) if user is not None and user.needs_approval else t("commit", lang)
    with st.form(form_key):
        comment = st.text_input(t("commit_comment", lang), key=comment_key)
        confirmed = st.checkbox(t("removals_confirm", lang, n=int(removed)), key=confirm_key) if removed else True
        go = st.form_submit_button(label, type="primary", key=button_key)
    return CommitForm(bool(go), comment.strip(), bool(confirmed))


def default_mode(file_mode: Mode) -> Mode:
    """The mode a file is previewed in first: an account limited to areas, or needing approval, only updates."""
    user = account.current_user()
    return file_mode if user is None or user.unrestricted else "update"


def out_of_bounds(store: Any, staged: Any, lang: str) -> bool:
    """Say, before the commit form, why the signed-in account may not write these rows (outside its areas,
    replace mode), naming them; True if so. `deliver` checks again right before the write."""
    user = account.current_user()
    if user is None or user.unrestricted:
        return False
    try:
        submissions.check_write(user, submissions.staged_rows(staged), staged.mode, _register(store, staged))
    except submissions.WriteRefused as refused:
        refusal(refused, lang)
        return True
    return False


def _register(store: Any, staged: Any) -> Any:
    current = staged.current if isinstance(staged, staging.Stage) else None
    if current is None and staged.base is not None:
        current = ui.view().frame if ui.view().version == staged.base else store.load(staged.base)
    return submissions.area_register(current, submissions.staged_rows(staged))


def refusal(refused: submissions.WriteRefused, lang: str) -> None:
    """Why nothing was (or would be) written, and the rows concerned (area, indicator, period, Excel row)."""
    st.error(ui.plain(refused.message(lang)), icon=":material/block:")
    if refused.count:
        ui.table(refused.rows, hide_index=True, width="stretch", height=ui.table_height(len(refused.rows), limit=10),
                 column_config=change_labels(refused.rows, lang))
        if refused.count > len(refused.rows):
            st.caption(t("scope_more_rows", lang, n=int(refused.count - len(refused.rows))))


def deliver(store: Any, staged: Any, comment: str, lang: str) -> submissions.Delivered | None:
    """Write the stage as the signed-in account (re-checked first): committed, or submitted for approval;
    None after saying why not (outside its scope, a store error). ConcurrentCommitError is the caller's."""
    writer = account.require_writer()  # right before the write: the account is re-checked
    try:
        return submissions.deliver(store, staged, writer, comment, register=_register(store, staged))
    except submissions.WriteRefused as refused:
        refusal(refused, lang)
    except ConcurrentCommitError:
        raise  # the caller previews again against the new version
    except StoreError as exc:
        st.error(ui.plain(exc.message(lang)))
    return None


def submitted(delivered: submissions.Delivered, rows: int, lang: str) -> bool:
    """Say a submission was made (it awaits approval; nothing changed in the current version); True if so."""
    if delivered.submission is None:
        return False
    st.success(t("submitted", lang, id=int(delivered.submission), rows=int(rows)), icon=":material/send:")
    return True


def my_submissions(store: Any, user: Any, lang: str) -> None:
    """For an account limited to areas or needing approval: what it may write, its returned submissions with
    the reviewer's comment, and all of them."""
    if user.scope:
        st.caption(t("scope_caption", lang, scope=ui.plain("; ".join(user.scope))))
    if not user.needs_approval:
        return
    st.caption(t("approval_caption", lang))
    mine = submissions.submissions_list(store, user=user.name)
    latest = mine[0] if mine else None
    if latest is not None and latest.status == "returned":
        st.warning(t("submission_returned", lang, id=int(latest.id), file=ui.plain(latest.filename),
                     reviewer=ui.plain(latest.reviewer), at=ui.plain(when(latest.reviewed_at, lang)),
                     comment=ui.plain(latest.review_comment)), icon=":material/undo:")
    if mine:
        with st.expander(t("my_submissions", lang)):
            ui.table(submission_table(mine, lang), hide_index=True, width="stretch",
                     height=ui.table_height(len(mine), limit=10))


def when(moment: Any, lang: str) -> str:
    return "" if moment is None else fmt_date(moment, lang) + moment.strftime(" %H:%M UTC")


def submission_table(found: list[submissions.Submission], lang: str) -> Any:
    """One line per submission: number, who and when, file, rows, status, who reviewed it, the comments."""
    import pandas as pd

    status = {"pending": t("submission_pending", lang), "approved": t("submission_approved", lang),
              "returned": t("submission_returned_status", lang)}
    return pd.DataFrame({
        t("submission_id", lang): [s.id for s in found],
        t("submitted_by", lang): [s.user for s in found],
        t("submitted_at", lang): [when(s.created_at, lang) for s in found],
        t("file", lang): [s.filename for s in found],
        t("rows", lang): [s.rows for s in found],
        t("commit_comment", lang): [s.comment for s in found],
        t("submission_status", lang): [status[s.status] for s in found],
        t("reviewer", lang): [s.reviewer or "" for s in found],
        t("reviewed_at", lang): [when(s.reviewed_at, lang) for s in found],
        t("review_comment", lang): [s.review_comment for s in found],
        t("version", lang): [s.version_id if s.version_id is not None else None for s in found],
    })


def refused(form: CommitForm, lang: str) -> bool:
    """Say why a pressed commit button writes nothing (no comment, removals not agreed); True if so."""
    if not form.comment:
        st.error(t("comment_required", lang))
        return True
    if not form.confirmed:
        st.error(t("removals_unconfirmed", lang))
        return True
    return False

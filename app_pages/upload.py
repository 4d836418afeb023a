"""Upload: validate a CSV/XLSX cell by cell, preview what changes, commit a new version (analysts only).

The file is staged once (`indicators.store.staging`): checked and previewed against the current version, and
kept in this session under (file sha256, decimal, sheet, mode, base version), so a rerun neither re-reads
the file nor re-previews it. The commit button writes exactly the stage that was on screen, against the
version it was previewed on; if a colleague committed meanwhile, nothing is written and the page shows a
new preview against their version.
"""

from typing import cast

import streamlit as st

from indicators.i18n import t
from indicators.ingest.reading import sheet_names
from indicators.ingest.report import Issue
from indicators.present.plaintext import shorten
from indicators.store import staging
from indicators.store.current import shared_store
from indicators.store.versions import ConcurrentCommitError, Mode, StoreError
from webui import account, ui

STAGE, STALE, COMMIT_BUTTON = "upload_stage", "upload_stale", "upload_commit"
SHOWN_ISSUES, ISSUE_LIMIT, VALUE_LIMIT = 5, 300, 40  # issues written out above the table, their characters

lang = ui.lang()
st.title(t("upload", lang))
user = account.login_box(lang)
if user is None:
    st.info(t("login_required", lang))
    st.stop()

file = st.file_uploader(t("upload_file", lang), type=["csv", "txt", "tsv", "xlsx"], key="upload")
if file is None:
    st.session_state.pop(STAGE, None)
    st.caption(t("upload_help", lang))
    st.stop()


@st.cache_data(max_entries=4, show_spinner=False)
def _file_facts(file_id: str, name: str, _data: bytes) -> tuple[str, list[str]]:
    """(sha256, sheet names) of one uploaded file, computed once per upload (file_id is unique to it)."""
    return staging.sha256(_data), sheet_names(_data) if name.lower().endswith(".xlsx") else []


data = file.getvalue()
sha, sheets = _file_facts(file.file_id, file.name, data)
c1, c2, c3 = st.columns(3)
decimal = c1.radio(t("decimal_mark", lang), ["auto", ",", "."], horizontal=True, key="decimal",
                   format_func=lambda d: t("decimal_auto", lang) if d == "auto" else f"“{d}”")
mode = cast(Mode, c2.radio(t("commit_mode", lang), ["replace", "update"], horizontal=True, key="mode",
                           format_func=lambda m: t(f"mode_{m}", lang)))
sheet = c3.selectbox(t("sheet", lang), sheets, key="sheet") if len(sheets) > 1 else None
name = file.name
wanted = (name, sha, None if decimal == "auto" else decimal, sheet)

store = shared_store()


def _stage() -> staging.Stage:
    bar = st.progress(0.0, text=t("reading_file", lang))

    def tell(share: float, message: str) -> None:
        bar.progress(min(share, 1.0), text=ui.plain(message))

    made = staging.stage(store, data, name, decimal=wanted[2], sheet=sheet, mode=mode, lang=lang,
                         progress=tell)
    bar.empty()
    return made


staged: staging.Stage | None = st.session_state.get(STAGE)
shown = staged  # the stage on screen when the button was pressed
pressed = bool(st.session_state.get(COMMIT_BUTTON))  # the button below, read before it is drawn
if staged is None or (staged.filename, staged.sha256, staged.decimal, staged.sheet) != wanted:
    staged = _stage()
elif not pressed and (now := store.current_version()) and now.version != staged.base:
    staged = _stage()  # the data moved on since the preview: preview again (never on the button's run)
    st.info(t("stage_rebased", lang, actual=ui.plain(staged.base)))
elif staged.mode != mode:
    staged = staging.restage(staged, mode=mode)
st.session_state[STAGE] = staged

if stale := st.session_state.pop(STALE, None):
    st.error(t("stage_stale", lang, expected=ui.plain(stale[0]), actual=ui.plain(stale[1])))

report = staged.report


def _message(issue: Issue) -> str:
    """The issue's message with a long value (a 400-digit number) cut, so the reason stays in sight."""
    text = issue.message(lang)
    return text.replace(issue.value, shorten(issue.value, VALUE_LIMIT)) if len(issue.value) > VALUE_LIMIT else text


if report.issues:
    summary = report.summary(lang)
    (st.error if report.errors else st.warning)(ui.plain(summary[:1].upper() + summary[1:]))
    # the first issues in words too: the table's message column is cut on a narrow screen or after a long value
    words = ("row", "column", "file") if lang == "en" else ("dòng", "cột", "tệp")
    for issue in report.issues[:SHOWN_ISSUES]:
        where = ", ".join(p for p in (f"{words[0]} {issue.row}" if issue.row is not None else "",
                                      f"{words[1]} {issue.column}" if issue.column else "") if p) or words[2]
        st.markdown("- " + ui.plain(where) + " — " + ui.plain(_message(issue), ISSUE_LIMIT))
    issues = report.to_frame(lang)
    issues["severity"] = [t(f"severity_{s}", lang) for s in issues["severity"]]
    ui.table(issues.rename(columns={c: t(f"issue_{c}", lang) for c in issues.columns}), hide_index=True,
                 width="stretch", height=ui.table_height(len(issues), limit=15))
if staged.checked.needs_decimal:
    st.info(t("choose_decimal", lang))
if not staged.valid:
    st.stop()
st.success(t("file_valid", lang, rows=int(report.rows),
                   encoding=ui.plain(staged.checked.encoding or "xlsx")))
st.caption(t("previewed_against", lang, version=ui.plain(staged.base)) if staged.base is not None
           else t("previewed_against_empty", lang))

cols = st.columns(4)
for col, (name, count) in zip(cols, staged.counts().items(), strict=True):
    col.metric(t(f"count_{name}", lang), int(count), border=True)
assert staged.dry_run is not None
changes = staged.dry_run.changes
ui.table(changes.head(ui.TABLE_ROW_LIMIT), hide_index=True, width="stretch",
             height=ui.table_height(len(changes), limit=15))

if staged.removed:
    st.warning(t("removals_warning", lang, n=int(staged.removed), version=ui.plain(staged.base)), icon=":material/delete:")
    removals = staged.removals
    ui.table(removals.head(ui.TABLE_ROW_LIMIT), hide_index=True, width="stretch",
             height=ui.table_height(len(removals), limit=10))

with st.form("commit"):
    comment = st.text_input(t("commit_comment", lang), key="comment")
    confirmed = (st.checkbox(t("removals_confirm", lang, n=int(staged.removed)),
                             key=f"confirm_removals_{staged.base}_{staged.sha256[:12]}_{staged.mode}")
                 if staged.removed else True)
    go = st.form_submit_button(t("commit", lang), type="primary", key=COMMIT_BUTTON)
if go:
    if staged is not shown:  # never commit a preview nobody has seen
        st.stop()
    if not comment.strip():
        st.error(t("comment_required", lang))
        st.stop()
    if not confirmed:
        st.error(t("removals_unconfirmed", lang))
        st.stop()
    writer = account.require_writer()  # right before the write: the account is re-checked
    try:
        info = staging.commit(store, staged, user=writer.name, comment=comment.strip())
    except ConcurrentCommitError as exc:
        st.session_state[STAGE] = _stage()  # nothing written: show the new preview, against their version
        st.session_state[STALE] = (exc.expected, exc.actual)
        st.rerun()
    except StoreError as exc:
        st.error(ui.plain(exc.message(lang)))
        st.stop()
    st.success(t("committed", lang, version=int(info.version), rows=int(info.rows)))

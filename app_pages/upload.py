"""Upload: validate a CSV/XLSX cell by cell, preview what changes, commit a new version (analysts only)."""

import streamlit as st

from app_pages import account, ui
from indicators import dataset
from indicators.i18n import t
from indicators.preview import preview
from indicators.reading import sheet_names
from indicators.store import ConcurrentCommitError
from indicators.validation import validate_bytes

lang = ui.lang()
st.title(t("upload", lang))
user = account.login_box(lang)
if user is None:
    st.info(t("login_required", lang))
    st.stop()

file = st.file_uploader(t("upload_file", lang), type=["csv", "txt", "tsv", "xlsx"], key="upload")
if file is None:
    st.caption(t("upload_help", lang))
    st.stop()
data = file.getvalue()
c1, c2, c3 = st.columns(3)
decimal = c1.radio(t("decimal_mark", lang), ["auto", ",", "."], horizontal=True, key="decimal",
                   format_func=lambda d: t("decimal_auto", lang) if d == "auto" else f"“{d}”")
mode = c2.radio(t("commit_mode", lang), ["replace", "update"], horizontal=True, key="mode",
                format_func=lambda m: t(f"mode_{m}", lang))
sheets = sheet_names(data) if file.name.lower().endswith(".xlsx") else []
sheet = c3.selectbox(t("sheet", lang), sheets, key="sheet") if len(sheets) > 1 else None

current_info = dataset.store().current_version()
current = ui.view().frame if current_info else None
bar = st.progress(0.0, text=t("reading_file", lang))
checked = validate_bytes(data, file.name, decimal=None if decimal == "auto" else decimal, sheet=sheet,
                         current=current, progress=lambda f, message: bar.progress(min(f, 1.0), text=message))
bar.empty()

report = checked.report
if report.issues:
    summary = report.summary(lang)
    (st.error if report.errors else st.warning)(summary[:1].upper() + summary[1:])
    issues = report.to_frame(lang)
    issues["severity"] = [t(f"severity_{s}", lang) for s in issues["severity"]]
    ui.table(issues.rename(columns={c: t(f"issue_{c}", lang) for c in issues.columns}), hide_index=True,
                 width="stretch", height=ui.table_height(len(issues), limit=15))
if checked.needs_decimal:
    st.info(t("choose_decimal", lang))
if not report.valid or checked.frame is None:
    st.stop()
st.success(t("file_valid", lang, rows=report.rows, encoding=checked.encoding or "xlsx"))

dry = preview(current, checked.frame, mode)
cols = st.columns(4)
for col, (name, count) in zip(cols, dry.counts().items(), strict=True):
    col.metric(t(f"count_{name}", lang), count, border=True)
changes = dry.changes
ui.table(changes.head(ui.TABLE_ROW_LIMIT), hide_index=True, width="stretch",
             height=ui.table_height(len(changes), limit=15))

with st.form("commit"):
    comment = st.text_input(t("commit_comment", lang), key="comment")
    go = st.form_submit_button(t("commit", lang), type="primary")
if go:
    writer = account.require_writer()
    if not comment.strip():
        st.error(t("comment_required", lang))
        st.stop()
    try:
        info = dataset.store().commit(
            checked.frame, user=writer.name, comment=comment.strip(), filename=file.name, sha256=checked.sha256,
            mode=mode, expected_current=current_info.version if current_info else None, dry_run=dry,
        )
    except ConcurrentCommitError:
        st.error(t("concurrent_commit", lang))
        st.stop()
    st.success(t("committed", lang, version=info.version, rows=info.rows))

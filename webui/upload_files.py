"""The upload page's files: one file (detected, mapped, validated, previewed, committed) or a batch of files
(one combined report, one preview, one version or one version per file).

A file is staged once (`indicators.store.staging`) and kept in this session under its stage key (file sha256,
decimal, sheet, options — an edited mapping included —, mode, base version), so a rerun neither re-reads the
file nor re-previews it. The commit button writes exactly the stage that was on screen, against the version it
was previewed on; if a colleague committed meanwhile, nothing is written and the page shows a new preview
against their version. A batch is kept the same way.
"""

from __future__ import annotations

from typing import Any, cast

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from indicators.callbacks import ProgressCallback
from indicators.i18n import t
from indicators.ingest.adapters import Options
from indicators.ingest.reading import sheet_names
from indicators.store import staging
from indicators.store.versions import ConcurrentCommitError, Mode, Store, StoreError
from webui import account, ui, upload_mapping, upload_view

STAGE, STALE, COMMIT_BUTTON = "upload_stage", "upload_stale", "upload_commit"
BATCH, BATCH_STALE, BATCH_BUTTON, BATCH_DONE = "upload_batch", "upload_batch_stale", "batch_commit", "batch_done"
MODE_FOR = "upload_mode_for"  # the file whose mode the "mode" radio holds
MODES: list[Mode] = ["replace", "update"]


@st.cache_data(max_entries=64, show_spinner=False)
def _file_facts(file_id: str, name: str, _data: bytes) -> tuple[str, list[str]]:
    """(sha256, sheet names) of one uploaded file, computed once per upload (file_id is unique to it)."""
    return staging.sha256(_data), sheet_names(_data) if name.lower().endswith(".xlsx") else []


def _bar(lang: str) -> tuple[Any, ProgressCallback]:
    bar = st.progress(0.0, text=t("reading_file", lang))

    def tell(share: float, message: str) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=ui.plain(message))

    return bar, tell


#: What analysts receive: contract or report tables (CSV, Excel's text, XLSX), DHIS2 JSON/XML, PX files.
FILE_TYPES = ["csv", "txt", "tsv", "xlsx", "xlsm", "json", "xml", "px"]
#: Formats a second file may explain (a DHIS2 id → name mapping, an Open SDG metadata YAML).
COMPANION_FORMATS = ("dhis2", "opensdg")
COMPANION = "upload_companion"


def show(store: Store, lang: str) -> None:
    # one file, or a batch: two uploaders, because a multiple one adds each new choice to the files already
    # there (a corrected file uploaded after a refused one would make a batch of both)
    many = st.toggle(t("upload_many", lang), key="upload_many", help=t("upload_many_help", lang))
    if many:
        files = st.file_uploader(t("upload_files", lang), type=FILE_TYPES, key="upload_files",
                                 accept_multiple_files=True) or []
    else:
        file = st.file_uploader(t("upload_file", lang), type=FILE_TYPES, key="upload")
        files = [file] if file is not None else []
    if not files:
        for key in (STAGE, BATCH):
            st.session_state.pop(key, None)
        st.caption(t("upload_help", lang))
        return
    if len(files) == 1 and not many:
        st.session_state.pop(BATCH, None)
        single(store, files[0], lang)
    else:
        st.session_state.pop(STAGE, None)
        batch(store, files, lang)


def _decimal(column: Any, lang: str) -> str | None:
    decimal = column.radio(t("decimal_mark", lang), ["auto", ",", "."], horizontal=True, key="decimal",
                           format_func=lambda d: t("decimal_auto", lang) if d == "auto" else f"“{d}”")
    return None if decimal == "auto" else str(decimal)


def single(store: Store, file: UploadedFile, lang: str) -> None:
    data = file.getvalue()
    sha, sheets = _file_facts(file.file_id, file.name, data)
    if st.session_state.get(MODE_FOR) != sha:  # a new file: its mode defaults by its format (below)
        st.session_state.pop("mode", None)
        st.session_state[MODE_FOR] = sha
    c1, c2, c3, c4 = st.columns(4)
    decimal = _decimal(c1, lang)
    sheet = c3.selectbox(t("sheet", lang), sheets, key="sheet") if len(sheets) > 1 else None
    area = c4.text_input(t("upload_area", lang), key="upload_area", help=t("upload_area_help", lang)).strip()
    meta = st.session_state.get(COMPANION)  # the companion uploader below, read before it is drawn
    options = Options(area=area or None, mapping=upload_mapping.applied(sha, sheet),
                      companion=(meta.name, meta.getvalue()) if meta is not None else None)
    wanted = (file.name, sha, decimal, sheet, staging.options_key(options))
    chosen = cast(Mode | None, st.session_state.get("mode"))

    def restage(mode: Mode) -> staging.Stage:
        bar, tell = _bar(lang)
        made = staging.stage(store, data, file.name, decimal=decimal, sheet=sheet, mode=mode, lang=lang,
                             progress=tell, options=options)
        bar.empty()
        return made

    staged, shown = upload_view.kept_stage(
        store, STAGE, button=COMMIT_BUTTON, stale=STALE, lang=lang,
        same=lambda s: (s.filename, s.sha256, s.decimal, s.sheet, s.options_key) == wanted,
        make=lambda rebased: restage(rebased.mode if rebased is not None else chosen or "replace"))
    # a contract table is the whole dataset by default; a report table, a form or a peer's file adds to it
    default: Mode = upload_view.default_mode("replace" if staged.checked.format == "tidy" else "update")
    mode = cast(Mode, c2.radio(t("commit_mode", lang), MODES, horizontal=True, key="mode",
                               index=MODES.index(chosen or default), format_func=lambda m: t(f"mode_{m}", lang)))
    if staged.mode != mode:
        staged = staging.restage(staged, mode=mode)
    st.session_state[STAGE] = staged
    upload_view.detected(staged.checked.detected, lang)
    if staged.checked.format in COMPANION_FORMATS or meta is not None:
        st.file_uploader(t("upload_companion", lang), type=["csv", "json", "yml", "yaml"], key=COMPANION,
                         help=t("upload_companion_help", lang))
    upload_mapping.step(store, staged, lang)
    upload_view.report(staged.report, lang)
    if staged.checked.needs_decimal:
        st.info(t("choose_decimal", lang))
    if not staged.valid or staged.dry_run is None:
        return
    st.success(t("file_valid", lang, rows=int(staged.report.rows),
                 encoding=ui.plain(staged.checked.encoding or "xlsx")))
    upload_view.preview(staged.dry_run, staged.counts(), staged.base, lang)
    _removals(staged, lang)
    if upload_view.out_of_bounds(store, staged, lang):
        return  # outside the account's areas, or a replace it may not make: no commit button
    form = upload_view.commit_form(
        "commit", COMMIT_BUTTON, comment_key="comment", removed=staged.removed, lang=lang,
        confirm_key=f"confirm_removals_{staged.base}_{staged.sha256[:12]}_{staged.mode}")
    if not form.pressed or staged is not shown or upload_view.refused(form, lang):
        return  # never commit a preview nobody has seen
    try:
        delivered = upload_view.deliver(store, staged, form.comment, lang)
    except ConcurrentCommitError as exc:
        st.session_state[STAGE] = restage(staged.mode)  # nothing written: show the new preview, against their version
        st.session_state[STALE] = (exc.expected, exc.actual)
        st.rerun()
    if delivered is None or upload_view.submitted(delivered, int(staged.report.rows), lang):
        return
    info = delivered.versions[0]
    st.success(t("committed", lang, version=int(info.version), rows=int(info.rows)))


def _removals(staged: staging.Stage | staging.BatchStage, lang: str) -> None:
    if staged.removed:
        st.warning(t("removals_warning", lang, n=int(staged.removed), version=ui.plain(staged.base)),
                   icon=":material/delete:")
        removals = staged.removals
        ui.table(removals.head(ui.TABLE_ROW_LIMIT), hide_index=True, width="stretch",
                 height=ui.table_height(len(removals), limit=10),
                 column_config=upload_view.change_labels(removals, lang))


def batch(store: Store, files: list[UploadedFile], lang: str) -> None:
    named = [(f.name, f.getvalue()) for f in files]
    shas = tuple((f.name, _file_facts(f.file_id, f.name, data)[0]) for f, (_, data) in zip(files, named,
                                                                                             strict=True))
    c1, c2, c3 = st.columns(3)
    decimal = _decimal(c1, lang)
    per_file = c3.radio(t("batch_commit_as", lang), ["one", "per_file"], horizontal=True, key="batch_as",
                        format_func=lambda w: t("batch_one", lang) if w == "one" else t("batch_per_file", lang))
    per_file_chosen = per_file == "per_file"
    # a round of forms adds to the data: update by default (replace would drop every row the forms lack)
    mode = cast(Mode, c2.radio(t("commit_mode", lang), MODES, horizontal=True, key="batch_mode", index=1,
                               format_func=lambda m: t(f"mode_{m}", lang), disabled=per_file_chosen))
    if per_file_chosen:
        st.caption(t("batch_per_file_help", lang))
    wanted = (shas, decimal, "update" if per_file_chosen else mode, per_file_chosen)

    def restage() -> staging.BatchStage:
        bar, tell = _bar(lang)
        made = staging.stage_batch(store, named, mode=mode, per_file=per_file_chosen, decimal=decimal,
                                   progress=tell, lang=lang)
        bar.empty()
        return made

    staged, shown = upload_view.kept_stage(store, BATCH, button=BATCH_BUTTON, stale=BATCH_STALE, lang=lang,
                                           same=lambda s: s.key[:4] == wanted, make=lambda rebased: restage())
    if done := st.session_state.pop(BATCH_DONE, None):
        st.success(t("batch_done", lang, n=len(done), versions=ui.plain(", ".join(map(str, done)))))
    ui.table(_files_table(staged, lang), hide_index=True, width="stretch",
             height=ui.table_height(len(staged.files), limit=12))
    upload_view.report(staged.report, lang)
    if not staged.valid or staged.dry_run is None:
        return
    st.success(t("batch_valid", lang, n=len(staged.files), rows=int(staged.report.rows)))
    upload_view.preview(staged.dry_run, staged.counts(), staged.base, lang)
    _removals(staged, lang)
    if upload_view.out_of_bounds(store, staged, lang):
        return
    form = upload_view.commit_form(
        "batch_form", BATCH_BUTTON, comment_key="batch_comment", removed=staged.removed, lang=lang,
        confirm_key=f"batch_confirm_{staged.base}_{staging.sha256(repr(staged.key).encode())[:12]}")
    if not form.pressed or staged is not shown or upload_view.refused(form, lang):
        return
    _commit_batch(store, staged, form.comment, lang, restage)


def _commit_batch(store: Store, staged: staging.BatchStage, comment: str, lang: str, restage: Any) -> None:
    writer = account.require_writer()
    if writer.scope or writer.needs_approval:  # one submission, or one scoped version: through the checks
        try:
            delivered = upload_view.deliver(store, staged, comment, lang)
        except ConcurrentCommitError as exc:
            st.session_state[BATCH] = restage()
            st.session_state[BATCH_STALE] = (exc.expected, exc.actual)
            st.rerun()
        if delivered is not None and not upload_view.submitted(delivered, int(staged.report.rows), lang):
            st.session_state[BATCH_DONE] = [i.version for i in delivered.versions]
            st.session_state.pop(BATCH, None)
            st.rerun()
        return
    bar, tell = _bar(lang)
    try:
        infos = staging.commit_batch(store, staged, user=writer.name, comment=comment, progress=tell, lang=lang)
    except ConcurrentCommitError as exc:
        st.session_state[BATCH] = restage()
        st.session_state[BATCH_STALE] = (exc.expected, exc.actual)
        st.rerun()
    except staging.BatchStopped as stop:
        bar.empty()
        done = [i.version for i in stop.committed]
        cause = stop.cause.message(lang) if isinstance(stop.cause, StoreError) else str(stop.cause)
        st.error(t("batch_stopped", lang, n=len(done), versions=ui.plain(", ".join(map(str, done))),
                   file=ui.plain(stop.filename), reason=ui.plain(cause)))
        return
    except StoreError as exc:
        bar.empty()
        st.error(ui.plain(exc.message(lang)))
        return
    bar.empty()
    st.session_state[BATCH_DONE] = [i.version for i in infos]
    st.session_state.pop(BATCH, None)  # the next run previews against the new version
    st.rerun()


def _files_table(staged: staging.BatchStage, lang: str) -> Any:
    """One line per file: what was detected in it, its rows, errors and warnings."""
    import pandas as pd

    rows = []
    for check in staged.files:
        found = check.checked.detected
        rows.append({t("file", lang): check.filename,
                     t("batch_detected", lang): (found[1] if lang == "en" else found[0]) if found else "",
                     t("batch_rows", lang): int(check.checked.report.rows),
                     t("batch_errors", lang): len(check.checked.report.errors),
                     t("batch_warnings", lang): len(check.checked.report.warnings)})
    return pd.DataFrame(rows)

"""The upload page's grid entry ("Nhập trực tiếp"): an analyst types the figures of one area and one period
into a table of the stored indicators; the filled rows go through the same validation, preview and commit as
a file (update mode: an empty value neither adds nor removes anything). Building the grid and the rows is
`indicators.ingest.entry`; this draws it and keeps the stage like the file flow does (lost-update safe).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from indicators.i18n import t
from indicators.ingest import entry
from indicators.present.view import VersionView
from indicators.store import staging
from indicators.store.versions import ConcurrentCommitError, Store
from webui import ui, upload_view

STAGE, STALE, BUTTON = "entry_stage", "entry_stale", "entry_commit"


def _grid(v: VersionView, lang: str, area: str, period: str) -> pd.DataFrame:
    return entry.entry_grid(v.frame, area, period)


def _periods(v: VersionView, lang: str) -> tuple[list[str], str]:
    return entry.areas(v.frame), entry.next_period(v.frame)


grid_of, facts_of = ui.per_version(_grid), ui.per_version(_periods)


def _config(lang: str) -> dict[str, Any]:
    kinds = {"actual": t("kind_actual", lang), "estimate": t("kind_estimate", lang)}
    return {
        "indicator_id": st.column_config.TextColumn(t("map_indicator_id", lang), disabled=True, width="small"),
        "indicator": st.column_config.TextColumn(t("map_indicator", lang), disabled=True, pinned=True),
        "unit": st.column_config.TextColumn(t("map_unit", lang), disabled=True, width="small"),
        "value": st.column_config.NumberColumn(t("value", lang), format="localized"),
        "kind": st.column_config.SelectboxColumn(t("map_kind", lang), options=list(entry.ENTRY_KINDS),
                                                 required=True, format_func=lambda k: kinds.get(str(k), str(k))),
        "source": st.column_config.TextColumn(t("source", lang), max_chars=500),
        "note": st.column_config.TextColumn(t("note", lang), max_chars=500),
    }


def show(store: Store, lang: str) -> None:
    if store.current_version() is None:
        st.info(t("entry_needs_data", lang))
        return
    v = ui.view()
    areas, default_period = facts_of(v, lang)
    c1, c2 = st.columns(2)
    area = str(c1.selectbox(t("area", lang), areas, key="entry_area", format_func=lambda a: ui.cut(a, 80)))
    period = c2.text_input(t("period", lang), value=default_period, key="entry_period", max_chars=20).strip()
    st.caption(t("entry_help", lang))
    grid = grid_of(v, lang, area, period)
    edited = st.data_editor(grid, key=f"entry_grid_{v.version}_{staging.sha256(f'{area}|{period}'.encode())[:12]}",
                            column_config=_config(lang), num_rows="fixed", width="stretch",
                            column_order=entry.ENTRY_COLUMNS, height=ui.table_height(len(grid), limit=15))
    converted = entry.entry_rows(edited, v.frame, area, period)
    if not converted.raw.n_rows:
        st.session_state.pop(STAGE, None)
        return

    def restage() -> staging.Stage:
        name = t("entry_filename", lang, area=area, period=period)
        return staging.stage_converted(store, entry.entry_rows(edited, v.frame, area, period), name)

    staged, shown = upload_view.kept_stage(store, STAGE, button=BUTTON, stale=STALE, lang=lang,
                                           same=lambda s: s.sha256 == converted.raw.sha256,
                                           make=lambda rebased: restage())
    upload_view.detected(staged.checked.detected, lang)
    upload_view.report(staged.report, lang)
    if not staged.valid or staged.dry_run is None:
        return
    upload_view.preview(staged.dry_run, staged.counts(), staged.base, lang)
    if upload_view.out_of_bounds(store, staged, lang):
        return
    form = upload_view.commit_form("entry_form", BUTTON, comment_key="entry_comment", removed=0,
                                   confirm_key="entry_confirm", lang=lang)
    if not form.pressed or staged is not shown or upload_view.refused(form, lang):
        return
    try:
        delivered = upload_view.deliver(store, staged, form.comment, lang)
    except ConcurrentCommitError as exc:
        st.session_state[STAGE] = restage()
        st.session_state[STALE] = (exc.expected, exc.actual)
        st.rerun()
    if delivered is None or upload_view.submitted(delivered, int(staged.report.rows), lang):
        return
    info = delivered.versions[0]
    st.success(t("committed", lang, version=int(info.version), rows=int(info.rows)))

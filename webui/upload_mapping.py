"""The mapping step of a wide report table ("biểu"): what each column and each row of the table is, as the
wide adapter proposed it (or as a saved profile had it), in two small editable tables. "Áp dụng" re-validates
the file with the edited mapping (`Options(mapping=…)`, so the stage key changes and the preview follows);
"Lưu mẫu" saves it as a named profile — applied by itself to the next file of the same layout — and the rows
whose indicator the analyst changed as aliases, so the next file's row of that label matches by itself.

The tables show the sheet's own column letters and row numbers and the header and label texts as written
(read-only, neutralised for spreadsheets, pinned so that on a phone they stay in sight while the editable
columns scroll); only the roles, periods, kinds, areas and the indicators' fields are editable. The edits are put back into a copy of the adapter's Mapping (`with_edits`), never guessed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from indicators.contract import KINDS
from indicators.i18n import t
from indicators.ingest.adapters import Catalogue
from indicators.ingest.mapping_edit import changed_aliases, with_edits
from indicators.present.export import defuse
from indicators.store import staging
from indicators.store.profiles import InvalidProfile
from indicators.store.versions import Store, StoreError
from webui import account, ui

MAPPING, PROPOSED = "upload_mapping", "upload_proposed"
DIRECTIONS = ("", "increase", "decrease")
NAME_LIMIT = 120


def applied(sha: str, sheet: str | None) -> Any:
    """The mapping the analyst applied to this file (its sha256 and sheet) in this session, or None."""
    held = st.session_state.get(MAPPING)
    return held[2] if held and held[:2] == (sha, sheet) else None


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].fillna("").astype(str) if column in frame.columns else pd.Series([""] * len(frame))


def _shown(frame: pd.DataFrame, order: tuple[str, ...], read_only: tuple[str, ...]) -> pd.DataFrame:
    """The columns of `order` that the frame has; read-only texts neutralised for spreadsheets."""
    view = frame[[c for c in order if c in frame.columns]].copy()
    for name in view.columns:
        if name in read_only and not pd.api.types.is_numeric_dtype(view[name]):
            view[name] = _text(view, name).map(defuse).to_numpy()
        elif name not in read_only:
            view[name] = _text(view, name).to_numpy()
    return view


def _column_config(lang: str) -> dict[str, Any]:
    roles = {"stt": t("map_role_stt", lang), "label": t("map_role_label", lang), "unit": t("map_role_unit", lang),
             "value": t("map_role_value", lang), "derived": t("map_role_derived", lang),
             "note": t("map_role_note", lang), "area": t("map_role_area", lang), "skip": t("map_role_skip", lang)}
    kinds = {"": "—", "actual": t("kind_actual", lang), "estimate": t("kind_estimate", lang),
             "baseline": t("kind_baseline", lang), "target": t("kind_target", lang)}
    return {
        "column": st.column_config.TextColumn(t("map_column", lang), disabled=True, pinned=True, width="small"),
        "header": st.column_config.TextColumn(t("map_header", lang), disabled=True, width="medium", pinned=True),
        "role": st.column_config.SelectboxColumn(t("map_role", lang), options=list(roles), required=True,
                                                 format_func=lambda r: roles.get(str(r), str(r))),
        "period": st.column_config.TextColumn(t("period", lang), max_chars=40),
        "kind": st.column_config.SelectboxColumn(t("map_kind", lang), options=["", *KINDS],
                                                 format_func=lambda k: kinds.get(str(k), str(k))),
        "area": st.column_config.TextColumn(t("area", lang), max_chars=200),
        "indicator_id": st.column_config.TextColumn(t("map_indicator_id", lang), max_chars=80),
        "breakdown": st.column_config.TextColumn(t("bd_breakdown", lang), max_chars=200,
                                                 help=t("map_breakdown_help", lang)),
    }


def _row_config(lang: str) -> dict[str, Any]:
    roles = {"indicator": t("map_row_indicator", lang), "area": t("map_row_area", lang),
             "heading": t("map_row_heading", lang), "total": t("map_row_total", lang),
             "skip": t("map_row_skip", lang)}
    directions = {"": "—", "increase": t("map_increase", lang), "decrease": t("map_decrease", lang)}
    matches = {"id": t("map_match_id", lang), "name": t("map_match_name", lang),
               "alias": t("map_match_alias", lang), "new": t("map_match_new", lang), "": "—"}
    return {
        "row": st.column_config.NumberColumn(t("map_row", lang), disabled=True, pinned=True, width="small",
                                             format="%d"),
        "stt": st.column_config.TextColumn(t("map_stt", lang), disabled=True, width="small"),
        "label": st.column_config.TextColumn(t("map_label", lang), disabled=True, width="medium", pinned=True),
        "role": st.column_config.SelectboxColumn(t("map_role", lang), options=list(roles), required=True,
                                                 format_func=lambda r: roles.get(str(r), str(r))),
        "indicator_id": st.column_config.TextColumn(t("map_indicator_id", lang), max_chars=80),
        "match": st.column_config.SelectboxColumn(t("map_match", lang), options=list(matches), disabled=True,
                                                  format_func=lambda m: matches.get(str(m), str(m))),
        "indicator": st.column_config.TextColumn(t("map_indicator", lang), max_chars=300),
        "unit": st.column_config.TextColumn(t("map_unit", lang), max_chars=60),
        "group": st.column_config.TextColumn(t("group", lang), max_chars=200),
        "direction": st.column_config.SelectboxColumn(t("map_direction", lang), options=list(DIRECTIONS),
                                                      format_func=lambda d: directions.get(str(d), str(d))),
        "area": st.column_config.TextColumn(t("area", lang), max_chars=200),
    }


def _used(frame: pd.DataFrame, name: str) -> bool:
    return name in frame.columns and bool((_text(frame, name) != "").any())


def step(store: Store, staged: staging.Stage, lang: str) -> None:
    """The two tables, the apply button and the profile's name and save button (wide tables only)."""
    converted = staged.checked.converted
    mapping = getattr(converted, "mapping", None) if converted is not None else None
    if converted is None or mapping is None:
        return
    sha, sheet = staged.sha256, staged.sheet
    own = applied(sha, sheet)
    held = st.session_state.get(PROPOSED)
    if own is None and (not held or held[:2] != (sha, sheet)):
        st.session_state[PROPOSED] = held = (sha, sheet, mapping)  # what aliases are compared with
    if converted.profile and own is None:
        st.info(t("mapping_profile_applied", lang, name=ui.plain(converted.profile)), icon=":material/bookmark:")
    st.subheader(t("mapping_title", lang))
    st.caption(t("mapping_help", lang) if own is None else t("mapping_own_applied", lang))
    suffix = f"{sha[:10]}_{staged.options_key[:10]}"  # a new mapping applied: fresh tables
    column_order = ("column", "header", "role", "period", "kind", "area",
                    *(("indicator_id",) if _used(mapping.columns, "indicator_id") else ()),
                    *(("breakdown",) if _used(mapping.columns, "breakdown") else ()))
    columns = st.data_editor(_shown(mapping.columns, column_order, ("column", "header")),
                             key=f"map_columns_{suffix}", hide_index=True, width="stretch",
                             column_config=_column_config(lang), num_rows="fixed",
                             height=ui.table_height(len(mapping.columns), limit=10), placeholder="—")
    row_order = ("row", "label", "role", "indicator_id", "direction", "match", "indicator", "unit", "group",
                 *(("area",) if _used(mapping.rows, "area") else ()), "stt")  # what is edited first
    rows = st.data_editor(_shown(mapping.rows, row_order, ("row", "stt", "label", "match")),
                          key=f"map_rows_{suffix}", hide_index=True, width="stretch",
                          column_config=_row_config(lang), num_rows="fixed",
                          height=ui.table_height(len(mapping.rows), limit=12), placeholder="—")
    apply = st.button(t("mapping_apply", lang), key="mapping_apply", icon=":material/done_all:")
    with st.form("save_profile"):
        name = st.text_input(t("profile_name", lang), key="profile_name", max_chars=NAME_LIMIT,
                             placeholder=t("profile_name_hint", lang))
        save = st.form_submit_button(t("profile_save", lang), key="profile_save")
    if not (apply or save):
        return
    edited = with_edits(mapping, columns, rows, Catalogue.of(staged.current))  # only on a press: no rerun cost
    if apply:
        st.session_state[MAPPING] = (sha, sheet, edited)
        st.rerun()
    _save(store, name.strip(), edited, held[2] if held else None, lang)


def _save(store: Store, name: str, edited: Any, proposed: Any, lang: str) -> None:
    if not name:
        st.error(t("profile_name_required", lang))
        return
    writer = account.require_writer()  # a write: the account is re-checked first
    aliases = changed_aliases(proposed, edited)
    try:
        revision = store.save_profile(name, edited.to_profile(name), user=writer.name)
        saved = store.save_aliases(aliases, user=writer.name) if aliases else 0
    except InvalidProfile as exc:
        st.error(ui.plain(exc.message(lang)))
        return
    except StoreError as exc:
        st.error(ui.plain(exc.message(lang)))
        return
    st.success(t("profile_saved", lang, name=ui.plain(name), revision=int(revision), n=int(saved)))

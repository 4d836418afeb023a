"""Areas: one indicator over every area of a level under the chosen area and term — a ranking, a map (or a tile
grid) whose click opens that area, and small multiples of their series.

Everything drawn is built once per (version, language, indicator, level, area, term) in webui/areas_view.py.
"""

import streamlit as st

from indicators.i18n import t
from indicators.present.areas_table import PER_PAGE
from indicators.present.plaintext import AREA_LIMIT
from webui import areas_view, ui

lang = ui.lang()
v = ui.view()
area, term = ui.area_and_term(v, lang)
label = term.label if term is not None else None
st.title(ui.md("{title} · {area}", title=t("areas_page", lang), area=ui.cut(area, AREA_LIMIT)))
ui.caption_version(v, lang)
st.write(t("areas_intro", lang))

ids, names, default = areas_view.indicator_choices(v, lang, label)
if not ids:
    st.info(t("no_data_loaded", lang))
    st.stop()
if st.session_state.get("indicator") not in ids:
    st.session_state["indicator"] = default
ui.sync_from_url("indicator", ids)
indicator = st.selectbox(t("choose_indicator", lang), ids, key="indicator", format_func=names.__getitem__)
ui.sync_to_url("indicator", indicator)

levels, level_default = areas_view.levels(v, lang, indicator, area, label)
if st.session_state.get("level") not in levels:
    st.session_state["level"] = level_default
ui.sync_from_url("level", levels)
level = st.segmented_control(t("areas_level", lang), levels, key="level", required=True,
                             format_func=lambda code: areas_view.level_label(code, lang)) or level_default
ui.sync_to_url("level", level)

built = areas_view.build(v, lang, indicator, level, area, label, areas_view.boundaries_token())
if built.rows.empty:
    st.info(t("areas_none", lang, area=ui.plain(area, AREA_LIMIT)))
    st.stop()

st.subheader(t("areas_map", lang))
event = st.plotly_chart(built.map, key="area_map", theme=None, on_select="rerun", selection_mode="points")
areas_view.open_selected(event, label, lang, list(built.rows["area"]))
if built.problem:
    st.warning(ui.plain(built.problem), icon=":material/map:")
if built.choropleth:
    if built.credit:
        st.caption(t("areas_credit", lang, credit=ui.plain(built.credit)))
    else:
        st.warning(t("areas_no_credit", lang, file=ui.plain(built.licence_file)))
    if built.unmatched:
        st.caption(t("areas_unmatched", lang, n=len(built.unmatched),
                     names=ui.plain(", ".join(built.unmatched[:20]) + (" …" if len(built.unmatched) > 20 else ""))))
else:
    st.caption(t("areas_tiles_caption", lang))

st.subheader(t("areas_ranking", lang))
ui.table(built.table, hide_index=True, width="stretch", height=ui.table_height(len(built.table), limit=25),
         column_config=areas_view.column_config(lang))
stem = f"{t('areas_file', lang)}-{indicator}-{v.key}"
left, right = st.columns(2)
left.download_button(t("download_csv", lang), built.csv, f"{stem}.csv", "text/csv", key="areas_csv")
right.download_button(t("download_xlsx", lang), built.xlsx, f"{stem}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="areas_xlsx")

st.subheader(t("areas_multiples", lang))
page = 1
if built.pages > 1:
    page = int(st.number_input(t("areas_page_no", lang), 1, built.pages, 1, key="areas_page"))
    n = len(built.rows)
    st.caption(t("areas_page_of", lang, first=int((page - 1) * PER_PAGE + 1), last=int(min(n, page * PER_PAGE)), n=n))
st.plotly_chart(areas_view.multiples(v, lang, indicator, level, area, label, page), key="area_multiples", theme=None)

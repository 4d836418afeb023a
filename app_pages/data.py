"""Data & sources: every row of the chosen area (sidebar, ?area=) with its source — roll-up rows marked as
computed; downloads of the whole version as CSV (formula-safe) and XLSX.

The table is built once per version, language, area and filter text (`ui.per_version`).
"""

import streamlit as st

from indicators.contract import BY_NAME, breakdown_label
from indicators.i18n import t
from indicators.present.formatting import fmt_number, fmt_period, fmt_value
from indicators.present.view import VersionView
from webui import ui

SHOWN = ["indicator", "area", "breakdown", "term", "period", "kind", "value", "of_total", "source", "note",
         "indicator_id", "group"]


@ui.per_version
def _rows(v: VersionView, lang: str, area: str, query: str) -> tuple[ui.SafeTable, int, int]:
    """The first TABLE_ROW_LIMIT rows of the area that match `query` (in any text column) as shown, how many
    match, and how many the area has."""
    frame = v.rows_of([area])
    total = len(frame)
    if query:
        hay = frame["indicator_id"] + " " + frame["indicator"] + " " + frame["area"] + " " + frame["source"]
        frame = frame[(hay + " " + frame["note"]).str.contains(query, case=False, regex=False)]
    shown = frame[SHOWN].head(ui.TABLE_ROW_LIMIT).copy()
    shown["period"] = [fmt_period(p, d, lang) for p, d in zip(shown["period"], frame["period_end"], strict=False)]
    shown["kind"] = [t("kind_" + k, lang) for k in shown["kind"]]
    shown["value"] = [fmt_value(x, q, u, lang) for x, q, u in
                      zip(shown["value"], frame["qualifier"], frame["unit"], strict=False)]
    shown["breakdown"] = [breakdown_label(b, lang) for b in shown["breakdown"]]
    if "computed" in frame:  # a roll-up row says so where its kind is written
        computed = frame["computed"].head(ui.TABLE_ROW_LIMIT).fillna(False).astype(bool).to_numpy()
        shown.loc[computed, "kind"] = shown.loc[computed, "kind"] + " · " + t("computed_badge", lang)
    labels = {c: (BY_NAME[c].label_vi if lang == "vi" else BY_NAME[c].label_en) for c in SHOWN}
    return ui.safe_table(shown.rename(columns=labels)), len(frame), total


lang = ui.lang()
v = ui.view()
scope = ui.scope(v, lang)
st.title(t("data_sources", lang))
ui.caption_version(v, lang, scope)
st.caption(t("all_rows_caption", lang))

query = st.text_input(t("filter_text", lang), key="q")
shown, matched, total = _rows(v, lang, scope.area, query)
ui.table(shown, hide_index=True, width="stretch", height=640)
st.caption(t("rows_shown", lang, n=fmt_number(matched, lang), total=int(total)))

name = f"indicators_v{v.version}"
c1, c2 = st.columns(2)
# built when asked for (a province's XLSX takes a while), then cached per version
c1.download_button(t("download_csv", lang), lambda: ui.export_bytes(v.version, "csv"), f"{name}.csv", "text/csv",
                   key="dl_csv", on_click="ignore")
c2.download_button(t("download_xlsx", lang), lambda: ui.export_bytes(v.version, "xlsx"), f"{name}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx",
                   on_click="ignore")

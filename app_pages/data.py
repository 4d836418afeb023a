"""Data & sources: every row with its source; downloads as CSV (formula-safe) and XLSX."""

import streamlit as st

from app_pages import ui
from indicators.contract import BY_NAME, COLUMN_NAMES
from indicators.exporting import to_csv_bytes, to_xlsx_bytes
from indicators.i18n import t

lang = ui.lang()
v = ui.view()
st.title(t("data_sources", lang))
ui.caption_version(v, lang)
st.caption(t("all_rows_caption", lang))

query = st.text_input(t("filter_text", lang), key="q")
frame = v.frame
if query:
    hay = frame[["indicator_id", "indicator", "area", "source", "note"]].agg(" ".join, axis=1)
    frame = frame[hay.str.contains(query, case=False, regex=False)]
labels = {c: (BY_NAME[c].label_vi if lang == "vi" else BY_NAME[c].label_en) for c in COLUMN_NAMES}
st.dataframe(frame[list(COLUMN_NAMES)].rename(columns=labels), hide_index=True, width="stretch")
st.caption(f"{len(frame)} / {len(v.frame)} {t('rows', lang)}")

name = f"indicators_v{v.version}"
c1, c2 = st.columns(2)
c1.download_button(t("download_csv", lang), to_csv_bytes(v.frame), f"{name}.csv", "text/csv", key="dl_csv")
c2.download_button(t("download_xlsx", lang), to_xlsx_bytes(v.frame), f"{name}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx")

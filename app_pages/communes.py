"""Communes and townships: the highest standard each has reached, as a chart and a table."""

import streamlit as st

from indicators.i18n import t
from indicators.present.charts import standards_chart
from indicators.present.formatting import fmt_period
from indicators.progress.communes import standards_table
from webui import ui

lang = ui.lang()
v = ui.view()
st.title(t("communes", lang))
ui.caption_version(v, lang)
st.write(t("communes_intro", lang))
table = standards_table(v.frame, lang)
if table.empty:
    st.info(t("no_data_loaded", lang))
    st.stop()
st.plotly_chart(standards_chart(table, lang), key="standards_chart", theme=None)
shown = table.rename(columns={"area": t("area", lang), "standard": t("standard", lang),
                              "since": t("since", lang), "source": t("source", lang)})
shown[t("since", lang)] = [fmt_period(p, None, lang) if p else "" for p in table["since"]]
shown[t("standard", lang)] = [s or t("standard_none", lang) for s in table["standard"]]
ladder = table.attrs["ladder"]
order = [t("area", lang), t("standard", lang), t("since", lang), *ladder, t("source", lang)]
ui.table(shown[order], hide_index=True, width="stretch", height=ui.table_height(len(shown)))

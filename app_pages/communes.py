"""The sub-areas of the chosen area (sidebar, ?area=): the highest standard each has reached, as a chart and
a table (built once per version, language and area). The url_path stays "communes" for old links."""

import plotly.graph_objects as go
import streamlit as st

from indicators.i18n import t
from indicators.present.charts import standards_chart
from indicators.present.formatting import fmt_period
from indicators.present.plaintext import AREA_LIMIT
from indicators.present.view import VersionView
from indicators.progress.communes import standards_table
from webui import ui


@ui.per_version
def _standards(v: VersionView, lang: str, area: str) -> tuple[go.Figure, ui.SafeTable] | None:
    table = standards_table(v.rows_of(v.sub_areas(area)), area, lang)
    if table.empty:
        return None
    shown = table.rename(columns={"area": t("area", lang), "standard": t("standard", lang),
                                  "since": t("since", lang), "source": t("source", lang)})
    shown[t("since", lang)] = [fmt_period(p, None, lang) if p else "" for p in table["since"]]
    shown[t("standard", lang)] = [s or t("standard_none", lang) for s in table["standard"]]
    order = [t("area", lang), t("standard", lang), t("since", lang), *table.attrs["ladder"], t("source", lang)]
    return standards_chart(table, lang), ui.safe_table(shown[order])


lang = ui.lang()
v = ui.view()
scope = ui.scope(v, lang)
st.title(ui.md("{title} · {area}", title=t("subareas", lang), area=ui.cut(scope.area, AREA_LIMIT)))
ui.caption_version(v, lang, scope)
st.write(t("subareas_intro", lang, area=ui.plain(scope.area, AREA_LIMIT)))
built = _standards(v, lang, scope.area)
if built is None:
    st.info(t("subareas_none", lang, area=ui.plain(scope.area, AREA_LIMIT)))
    st.stop()
chart, shown = built
st.plotly_chart(chart, key="standards_chart", theme=None)
ui.table(shown, hide_index=True, width="stretch", height=ui.table_height(len(shown)))

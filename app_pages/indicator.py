"""One indicator: its series with target and projection, the figures, the sources, the numbers."""

import streamlit as st

from indicators.i18n import indicator_name, t, trend_label
from indicators.present.charts import series_chart
from indicators.present.formatting import count_decimals, fmt_number, fmt_percent, fmt_period, fmt_value
from indicators.present.narrative import sentence
from indicators.present.plaintext import LABEL_LIMIT, NAME_LIMIT, SOURCE_LIMIT, shorten
from webui import ui

lang = ui.lang()
v = ui.view()
options = v.result.index[v.result["area"] == v.main_area].tolist() + \
    v.result.index[v.result["area"] != v.main_area].tolist()
ids = [f"{v.result.at[i, 'indicator_id']}" if v.result.at[i, "area"] == v.main_area
       else f"{v.result.at[i, 'indicator_id']}@{v.result.at[i, 'area']}" for i in options]
labels = {sid: shorten(indicator_name(v.result.loc[i], lang), LABEL_LIMIT)
          + ("" if "@" not in sid else f" — {shorten(v.result.at[i, 'area'], LABEL_LIMIT)}")
          for sid, i in zip(ids, options, strict=True)}  # options of a select box are never Markdown
ui.sync_from_url("indicator", ids)
chosen = st.selectbox(t("choose_indicator", lang), ids, key="indicator", format_func=labels.__getitem__)
ui.sync_to_url("indicator", chosen or ids[0])
row = v.result.loc[options[ids.index(chosen or ids[0])]]
unit = row["unit"]

name = indicator_name(row, lang)
st.title(ui.plain(name, NAME_LIMIT))
if len(name) > NAME_LIMIT:
    st.text(name)  # the whole name, never parsed
ui.caption_version(v, lang)
rows = v.frame[(v.frame["indicator_id"] == row["indicator_id"]) & (v.frame["area"] == row["area"])]
ui.status_badge(row["status"], lang)
st.markdown(ui.plain(sentence(row, lang)))
c = st.columns(4)
c[0].metric(t("latest", lang), ui.value_text(row, lang),
            help=f"{t('period', lang)}: {ui.plain(fmt_period(row['latest_period'], row['latest_date'], lang))}")
c[1].metric(t("target", lang), ui.plain(fmt_value(row["target_value"], row["target_qualifier"], unit, lang))
            if row["target_value"] == row["target_value"] else t("kpi_target_none", lang))
c[2].metric(t("progress", lang), ui.plain(fmt_percent(row["progress"], lang)))
c[3].metric(t("elapsed", lang), ui.plain(fmt_percent(row["elapsed"], lang)))
digits = count_decimals(rows["value"])
c = st.columns(4)
c[0].metric(t("pace", lang), ui.plain(fmt_number(row["pace"], lang)))
c[1].metric(t("projected", lang), ui.plain(fmt_value(row["projected"] if row["status"] != "achieved" else None,
                                                     "", unit, lang, decimals=digits)))
c[2].metric(t("required_per_year", lang), ui.plain(fmt_value(row["required_per_year"], "", unit, lang,
                                                             decimals=digits)))
c[3].metric(t("trend", lang), trend_label(row["trend"], lang))

st.plotly_chart(series_chart(rows, row, lang), key="series_chart", theme=None)

st.subheader(t("sources_notes", lang))
for _, r in rows.sort_values("period_end").iterrows():
    st.markdown(f"- **{ui.plain(fmt_period(r['period'], r['period_end'], lang))}** · {t('kind_' + r['kind'], lang)}"
                f" · {ui.plain(fmt_value(r['value'], r['qualifier'], unit, lang))}")
    st.caption(f"{t('source', lang)}: {ui.plain(r['source'], SOURCE_LIMIT)}"
               + (f" — {ui.plain(r['note'], SOURCE_LIMIT)}" if r["note"] else ""))

st.subheader(t("numbers_table", lang))
ui.table({
    t("period", lang): [fmt_period(p, d, lang) for p, d in zip(rows["period"], rows["period_end"], strict=True)],
    t("kind", lang): [t("kind_" + k, lang) for k in rows["kind"]],
    t("value", lang): [fmt_value(x, q, unit, lang) for x, q in zip(rows["value"], rows["qualifier"], strict=True)],
    t("of_total", lang): [fmt_number(x, lang) for x in rows["of_total"]],
    t("source", lang): rows["source"], t("note", lang): rows["note"],
}, hide_index=True, width="stretch")

"""Overview: KPI cards for the targets, the pace chart, status counts per group, the other figures."""

import streamlit as st

from indicators.i18n import indicator_name, t, trend_label
from indicators.present.charts import pace_chart, status_by_group_chart
from indicators.present.formatting import fmt_percent, fmt_period, fmt_value, short_source
from indicators.present.plaintext import AREA_LIMIT, NAME_LIMIT, SOURCE_LIMIT
from indicators.progress.engine import status_counts
from indicators.progress.statuses import STATUSES, status_label
from webui import ui

lang = ui.lang()
v = ui.view()
main = v.result[v.result["area"] == v.main_area]
st.title(f"{ui.plain(v.main_area, AREA_LIMIT)} · {t('app_title', lang)}")
ui.caption_version(v, lang)
counts = status_counts(main, by=None).iloc[0]
cols = st.columns(4) + st.columns(4)
for col, status in zip(cols, STATUSES, strict=True):
    col.metric(f"{status.symbol} {status.label(lang)}", int(counts[status.code]), help=status.meaning_vi
               if lang == "vi" else status.meaning_en, border=True)

years = sorted({d.year for d in main["target_date"].dropna()})
st.subheader(t("targets_heading", lang) + (f" · {t('targets_until', lang, year=int(years[-1]))}" if years else ""))
targeted = main[main["target_value"].notna()]
grid = st.columns(3)
for i, (_, row) in enumerate(targeted.iterrows()):
    with grid[i % 3].container(border=True):
        source = row["latest_source"] or row["target_source"]
        st.markdown(f"**{ui.plain(indicator_name(row, lang), NAME_LIMIT)}**")
        when = ui.plain(fmt_period(row["latest_period"], row["latest_date"], lang))
        st.metric(f"{t('latest', lang)} ({when})" if row["latest_period"] else t("latest", lang),
                  ui.value_text(row, lang), help=f"{t('source', lang)}: {ui.plain(source, SOURCE_LIMIT)}")
        target = fmt_value(row["target_value"], row["target_qualifier"], row["unit"], lang)
        target_when = fmt_period(row["target_period"], row["target_date"], lang)
        st.markdown(f"{t('target', lang)}: {ui.plain(f'{target} ({target_when})')}"
                    + (f" · {t('progress', lang)} {ui.plain(fmt_percent(row['progress'], lang))}"
                       if row["progress"] == row["progress"] else ""))
        ui.status_badge(row["status"], lang)
        st.caption(f"{t('source', lang)}: {ui.plain(short_source(source))}")
        st.page_link("app_pages/indicator.py", label=t("details", lang), icon=":material/arrow_forward:",
                     query_params={"indicator": row["indicator_id"], "lang": lang})

left, right = st.columns([3, 2])
plotted = main.dropna(subset=["progress", "elapsed"])
left.plotly_chart(pace_chart(main, lang), key="pace_chart", theme=None)
left.caption(t("not_plotted", lang, n=len(targeted) - len(plotted)))
right.plotly_chart(status_by_group_chart(main, lang), key="status_by_group", theme=None)

st.subheader(t("other_figures", lang))
others = main[main["target_value"].isna()]
table = {
    t("group", lang): others["group"],
    t("indicator_page", lang): [indicator_name(r, lang) for _, r in others.iterrows()],
    t("latest", lang): [fmt_value(r["latest_value"], r["latest_qualifier"], r["unit"], lang) for _, r in others.iterrows()],
    t("period", lang): [fmt_period(p, d, lang) for p, d in zip(others["latest_period"], others["latest_date"], strict=True)],
    t("status", lang): [status_label(s, lang) for s in others["status"]],
    t("trend", lang): [trend_label(x, lang) for x in others["trend"]],
    t("source", lang): others["latest_source"],
}
ui.table(table, hide_index=True, width="stretch", height=ui.table_height(len(others)))

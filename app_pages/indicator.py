"""One indicator: its series with target and projection, the figures, the sources, the numbers.

The choices are built once per version and language, a series' chart and table once per series
(`ui.per_version`): a warm rerun only draws.
"""

from types import SimpleNamespace

import plotly.graph_objects as go
import streamlit as st

from indicators.i18n import indicator_name, t, trend_label
from indicators.present.breakdowns import headline, of_series
from indicators.present.charts import series_chart
from indicators.present.formatting import count_decimals, fmt_number, fmt_percent, fmt_period, fmt_value
from indicators.present.narrative import sentence
from indicators.present.plaintext import LABEL_LIMIT, NAME_LIMIT, SOURCE_LIMIT, shorten
from indicators.present.view import VersionView
from webui import ui
from webui.breakdowns import show_breakdowns


@ui.per_version
def _choices(v: VersionView, lang: str) -> tuple[list[str], dict[str, int], dict[str, str]]:
    """Series ids (the main area's first), their result index, and their labels (never Markdown)."""
    listed = headline(v.result)  # a series' breakdowns are shown under it, not listed beside it
    options = listed.index[listed["area"] == v.main_area].tolist() + listed.index[listed["area"] != v.main_area].tolist()
    ids = [v.series_id(i) for i in options]
    labels = {sid: shorten(indicator_name(v.row(i), lang), LABEL_LIMIT)
              + ("" if "@" not in sid else f" — {shorten(v.result.at[i, 'area'], LABEL_LIMIT)}")
              for sid, i in zip(ids, options, strict=True)}
    return ids, dict(zip(ids, options, strict=True)), labels


@ui.per_version
def _series(v: VersionView, lang: str, index: int) -> tuple[go.Figure, ui.SafeTable, list[tuple[str, str, str, str, str]]]:
    """The series' chart, its numbers table, and per observation (period, kind, value, source, note)."""
    row = v.row(index)
    rows = of_series(v.series_rows(row), row)
    unit = row["unit"]
    table = ui.safe_table({
        t("period", lang): [fmt_period(p, d, lang) for p, d in zip(rows["period"], rows["period_end"], strict=True)],
        t("kind", lang): [t("kind_" + k, lang) for k in rows["kind"]],
        t("value", lang): [fmt_value(x, q, unit, lang) for x, q in zip(rows["value"], rows["qualifier"], strict=True)],
        t("of_total", lang): [fmt_number(x, lang) for x in rows["of_total"]],
        t("source", lang): rows["source"], t("note", lang): rows["note"],
    })
    notes = [(fmt_period(r["period"], r["period_end"], lang), t("kind_" + r["kind"], lang),
              fmt_value(r["value"], r["qualifier"], unit, lang), r["source"], r["note"])
             for _, r in rows.sort_values("period_end").iterrows()]
    return series_chart(rows, row, lang), table, notes


@ui.per_version
def _breakdown_scope(v: VersionView, lang: str, index: int) -> SimpleNamespace:
    """The indicator's rows in the series' area, and that area's series (each breakdown its own)."""
    row = v.row(index)
    return SimpleNamespace(frame=v.series_rows(row), result=v.result[v.result["area"] == row["area"]])


lang = ui.lang()
v = ui.view()
ids, index_of, labels = _choices(v, lang)
ui.sync_from_url("indicator", ids)
chosen = st.selectbox(t("choose_indicator", lang), ids, key="indicator", format_func=labels.__getitem__)
ui.sync_to_url("indicator", chosen or ids[0])
index = index_of[chosen or ids[0]]
row = v.row(index)
unit = row["unit"]
figure, numbers, notes = _series(v, lang, index)

name = indicator_name(row, lang)
st.title(ui.plain(name, NAME_LIMIT))
if len(name) > NAME_LIMIT:
    st.text(name)  # the whole name, never parsed
ui.caption_version(v, lang)
ui.status_badge(row["status"], lang)
st.markdown(ui.plain(sentence(row, lang)))
c = st.columns(4)
c[0].metric(t("latest", lang), ui.value_text(row, lang),
            help=f"{t('period', lang)}: {ui.plain(fmt_period(row['latest_period'], row['latest_date'], lang))}")
c[1].metric(t("target", lang), ui.plain(fmt_value(row["target_value"], row["target_qualifier"], unit, lang))
            if row["target_value"] == row["target_value"] else t("kpi_target_none", lang))
c[2].metric(t("progress", lang), ui.plain(fmt_percent(row["progress"], lang)))
c[3].metric(t("elapsed", lang), ui.plain(fmt_percent(row["elapsed"], lang)))
digits = count_decimals(of_series(v.series_rows(row), row)["value"])
c = st.columns(4)
c[0].metric(t("pace", lang), ui.plain(fmt_number(row["pace"], lang)))
c[1].metric(t("projected", lang), ui.plain(fmt_value(row["projected"] if row["status"] != "achieved" else None,
                                                     "", unit, lang, decimals=digits)))
c[2].metric(t("required_per_year", lang), ui.plain(fmt_value(row["required_per_year"], "", unit, lang,
                                                             decimals=digits)))
c[3].metric(t("trend", lang), trend_label(row["trend"], lang))

st.plotly_chart(figure, key="series_chart", theme=None)

st.subheader(t("sources_notes", lang))
for period, kind, value, source, note in notes:
    st.markdown(ui.md("- **{period}** · {kind} · {value}", period=period, kind=kind, value=value))
    st.caption(ui.md("{source}: {text}", source=t("source", lang), text=ui.cut(source, SOURCE_LIMIT))
               + (ui.md(" — {note}", note=ui.cut(note, SOURCE_LIMIT)) if note else ""))

st.subheader(t("numbers_table", lang))
ui.table(numbers, hide_index=True, width="stretch")

if "breakdown" in v.frame.columns:  # issue 10: H-terms hands over the view's scope of the chosen area and term
    show_breakdowns(_breakdown_scope(v, lang, index), str(row["indicator_id"]), lang)

"""One indicator of the chosen area in the chosen term: its series with target and projection (a break
drawn as a dashed line), the figures, the sources, the numbers, its breakdowns, and under a unit formed by a
merger the figures of the units before it (side by side, never summed).

The choices are built once per version, language, area and term, a series' chart and table once per series
(`ui.per_version`): a warm rerun only draws.
"""


import plotly.graph_objects as go
import streamlit as st

from indicators.i18n import indicator_name, t, trend_label
from indicators.present.breakdowns import of_series
from indicators.present.charts import mark_breaks, series_chart
from indicators.present.formatting import (
    count_decimals,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_period,
    fmt_value,
)
from indicators.present.narrative import sentence, verdict_sentence
from indicators.present.plaintext import LABEL_LIMIT, NAME_LIMIT, SOURCE_LIMIT, shorten
from indicators.present.view import VersionView
from webui import ui
from webui.breakdowns import show_breakdowns

BREAK_KEYS = {"break_merger", "break_new_standard", "break_method_change", "break_break"}


@ui.per_version
def _choices(v: VersionView, lang: str, area: str, term: str | None) -> tuple[list[str], dict[str, int], dict[str, str]]:
    """The area's indicators (one series each: the total, `Scope.totals`), their result index, and their
    labels (never Markdown)."""
    totals = v.scope(area, term).totals.drop_duplicates("indicator_id")
    ids = totals["indicator_id"].astype(str).tolist()
    labels = {iid: shorten(indicator_name(r, lang), LABEL_LIMIT) for iid, (_, r) in zip(ids, totals.iterrows(),
                                                                                       strict=True)}
    return ids, dict(zip(ids, totals.index, strict=True)), labels


@ui.per_version
def _series(v: VersionView, lang: str, area: str, term: str | None,
            index: int) -> tuple[go.Figure, ui.SafeTable, list[tuple[str, str, str, str, str]], list[tuple[str, str]]]:
    """The series' chart, its numbers table, per observation (period, kind, value, source, note), and its
    breaks (when, why)."""
    scope = v.scope(area, term)
    row = scope.row(index)
    rows = of_series(scope.series_rows(row), row)  # the total's rows: its breakdowns are drawn below
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
    broken = rows[rows["series_break"] != ""].sort_values("period_end")
    breaks = [(d, fmt_period(p, d, lang), t(f"break_{code}", lang) if f"break_{code}" in BREAK_KEYS else code)
              for p, d, code in zip(broken["period"], broken["period_end"], broken["series_break"], strict=True)]
    if len(rows):  # the unit itself changed (the crosswalk) while the series ran
        first, last = rows["period_end"].min(), rows["period_end"].max()
        breaks += [(d, fmt_date(d, lang), t("break_merger", lang)) for d in v.merger_dates(area)
                   if first < d <= last and all(abs((d - b[0]).days) > 31 for b in breaks)]
    breaks.sort(key=lambda b: b[0])
    figure = mark_breaks(series_chart(rows, row, lang), [b[0] for b in breaks], t("break_line", lang))
    return figure, table, notes, [(when, why) for _, when, why in breaks]


@ui.per_version
def _predecessors(v: VersionView, lang: str, area: str, indicator_id: str) -> ui.SafeTable | None:
    """The figures of the units merged into `area` (indicators.areas' crosswalk), one row each, or None."""
    rows = v.predecessor_rows(area, indicator_id)
    if rows.empty:
        return None
    return ui.safe_table({
        t("predecessor", lang): rows["predecessor"],
        t("period", lang): [fmt_period(p, d, lang) for p, d in zip(rows["period"], rows["period_end"], strict=True)],
        t("kind", lang): [t("kind_" + k, lang) for k in rows["kind"]],
        t("value", lang): [fmt_value(x, q, u, lang) for x, q, u in zip(rows["value"], rows["qualifier"], rows["unit"],
                                                                      strict=True)],
        t("source", lang): rows["source"],
    })


lang = ui.lang()
v = ui.view()
scope = ui.scope(v, lang)
term = scope.term.label if scope.term else None
ids, index_of, labels = _choices(v, lang, scope.area, term)
if not ids:
    st.title(t("indicator_page", lang))
    ui.caption_version(v, lang, scope)
    st.info(t("no_data_loaded", lang))
    st.stop()
ui.sync_from_url("indicator", ids)
if st.session_state.get("indicator") not in ids:
    st.session_state["indicator"] = ids[0]
chosen = st.selectbox(t("choose_indicator", lang), ids, key="indicator", format_func=labels.__getitem__)
ui.sync_to_url("indicator", chosen or ids[0])
index = index_of[chosen or ids[0]]
row = scope.row(index)
unit = row["unit"]
figure, numbers, notes, breaks = _series(v, lang, scope.area, term, index)

name = indicator_name(row, lang)
st.title(ui.plain(name, NAME_LIMIT))
if len(name) > NAME_LIMIT:
    st.text(name)  # the whole name, never parsed
ui.caption_version(v, lang, scope)
if scope.closed and row["verdict"]:
    ui.verdict_badge(row["verdict"], lang)
    st.markdown(ui.plain(verdict_sentence(row, lang)))
else:
    ui.status_badge(row["status"], lang)
    st.markdown(ui.plain(sentence(row, lang)))
if row["computed"]:
    st.badge(t("computed_badge", lang), icon=":material/functions:", color="violet")
    st.caption(ui.plain(row["latest_source"]))
for when, reason in breaks:
    st.caption(t("series_break_caption", lang, when=ui.plain(when), reason=ui.plain(reason)))
c = st.columns(4)
c[0].metric(t("latest", lang), ui.value_text(row, lang),
            help=f"{t('period', lang)}: {ui.plain(fmt_period(row['latest_period'], row['latest_date'], lang))}")
c[1].metric(t("target", lang), ui.plain(fmt_value(row["target_value"], row["target_qualifier"], unit, lang))
            if row["target_value"] == row["target_value"] else t("kpi_target_none", lang))
c[2].metric(t("progress", lang), ui.plain(fmt_percent(row["progress"], lang)))
c[3].metric(t("elapsed", lang), ui.plain(fmt_percent(row["elapsed"], lang)))
digits = count_decimals(of_series(scope.series_rows(row), row)["value"])
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

show_breakdowns(scope, str(row["indicator_id"]), lang)

before = _predecessors(v, lang, scope.area, str(row["indicator_id"]))
if before is not None:
    st.subheader(t("predecessors_heading", lang))
    st.caption(t("predecessors_caption", lang, area=ui.plain(scope.area, NAME_LIMIT)))
    ui.table(before, hide_index=True, width="stretch")

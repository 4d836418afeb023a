"""Overview of the chosen area in the chosen term (sidebar, ?area= and ?term=): KPI cards for the targets, the
pace chart, status counts per group, the other figures. A closed term counts verdicts instead of statuses,
and each card gives its verdict with the final figure and its date.

Everything drawn is built once per version, language, area and term (`ui.per_version`): a warm rerun only draws.
"""

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators.i18n import indicator_name, t, trend_label
from indicators.present.charts import pace_chart, status_by_group_chart
from indicators.present.formatting import fmt_percent, fmt_period, fmt_value, short_source
from indicators.present.plaintext import AREA_LIMIT, NAME_LIMIT, SOURCE_LIMIT
from indicators.present.view import VersionView, value_text
from indicators.progress.engine import status_counts
from indicators.progress.statuses import STATUSES, status_label
from indicators.progress.terms import VERDICTS, verdict_label
from webui import ui


class Card(NamedTuple):
    """The words of one target's card (data text: each passes ui.plain where it is drawn)."""

    indicator_id: str
    name: str
    when: str
    value: str
    source: str
    short_source: str
    target: str
    progress: str
    status: str
    verdict: str  # a closed term's verdict code ('' while the term is open)
    final: str  # a closed term's final figure and its date, or that none is published
    computed: bool  # the latest value is a roll-up of the sub-areas' (its source says the coverage)


class Overview(NamedTuple):
    counts: dict[str, int]
    until: int | None
    cards: list[Card]
    not_plotted: int
    pace: go.Figure
    by_group: go.Figure
    others: ui.SafeTable
    more: ui.SafeTable | None  # the targets past CARD_LIMIT, one line each


#: Cards drawn; a province's further targets are one table (each card costs a rerun a dozen elements).
CARD_LIMIT = 12


def _more_targets(cards: list[Card], lang: str) -> ui.SafeTable | None:
    """The targets past the cards, as a table: value, target, progress, and the verdict or status."""
    if not cards:
        return None
    return ui.safe_table({
        t("indicator_page", lang): [c.name for c in cards],
        t("latest", lang): [f"{c.value} ({c.when})" if c.when else c.value for c in cards],
        t("target", lang): [c.target for c in cards],
        t("progress", lang): [c.progress for c in cards],
        t("status", lang): [verdict_label(c.verdict, lang) if c.verdict else status_label(c.status, lang)
                            for c in cards],
        t("source", lang): [c.short_source for c in cards],
    })


def _final_text(row: pd.Series, lang: str) -> str:
    """'1.050 đảng viên (2025)' — a closed term's final figure and its date; the words for none."""
    if row["verdict"] == "no_final" or row["final_value"] != row["final_value"]:
        return t("verdict_no_final", lang)
    return f"{value_text(row, lang)} ({fmt_period(row['final_period'], row['final_date'], lang)})"


@ui.per_version
def _overview(v: VersionView, lang: str, area: str, term: str | None) -> Overview:
    scope = v.scope(area, term)
    main = scope.totals
    if scope.closed:
        verdicts = main["verdict"].value_counts()
        counts = {code: int(verdicts.get(code, 0)) for code in VERDICTS}
    else:
        statuses = status_counts(main, by=None).iloc[0] if len(main) else None
        counts = {s.code: int(statuses[s.code]) if statuses is not None else 0 for s in STATUSES}
    years = sorted({d.year for d in main["target_date"].dropna()})
    targeted = main[main["target_value"].notna()]
    cards = []
    for _, row in targeted.iterrows():
        source = row["latest_source"] or row["target_source"]
        target = fmt_value(row["target_value"], row["target_qualifier"], row["unit"], lang)
        cards.append(Card(
            indicator_id=row["indicator_id"], name=indicator_name(row, lang),
            when=fmt_period(row["latest_period"], row["latest_date"], lang) if row["latest_period"] else "",
            value=value_text(row, lang), source=source, short_source=short_source(source),
            target=f"{target} ({fmt_period(row['target_period'], row['target_date'], lang)})",
            progress=fmt_percent(row["progress"], lang) if row["progress"] == row["progress"] else "",
            status=row["status"], verdict=row["verdict"] if scope.closed else "",
            final=_final_text(row, lang) if scope.closed else "", computed=bool(row["computed"])))
    plotted = main.dropna(subset=["progress", "elapsed"])
    others = main[main["target_value"].isna()]
    table = ui.safe_table({
        t("group", lang): others["group"],
        t("indicator_page", lang): [indicator_name(r, lang) for _, r in others.iterrows()],
        t("latest", lang): [value_text(r, lang) for _, r in others.iterrows()],
        t("period", lang): [fmt_period(p, d, lang) for p, d in zip(others["latest_period"], others["latest_date"],
                                                                    strict=True)],
        t("status", lang): [status_label(s, lang) for s in others["status"]],
        t("trend", lang): [trend_label(x, lang) for x in others["trend"]],
        t("source", lang): others["latest_source"],
    })
    return Overview(counts=counts, until=int(years[-1]) if years else None,
                    cards=cards, not_plotted=len(targeted) - len(plotted), pace=pace_chart(main, lang),
                    by_group=status_by_group_chart(main, lang), others=table,
                    more=_more_targets(cards[CARD_LIMIT:], lang))


lang = ui.lang()
v = ui.view()
scope = ui.scope(v, lang)
page = _overview(v, lang, scope.area, scope.term.label if scope.term else None)
st.title(ui.md("{area} · {title}", area=ui.cut(scope.area, AREA_LIMIT), title=t("app_title", lang)))
ui.caption_version(v, lang, scope)
if scope.closed:
    st.subheader(t("verdict_heading", lang))
    for col, code in zip(st.columns(len(VERDICTS)), VERDICTS, strict=True):
        col.metric(ui.plain(verdict_label(code, lang)), int(page.counts[code]), border=True)
else:
    cols = st.columns(4) + st.columns(4)
    for col, status in zip(cols, STATUSES, strict=True):
        col.metric(f"{status.symbol} {status.label(lang)}", int(page.counts[status.code]), help=status.meaning_vi
                   if lang == "vi" else status.meaning_en, border=True)

st.subheader(t("targets_heading", lang) + (f" · {t('targets_until', lang, year=int(page.until))}" if page.until else ""))
grid = st.columns(3)
for i, card in enumerate(page.cards[:CARD_LIMIT]):
    with grid[i % 3].container(border=True):
        st.markdown(ui.md("**{name}**", name=ui.cut(card.name, NAME_LIMIT)))
        st.metric(ui.md("{latest} ({when})", latest=t("latest", lang), when=card.when) if card.when
                  else t("latest", lang), ui.plain(card.value),
                  help=ui.md("{source}: {text}", source=t("source", lang), text=ui.cut(card.source, SOURCE_LIMIT)))
        st.markdown(ui.md("{target}: {value}", target=t("target", lang), value=card.target)
                    + (ui.md(" · {progress} {value}", progress=t("progress", lang), value=card.progress)
                       if card.progress else ""))
        if card.verdict:
            st.markdown(ui.md("{final}: {value}", final=t("verdict_final", lang), value=card.final))
            ui.verdict_badge(card.verdict, lang)
        else:
            ui.status_badge(card.status, lang)
        if card.computed:
            st.badge(t("computed_badge", lang), icon=":material/functions:", color="violet")
        st.caption(ui.md("{source}: {text}", source=t("source", lang), text=card.short_source))
        st.page_link("app_pages/indicator.py", label=t("details", lang), icon=":material/arrow_forward:",
                     query_params={"indicator": card.indicator_id, "lang": lang, "area": scope.area,
                                   **({"term": scope.term.label} if scope.term else {})})

if page.more is not None:
    st.caption(t("targets_more", lang, n=len(page.more)))
    ui.table(page.more, hide_index=True, width="stretch", height=ui.table_height(len(page.more)))

left, right = st.columns([3, 2])
left.plotly_chart(page.pace, key="pace_chart", theme=None)
left.caption(t("not_plotted", lang, n=int(page.not_plotted)))
right.plotly_chart(page.by_group, key="status_by_group", theme=None)

st.subheader(t("other_figures", lang))
ui.table(page.others, hide_index=True, width="stretch", height=ui.table_height(len(page.others)))

"""Plotly figures, all drawn with one template ("indicators", built from the palette in theme.py) so every
chart looks the same on the pages (drawn with `theme=None`), in the images, the deck and presentation mode.

Plotly draws a little HTML from any text of a figure (`<b>`, `<a href>`, `<span style>`, `<br>`, in titles,
axes, legends, hover labels and tables, on screen and in SVG). So every piece of data text enters a figure
here through `_text` or `_wrap` (plaintext.chart_text: entities for `&`, `<`, `>`, `$`, `%{`), shortened
with "…" to fit; hover templates are constants that never hold data. The only tags are ours (`<br>`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from indicators.i18n import indicator_name, t
from indicators.present import theme
from indicators.present.formatting import count_decimals, fmt_number, fmt_percent, fmt_period, fmt_value
from indicators.present.plaintext import LABEL_LIMIT, NAME_LIMIT, TICK_LIMIT, UNIT_LIMIT, chart_text, shorten
from indicators.present.theme import COLORWAY, SERIES, STATUS_COLOURS, TEMPLATE, TEMPLATE_DARK
from indicators.progress.statuses import STATUSES, status_label

FONT = theme.FONT
#: Chart text size in presentation mode and in exported slides (a projector needs ≥ 20 px).
PRESENTATION_FONT = 22
SYMBOLS = {  # plotly marker symbols matching the text symbols of statuses.py
    "achieved": "star", "on_track": "triangle-up", "needs_acceleration": "diamond", "limited": "triangle-down",
    "deterioration": "x", "insufficient_data": "circle-open", "no_target": "circle", "no_data": "line-ew",
}


def _text(text: object, limit: int = NAME_LIMIT) -> str:
    """Data text for a figure: shortened to `limit` characters, drawn as written (never as HTML)."""
    return chart_text(shorten(text, limit))


def _wrap(text: object, width: int = 34, limit: int = LABEL_LIMIT) -> str:
    """Data text for a figure in lines of at most `width` characters (joined by <br>), shortened to `limit`;
    a word longer than a line is cut into pieces."""
    words = [w[i:i + width] for w in shorten(text, limit).split() for i in range(0, len(w), width)]
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(chart_text(line) for line in lines)


def _distinct(labels: list[str]) -> list[str]:
    """Category labels kept apart after shortening: a repeated label gets ' (2)', ' (3)', …"""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _separators(lang: str) -> str:
    """Plotly's decimal and thousands characters: '57,2' and '7.000' in Vietnamese."""
    return ",." if lang == "vi" else ".,"


def pace_chart(result: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Share of the target reached against share of the period elapsed; the diagonal is 'on pace'."""
    plotted = result.dropna(subset=["progress", "elapsed"])
    fig = go.Figure()
    top = max(1.0, float(plotted["progress"].clip(upper=2).max()) if len(plotted) else 1.0) * 100
    fig.add_trace(go.Scatter(
        x=[0, 100], y=[0, 100], mode="lines", name=t("on_pace_line", lang),
        line=dict(color=SERIES["baseline"], dash="dash"), hoverinfo="skip",
    ))
    for status in STATUSES:
        part = plotted[plotted["status"] == status.code]
        if part.empty:
            continue
        names = [_wrap(indicator_name(r, lang), 50, NAME_LIMIT) for _, r in part.iterrows()]
        hover = [
            f"{name}<br>{t('progress', lang)}: {fmt_percent(p, lang)}<br>"
            f"{t('elapsed', lang)}: {fmt_percent(e, lang)}<br>{status.label(lang)}"
            for name, p, e in zip(names, part["progress"], part["elapsed"], strict=True)
        ]
        fig.add_trace(go.Scatter(
            x=part["elapsed"] * 100, y=part["progress"].clip(upper=2) * 100, mode="markers",
            name=f"{status.symbol} {status.label(lang)}", text=hover, hovertemplate="%{text}<extra></extra>",
            marker=dict(size=16, color=STATUS_COLOURS[status.code], symbol=SYMBOLS[status.code],
                        line=dict(width=1, color=theme.LIGHT.background)),
        ))
    fig.update_layout(
        template=TEMPLATE, title=t("pace_chart_title", lang), separators=_separators(lang),
        xaxis=dict(title=t("pace_chart_x", lang), range=[0, 105], ticksuffix="%"),
        yaxis=dict(title=_wrap(t("pace_chart_y", lang), 28), range=[0, top + 10], ticksuffix="%"),
        legend=dict(orientation="h", y=-0.2), height=480,
    )
    return fig


def status_by_group_chart(result: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Stacked bars: how many series of each group are in each status."""
    counts = result.groupby(["group", "status"]).size().unstack("status", fill_value=0)
    groups = _distinct([_wrap(g, 30, TICK_LIMIT) for g in counts.index])
    fig = go.Figure()
    for status in STATUSES:
        if status.code not in counts.columns:
            continue
        fig.add_trace(go.Bar(
            y=groups, x=counts[status.code], orientation="h", name=f"{status.symbol} {status.label(lang)}",
            marker=dict(color=STATUS_COLOURS[status.code]), hovertemplate="%{y}: %{x}<extra>" + status.label(lang) + "</extra>",
        ))
    fig.update_layout(
        template=TEMPLATE, barmode="stack", title=t("status_by_group", lang), separators=_separators(lang),
        xaxis=dict(title=t("series_count", lang), dtick=1), yaxis=dict(autorange="reversed"),
        legend=dict(orientation="h", y=-0.25), height=120 + 45 * max(1, len(counts)),
    )
    return fig


def series_chart(rows: pd.DataFrame, summary: pd.Series, lang: str = "vi") -> go.Figure:
    """One series over time: actuals (estimates hollow), baseline, target and the projection to the target date."""
    unit = str(summary["unit"])
    fig = go.Figure()  # fmt_value cuts a long unit; _text makes the result plain
    rows = rows.sort_values("period_end")
    for kind, style in (("actual", dict(symbol="circle")), ("estimate", dict(symbol="circle-open"))):
        part = rows[rows["kind"] == kind]
        if part.empty:
            continue
        labels = [_text(fmt_value(v, q, unit, lang)) for v, q in zip(part["value"], part["qualifier"], strict=True)]
        fig.add_trace(go.Scatter(
            x=part["period_end"], y=part["value"], mode="lines+markers+text", name=t(kind, lang),
            text=labels, textposition="top center", hovertemplate="%{x|%d/%m/%Y}: %{text}<extra></extra>",
            line=dict(color=SERIES["actual"], width=3, dash="solid" if kind == "actual" else "dot"),
            marker=dict(size=11, color=SERIES["actual"], **style),
        ))
    base = rows[rows["kind"] == "baseline"]
    if not base.empty:
        fig.add_trace(go.Scatter(
            x=base["period_end"], y=base["value"], mode="markers", name=t("baseline", lang),
            marker=dict(size=12, color=SERIES["baseline"], symbol="square"),
            text=[_text(fmt_value(v, q, unit, lang)) for v, q in zip(base["value"], base["qualifier"], strict=True)],
            hovertemplate="%{x|%d/%m/%Y}: %{text}<extra></extra>",
        ))
    if pd.notna(summary["target_value"]):
        target_text = _text(fmt_value(summary["target_value"], summary["target_qualifier"], unit, lang))
        fig.add_trace(go.Scatter(
            x=[summary["target_date"]], y=[summary["target_value"]], mode="markers+text",
            name=f"{t('target', lang)}: {target_text}", text=[f"{t('target', lang)} {target_text}"],
            textposition="bottom left", marker=dict(size=16, color=SERIES["target"], symbol="star"),
            hovertemplate="%{x|%d/%m/%Y}: %{text}<extra></extra>",
        ))
        fig.add_hline(y=float(summary["target_value"]), line=dict(color=SERIES["target"], dash="dash", width=1))
    digits = count_decimals(rows["value"])
    if pd.notna(summary.get("projected")) and pd.notna(summary["latest_date"]) and summary["status"] != "achieved":
        fig.add_trace(go.Scatter(
            x=[summary["latest_date"], summary["target_date"]], y=[summary["latest_value"], summary["projected"]],
            mode="lines", name=f"{t('projection', lang)}: {_text(fmt_value(summary['projected'], '', unit, lang, decimals=digits))}",
            line=dict(color=SERIES["projection"], dash="dot", width=2), hoverinfo="skip",
        ))
    fig.update_layout(
        template=TEMPLATE, title=_wrap(indicator_name(summary, lang), 70, LABEL_LIMIT), separators=_separators(lang),
        yaxis=dict(title=_text(unit, UNIT_LIMIT), rangemode="tozero"), xaxis=dict(title=t("period", lang)),
        legend=dict(orientation="h", y=-0.2), height=460,
    )
    days = pd.concat([rows["period_end"], pd.Series([summary["target_date"]])]).dropna().unique()
    if len(days) == 1:  # one date: Plotly would zoom its axis to milliseconds around it; show the year around it
        day = pd.Timestamp(days[0])
        fig.update_xaxes(range=[day - pd.Timedelta(days=400), day + pd.Timedelta(days=400)], dtick="M12",
                         tickformat="%Y")
    return fig


def mark_breaks(fig: go.Figure, dates: list[pd.Timestamp], label: str) -> go.Figure:
    """A dashed vertical line, labelled `label`, at each day a series breaks (a merger, a new standard):
    the figures either side of it are not comparable. (A shape and an annotation, not add_vline, whose
    annotation fails on a date axis.)"""
    for day in dates:
        x = pd.Timestamp(day).isoformat()
        fig.add_shape(type="line", x0=x, x1=x, xref="x", y0=0, y1=1, yref="paper",
                      line=dict(color=theme.LIGHT.muted, dash="dash", width=2))
        fig.add_annotation(x=x, xref="x", y=1, yref="paper", text=_text(label), showarrow=False, yanchor="bottom",
                           font=dict(color=theme.LIGHT.muted))
    return fig


def standards_chart(table: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """How many communes reached each standard (their highest), in ladder order."""
    counts = table["standard"].value_counts().reindex(table.attrs.get("ladder", []) + [""], fill_value=0)
    labels = _distinct([_wrap(s, 30, TICK_LIMIT) if s else t("standard_none", lang) for s in counts.index])
    fig = go.Figure(go.Bar(
        x=counts.to_numpy(), y=labels, orientation="h", marker=dict(color=STATUS_COLOURS["achieved"]),
        text=[fmt_number(float(v), lang) for v in counts.to_numpy()], textposition="outside",
        hovertemplate="%{y}: %{x}<extra></extra>",
    ))
    fig.update_layout(
        template=TEMPLATE, title=t("standard", lang), separators=_separators(lang),
        xaxis=dict(title=t("commune_count", lang), dtick=5), yaxis=dict(autorange="reversed"),
        height=140 + 50 * len(counts), showlegend=False,
    )
    return fig



#: Marker symbols of a breakdown chart's lines, so that colour is never the only way to tell them apart.
LINE_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "triangle-down", "pentagon", "hexagon")


def breakdown_chart(rows: pd.DataFrame, lang: str = "vi", *, dim: str,
                    fixed: Mapping[str, str] | None = None) -> go.Figure:
    """One indicator in one area by one breakdown dimension: a line per value of `dim` (its own colour and
    marker, labelled at its last point), the total dashed, and, where a line's series has a target, that
    target as a star with a dotted line to it from the line's last figure. `rows` are the indicator's rows
    (every breakdown); `fixed` holds the other dimensions' values to draw (`breakdowns.lines`)."""
    from indicators.present.breakdowns import dimension_label, lines

    fig = go.Figure()
    unit = str(rows["unit"].iat[0]) if len(rows) else ""
    total_word = t("bd_total", lang)
    for n, (value, part) in enumerate(lines(rows, dim, fixed)):
        part = part.sort_values("period_end")
        name = total_word if value is None else _text(value, TICK_LIMIT)
        colour = theme.LIGHT.text if value is None else COLORWAY[(n - 1) % len(COLORWAY)]
        symbol = "circle-open" if value is None else LINE_SYMBOLS[(n - 1) % len(LINE_SYMBOLS)]
        seen = part[part["kind"].isin(("actual", "estimate"))]
        labels = [_text(fmt_value(v, q, unit, lang)) for v, q in zip(seen["value"], seen["qualifier"], strict=True)]
        fig.add_trace(go.Scatter(
            x=seen["period_end"], y=seen["value"], mode="lines+markers", name=name,
            text=[f"{name}: {label}" for label in labels], hovertemplate="%{x|%d/%m/%Y} · %{text}<extra></extra>",
            line=dict(color=colour, width=2 if value is None else 3, dash="dash" if value is None else "solid"),
            marker=dict(size=9, color=colour, symbol=[symbol if k == "actual" else "circle-open" for k in seen["kind"]]),
        ))
        if len(seen):
            fig.add_annotation(x=seen["period_end"].iat[-1], y=seen["value"].iat[-1], text=name, showarrow=False,
                               xanchor="left", xshift=8, font=dict(color=colour))
        target = part[part["kind"] == "target"]
        if len(target):
            goal = target.iloc[-1]
            goal_text = _text(fmt_value(goal["value"], goal["qualifier"], unit, lang))
            start = (seen["period_end"].iat[-1], seen["value"].iat[-1]) if len(seen) else (goal["period_end"], goal["value"])
            fig.add_trace(go.Scatter(
                x=[start[0], goal["period_end"]], y=[start[1], goal["value"]], mode="lines+markers",
                name=f"{t('target', lang)} — {name}: {goal_text}", line=dict(color=colour, dash="dot", width=1.5),
                marker=dict(size=[0, 15], symbol="star", color=colour),
                text=["", f"{t('target', lang)} — {name}: {goal_text}"], hovertemplate="%{x|%d/%m/%Y} · %{text}<extra></extra>",
            ))
    indicator = indicator_name(rows.iloc[0], lang) if len(rows) else ""
    title = t("bd_chart_title", lang, name=shorten(indicator, NAME_LIMIT), dim=dimension_label(dim, lang))
    fig.update_layout(
        template=TEMPLATE, title=_wrap(title, 70, LABEL_LIMIT), separators=_separators(lang),
        yaxis=dict(title=_text(unit, UNIT_LIMIT), rangemode="tozero"), xaxis=dict(title=t("period", lang)),
        legend=dict(orientation="h", y=-0.2), height=460,
    )
    return fig


def presentation(fig: go.Figure, *, dark: bool = False, size: int = PRESENTATION_FONT,
                 height: int | None = None) -> go.Figure:
    """A copy of `fig` for a projector: every text ≥ `size` px, bigger markers, light or dark template.

    A date axis labels each year in the middle of its span, so a value at 31/12/2025 sits inside "2025"
    rather than on the tick of 2026."""
    out = go.Figure(fig)
    tables = all(tr.type == "table" for tr in out.data)
    out.update_layout(
        template=TEMPLATE_DARK if dark else TEMPLATE, font_size=size, title_font_size=round(size * 1.35),
        title_x=0.01, legend_font_size=size, hoverlabel_font_size=size, height=height or out.layout.height,
        margin=dict(l=10, r=10, t=10, b=10) if tables else dict(l=size * 4, r=size * 2, t=size * 4, b=size * 4),
    )
    out.update_xaxes(title_font_size=size, tickfont_size=size)
    out.update_yaxes(title_font_size=size, tickfont_size=size)
    out.update_annotations(font_size=size)
    span = _date_span_days(out)
    if span is not None:  # whole years in the middle of their span; a short series shows its dates
        out.update_xaxes(**(dict(ticklabelmode="period", dtick="M12", tickformat="%Y") if span >= 365
                            else dict(tickformat="%d/%m/%Y", nticks=4)))
    for trace in out.data:
        _enlarge(trace, size, dark)
    _turn_end_labels_inwards(out)
    return out


def _turn_end_labels_inwards(fig: go.Figure) -> None:
    """Big labels centred on the first or last point of the x axis spill out of the chart: turn those inwards."""
    xs = [x for tr in fig.data if tr.type == "scatter" and tr.x is not None for x in tr.x]
    if len(xs) < 2:
        return
    low, high = min(xs), max(xs)
    for trace in fig.data:
        if trace.type != "scatter" or trace.x is None or trace.textposition != "top center":
            continue
        trace.textposition = [
            "top right" if x == low else "top left" if x == high else "top center" for x in trace.x
        ]


def _date_span_days(fig: go.Figure) -> int | None:
    """Days between the first and last date plotted, None when the x axis is not made of dates."""
    dates = [pd.Timestamp(x) for tr in fig.data if tr.type == "scatter" and tr.x is not None for x in tr.x
             if isinstance(x, (pd.Timestamp, np.datetime64, date))]
    return (max(dates) - min(dates)).days if dates else None


def _enlarge(trace: go.BaseTraceType, size: int, dark: bool) -> None:
    if trace.type in ("scatter", "bar"):
        trace.textfont.size = size
    if trace.type == "scatter":
        trace.cliponaxis = False  # a big label above the top point stays whole
        if trace.marker.size is not None:
            trace.marker.size = round(trace.marker.size * 1.5)
    if dark and trace.type == "scatter" and trace.marker.line.color == theme.LIGHT.text:
        trace.marker.line.color = theme.DARK.text  # the elapsed tick of the share chart
    if trace.type == "table":
        trace.header.font.size = trace.cells.font.size = size
        trace.header.height = trace.cells.height = round(size * 1.9)
        mode = theme.DARK if dark else theme.LIGHT
        trace.header.fill.color = mode.header
        trace.header.font.color = trace.cells.font.color = mode.text


def target_share_chart(result: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """Bullet bars: the share of each target reached (status colour), a tick where time elapsed puts the pace.

    A bar past its tick is ahead of schedule; the dashed line at 100% is the target."""
    from indicators.present.narrative import share_reached

    rows = result[result["target_value"].notna()]
    shares = [(r, share_reached(r)) for _, r in rows.iterrows()]
    names = _distinct([_wrap(indicator_name(r, lang)) for r, _ in shares])
    values = [min(s[0], 1.5) * 100 if s else 0.0 for _, s in shares]
    labels = [(f"{fmt_percent(s[0], lang)} · " if s else "") + status_label(r["status"], lang) for r, s in shares]
    fig = go.Figure(go.Bar(
        y=names, x=values, orientation="h", marker=dict(color=[STATUS_COLOURS[r["status"]] for r, _ in shares]),
        insidetextfont=dict(color=theme.LIGHT.on_accent),
        text=labels, textposition=["inside" if v >= 50 else "outside" for v in values], insidetextanchor="start",
        hoverinfo="skip", showlegend=False, cliponaxis=False,
    ))
    elapsed = [(n, r["elapsed"] * 100) for n, (r, _) in zip(names, shares, strict=True) if pd.notna(r["elapsed"])]
    if elapsed:
        fig.add_trace(go.Scatter(
            y=[n for n, _ in elapsed], x=[e for _, e in elapsed], mode="markers", name=t("elapsed", lang),
            marker=dict(symbol="line-ns", size=40, line=dict(width=5, color=theme.LIGHT.text)), hoverinfo="skip",
        ))
    fig.add_vline(x=100, line=dict(color=SERIES["target"], dash="dash", width=2))
    fig.update_layout(
        template=TEMPLATE, title=t("share_chart_title", lang), separators=_separators(lang),
        xaxis=dict(title=t("share_chart_x", lang), ticksuffix="%", range=[0, max(110, max(values, default=0) + 5)]),
        yaxis=dict(autorange="reversed"), legend=dict(orientation="h", y=-0.25), bargap=0.35,
        height=160 + 80 * max(1, len(shares)),
    )
    return fig


def latest_values_chart(result: pd.DataFrame, lang: str = "vi") -> go.Figure:
    """A table of the latest figures (indicator, value, period) for groups without targets."""
    from indicators.present.narrative import value_text

    cells = [
        [_text(indicator_name(r, lang)) for _, r in result.iterrows()],
        [_text(value_text(r["latest_value"], r["latest_qualifier"], r["unit"], lang, r["latest_of_total"]))
         for _, r in result.iterrows()],
        [_text(fmt_period(r["latest_period"], r["latest_date"], lang)) for _, r in result.iterrows()],
    ]
    fig = go.Figure(go.Table(
        columnwidth=[5, 2.4, 1.5],
        header=dict(values=[t("indicator_page", lang), t("latest", lang), t("period", lang)], align="left",
                    fill_color=theme.LIGHT.header, font=dict(size=14)),
        cells=dict(values=cells, align="left", fill_color="rgba(0,0,0,0)", font=dict(size=14)),
    ))
    fig.update_layout(template=TEMPLATE, height=140 + 44 * max(1, len(result)), margin=dict(l=10, r=10, t=20, b=10))
    return fig


__all__ = ["pace_chart", "status_by_group_chart", "series_chart", "standards_chart", "breakdown_chart",
           "presentation", "target_share_chart", "latest_values_chart"]

"""The indicator page's breakdowns (issue 10, item 6): where the indicator's rows in the chosen area and term
have breakdowns (sex, urban/rural, age group…), a selector per dimension, a chart per dimension, the latest
value and status of each breakdown series, and the download of those rows. Drawing only: what is shown comes
from `indicators.present.breakdowns` and `charts.breakdown_chart`.

`scope` is the view's scope of an area and a term (present/view.py): `.frame` holds the area's rows in the
term, `.result` the progress of its series — one per breakdown (the engine groups by `frame.SERIES`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import contract
from indicators.i18n import t
from indicators.present.breakdowns import dimension_label, dimensions, has_breakdowns, series_table
from indicators.present.charts import breakdown_chart
from indicators.present.export import to_csv_bytes
from indicators.present.formatting import fmt_period, fmt_value
from indicators.present.plaintext import TICK_LIMIT
from indicators.progress.statuses import status_label
from webui import ui


def show_breakdowns(scope: Any, indicator_id: str, lang: str) -> None:
    """Draw the indicator's breakdowns in `scope`; nothing when its rows there have none."""
    frame = scope.frame
    rows = frame[frame["indicator_id"] == indicator_id] if len(frame) else frame
    if not has_breakdowns(rows):
        return
    st.subheader(t("bd_title", lang))
    dims = dimensions(rows)
    held = _held_values(dims, indicator_id, lang) if len(dims) > 1 else {}
    for dim in dims:
        fixed = tuple((d, v) for d, v in held.items() if d != dim and v)
        st.plotly_chart(_chart(rows, lang, dim, fixed), key=f"bd_chart_{indicator_id}_{dim}", theme=None)
    _latest(scope.result, indicator_id, lang)
    st.download_button(t("bd_download", lang), to_csv_bytes(rows.reset_index(drop=True)),
                       file_name=f"{indicator_id}_breakdowns.csv", mime="text/csv", key=f"bd_download_{indicator_id}",
                       icon=":material/download:")


@st.cache_resource(max_entries=64, show_spinner=False)
def _chart(rows: pd.DataFrame, lang: str, dim: str, fixed: tuple[tuple[str, str], ...]) -> go.Figure:
    """A dimension's chart, built once per rows (hashed by content: a few dozen) and choice: treat as read-only."""
    return breakdown_chart(rows, lang, dim=dim, fixed=dict(fixed))


def _held_values(dims: dict[str, list[str]], indicator_id: str, lang: str) -> dict[str, str]:
    """One selector per dimension: the value it keeps in the other dimensions' charts ("" = the total)."""
    st.caption(t("bd_hold_help", lang))
    held: dict[str, str] = {}
    columns = st.columns(len(dims))
    for column, (dim, values) in zip(columns, dims.items(), strict=True):
        options = ["", *values]
        held[dim] = column.selectbox(
            ui.plain(dimension_label(dim, lang)), options, key=f"bd_hold_{indicator_id}_{dim}",
            format_func=lambda v: t("bd_total", lang) if v == "" else ui.cut(v, TICK_LIMIT)) or ""
    return held


def _latest(result: pd.DataFrame, indicator_id: str, lang: str) -> None:
    """The latest value, target and status of each breakdown series (the total first)."""
    series = series_table(result, indicator_id)
    if series.empty:
        return
    st.markdown(f"**{t('bd_table_title', lang)}**")
    ui.table({
        t("bd_breakdown", lang): [contract.breakdown_label(str(b), lang) for b in series["breakdown"]],
        t("latest", lang): [fmt_value(v, q, u, lang) for v, q, u in
                            zip(series["latest_value"], series["latest_qualifier"], series["unit"], strict=True)],
        t("period", lang): [fmt_period(p, d, lang) if isinstance(p, str) and p else ""
                            for p, d in zip(series["latest_period"], series["latest_date"], strict=True)],
        t("target", lang): [fmt_value(v, q, u, lang) if pd.notna(v) else "" for v, q, u in
                            zip(series["target_value"], series["target_qualifier"], series["unit"], strict=True)],
        t("status", lang): [status_label(s, lang) for s in series["status"]],
    }, hide_index=True, width="stretch")

"""One indicator across the areas of a level: which areas, their ranking, small multiples of their series, and the
ranking as a download.

    rows = area_rows(result, "ty_le_ho_ngheo", "Tỉnh Ninh Bình", "commune", register)  # one row per commune
    table = ranking(rows, "vi", term="2025-2030")         # best first, with the link that opens each area
    fig = small_multiples(series, rows, "vi", page=1)     # at most PER_PAGE areas per figure

`rows` are progress rows (`compute_progress`, a term's `term_result`) of the total series (breakdown "") of
one indicator. An area of the level that has no series of it is still listed, as "no data", so the map and
the ranking show the whole level. Rank: the latest value, best first in the indicator's direction (more is
better unless it is `decrease`; equal values share a rank), areas without a value last, ties by name.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from openpyxl import Workbook
from plotly.subplots import make_subplots

from indicators.i18n import indicator_name, t
from indicators.present.charts import _separators
from indicators.present.export import defuse
from indicators.present.formatting import fmt_period
from indicators.present.maps import name_order
from indicators.present.narrative import value_text
from indicators.present.plaintext import TICK_LIMIT, UNIT_LIMIT, chart_text, shorten
from indicators.present.theme import SERIES, TEMPLATE
from indicators.progress.statuses import status_label

LEVELS = ("province", "district", "commune")
PER_PAGE = 24
COLUMNS = 4  # small multiples per row (a phone stacks the figure's width, the squares stay readable)
#: The page that opens one area: the overview, served at the app's root as the default page.
OVERVIEW_URL = "./"
RANKING_COLUMNS = ("rank", "area", "value", "value_text", "status", "progress", "period", "source", "coverage",
                   "link")


class AreaRegister(Protocol):
    """What the areas page asks of a register (indicators.areas.Register)."""

    def level_of(self, name: str, on: Any = None) -> str | None: ...
    def children_of(self, name: str, on: Any = None) -> list[str]: ...
    def ancestors(self, name: str, on: Any = None) -> list[str]: ...
    def names(self, level: str | None = None, on: Any = None) -> list[str]: ...


def level_below(register: AreaRegister, area: str, on: Any = None) -> str:
    """The level the page shows by default under `area`: its children's level (a province of 2025 has
    communes, one of 2020 districts), else the next level down, else communes."""
    for child in register.children_of(area, on):
        if (level := register.level_of(child, on)) is not None:
            return level
    level = register.level_of(area, on)
    if level in LEVELS and level != LEVELS[-1]:
        return LEVELS[LEVELS.index(level) + 1]
    return LEVELS[-1]


def levels_under(register: AreaRegister, area: str, names: list[str], on: Any = None) -> list[str]:
    """The levels (in LEVELS order) of the areas among `names` that lie under `area`."""
    found = {register.level_of(n, on) for n in names if area in register.ancestors(n, on)}
    return [level for level in LEVELS if level in found]


def _under(register: AreaRegister, area: str, level: str, name: str, on: Any) -> bool:
    return register.level_of(name, on) == level and area in register.ancestors(name, on)


def area_rows(result: pd.DataFrame, indicator_id: str, area: str, level: str, register: AreaRegister,
              on: Any = None) -> pd.DataFrame:
    """The progress rows of `indicator_id` for every area of `level` under `area`: each area's total series
    (judged on its latest observation's day), plus the level's areas on day `on` that have none (no data)."""
    rows = result[result["indicator_id"] == indicator_id]
    if "breakdown" in rows.columns:
        rows = rows[rows["breakdown"] == ""]
    keep = [_under(register, area, level, name, when if pd.notna(when) else on)
            for name, when in zip(rows["area"], rows["latest_date"], strict=True)]
    rows = rows[np.array(keep, dtype=bool)] if len(rows) else rows
    missing = [n for n in register.names(level, on) if n not in set(rows["area"]) and area in register.ancestors(n, on)]
    if missing and len(rows):
        meta = rows.iloc[0]
        blank = pd.DataFrame({c: [meta[c]] * len(missing) for c in ("indicator_id", "indicator", "indicator_en",
                                                                      "group", "unit", "direction", "method")})
        blank["area"] = missing
        blank["status"] = "no_data"
        blank["n_obs"] = 0
        rows = pd.concat([rows, blank.reindex(columns=rows.columns)], ignore_index=True)
        for col in ("latest_period", "latest_qualifier", "latest_source", "latest_kind"):
            rows[col] = rows[col].fillna("")
    return rows.reset_index(drop=True)


def ranked(rows: pd.DataFrame) -> pd.DataFrame:
    """`rows` best first: by latest value in the indicator's direction, then name; no value last."""
    if rows.empty:
        return rows.assign(rank=pd.Series(dtype="Int64"))
    sign = np.where(rows["direction"].astype(str) == "decrease", 1.0, -1.0)
    value = pd.to_numeric(rows["latest_value"], errors="coerce").to_numpy(dtype=float)
    order = sorted(range(len(rows)), key=lambda i: (math.isnan(value[i]), sign[i] * value[i] if not math.isnan(
        value[i]) else 0.0, name_order(str(rows["area"].iat[i]))))
    out = rows.iloc[order].reset_index(drop=True)
    signed = pd.Series(sign[order] * value[order])
    out["rank"] = signed.rank(method="min").astype("Int64")  # equal values share a rank: 1, 1, 3
    return out


def coverage(rows: pd.DataFrame, computed: pd.DataFrame | None) -> list[tuple[int, int] | None]:
    """(reported, expected) children of each row whose latest value was computed by a roll-up, else None."""
    if computed is None or computed.empty or "reported" not in computed.columns:
        return [None] * len(rows)
    part = computed[computed["indicator_id"].isin(set(rows["indicator_id"]))]
    if "breakdown" in part.columns:
        part = part[part["breakdown"] == ""]
    known = {(a, p, k): (int(r), int(e)) for a, p, k, r, e in
             zip(part["area"], part["period"], part["kind"], part["reported"], part["expected"], strict=True)}
    return [known.get((a, p, k)) for a, p, k in zip(rows["area"], rows["latest_period"], rows["latest_kind"],
                                                     strict=True)]


def area_link(area: str, term: str | None, lang: str) -> str:
    """The link that opens one area's overview ('./?area=X%C3%A3+...&term=2020-2025&lang=vi')."""
    query = {"area": area, **({"term": term} if term else {}), "lang": lang}
    return OVERVIEW_URL + "?" + urlencode(query)


def ranking(rows: pd.DataFrame, lang: str, term: str | None = None,
            computed: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ranking of RANKING_COLUMNS: rank, area, latest value (number and words), status (symbol and
    words), progress (%), period, source, roll-up coverage ('22/23', '' when reported), link."""
    rows = ranked(rows)
    cover = coverage(rows, computed)
    progress = pd.to_numeric(rows["progress"], errors="coerce").astype(float) * 100
    return pd.DataFrame({
        "rank": rows["rank"],
        "area": rows["area"].astype(str),
        "value": pd.to_numeric(rows["latest_value"], errors="coerce").astype(float),
        "value_text": [value_text(r["latest_value"], r["latest_qualifier"], r["unit"], lang, r["latest_of_total"])
                       for _, r in rows.iterrows()],
        "status": [status_label(s, lang) for s in rows["status"]],
        "progress": progress.round(1),
        "period": [fmt_period(p, d, lang) if p else "" for p, d in zip(rows["latest_period"], rows["latest_date"],
                                                                         strict=True)],
        "source": rows["latest_source"].astype(str),
        "coverage": [f"{c[0]}/{c[1]}" if c else "" for c in cover],
        "link": [area_link(a, term, lang) for a in rows["area"]],
    }, columns=list(RANKING_COLUMNS))


def headings(lang: str) -> dict[str, str]:
    """The ranking's column headings in `lang`."""
    return {"rank": t("areas_rank", lang), "area": t("area", lang), "value": t("areas_value", lang),
            "value_text": t("latest", lang), "status": t("status", lang), "progress": t("areas_progress_pct", lang),
            "period": t("period", lang), "source": t("source", lang), "coverage": t("areas_coverage", lang),
            "link": t("areas_open", lang)}


def _download_frame(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    return table.drop(columns=["link"]).rename(columns=headings(lang))


def table_csv_bytes(table: pd.DataFrame, lang: str) -> bytes:
    """The ranking as CSV (UTF-8 with BOM, CRLF), text cells formula-safe (export.defuse)."""
    out = _download_frame(table, lang)
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = [defuse(v) if isinstance(v, str) else v for v in out[col]]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def table_xlsx_bytes(table: pd.DataFrame, lang: str) -> bytes:
    """The ranking as a one-sheet workbook; numbers stay numbers, text cells formula-safe."""
    out = _download_frame(table, lang)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("areas")
    sheet.append([defuse(str(c)) for c in out.columns])
    for record in out.itertuples(index=False):
        sheet.append([None if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                      else defuse(v) if isinstance(v, str) else v.item() if hasattr(v, "item") else v
                      for v in record])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pages(n: int, per_page: int = PER_PAGE) -> int:
    """How many pages of small multiples `n` areas need (at least one)."""
    return max(1, math.ceil(n / per_page))


def small_multiples(series: pd.DataFrame, rows: pd.DataFrame, lang: str, page: int = 1,
                    per_page: int = PER_PAGE) -> go.Figure:
    """One small chart per area of page `page` (in ranking order): its actual and estimated values over time,
    the target as a dashed line; one shared y axis, so the areas compare at a glance.

    `series` are the dataset rows of the indicator (any areas; those of other areas are ignored)."""
    rows = ranked(rows)
    shown = rows.iloc[(page - 1) * per_page: page * per_page]
    n = max(1, len(shown))
    n_rows = math.ceil(n / COLUMNS)
    titles = [chart_text(shorten(a, 28)) for a in shown["area"]]
    fig = make_subplots(rows=n_rows, cols=COLUMNS, shared_xaxes="all", shared_yaxes="all", subplot_titles=titles,
                        vertical_spacing=min(0.08, 0.6 / n_rows), horizontal_spacing=0.04)
    by_area: Mapping[str, pd.DataFrame] = {str(k): g for k, g in series.groupby("area", sort=False)}
    unit = str(rows["unit"].iat[0]) if len(rows) else ""
    targets = []  # one layout update for every target line: add_hline per subplot takes 20 ms each
    for i, (_, row) in enumerate(shown.iterrows()):
        r, c = i // COLUMNS + 1, i % COLUMNS + 1
        part = by_area.get(row["area"])
        if part is not None:
            if "breakdown" in part.columns:
                part = part[part["breakdown"] == ""]
            obs = part[part["kind"].isin(["actual", "estimate"])].sort_values("period_end")
            fig.add_trace(go.Scatter(
                x=obs["period_end"], y=obs["value"], mode="lines+markers", showlegend=i == 0,
                name=t("actual", lang), legendgroup="actual", line=dict(color=SERIES["actual"], width=2),
                marker=dict(size=6, color=SERIES["actual"], symbol=["circle" if k == "actual" else "circle-open"
                                                                    for k in obs["kind"]]),
                text=[chart_text(shorten(row["area"], TICK_LIMIT))] * len(obs),
                hovertemplate="%{text}<br>%{x|%d/%m/%Y}: %{y}<extra></extra>",
            ), row=r, col=c)
        if pd.notna(row.get("target_value")):
            axis = "" if i == 0 else str(i + 1)
            targets.append(dict(type="line", xref=f"x{axis} domain", yref=f"y{axis}", x0=0, x1=1,
                                y0=float(row["target_value"]), y1=float(row["target_value"]),
                                line=dict(color=SERIES["target"], dash="dash", width=1.5)))
    fig.update_layout(
        template=TEMPLATE, height=120 + 190 * n_rows, separators=_separators(lang), margin=dict(t=50, b=40),
        shapes=targets,
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"),
        title=chart_text(shorten(indicator_name(rows.iloc[0], lang), 70)) if len(rows) else "",
    )
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(tickformat="%m/%Y" if lang == "vi" else "%b %Y")
    fig.update_yaxes(title_text=chart_text(shorten(unit, UNIT_LIMIT)), row=1, col=1)
    fig.update_annotations(font_size=12)
    return fig


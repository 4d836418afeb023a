"""Glue of the areas page (app_pages/areas.py): the boundaries setting, what the page builds per version, and a
click that opens an area.

Boundaries are an administrator's file: `$INDICATORS_BOUNDARIES` (a GeoJSON path; relative to the project), or
`boundaries = "…"` under `[indicators]` in `.streamlit/secrets.toml` (Streamlit's config.toml refuses sections it
does not know; secrets.toml is where an app's own settings go). The property naming each feature's area:
`$INDICATORS_BOUNDARIES_KEY` or `boundaries_key` there (default: the first of ma_xa, code, name that every feature
has). The file is read and checked once per (path, size, modification time); a bad file is a message and the
tile grid, never a traceback.

Everything drawn is built once per (version, language, indicator, level, area, term) with `ui.per_version`,
from the term's progress rows of that indicator only, so a warm rerun only draws.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import areas
from indicators.i18n import indicator_name, t
from indicators.paths import DATA_DIR, PROJECT_ROOT
from indicators.present import areas_table, maps
from indicators.present.plaintext import LABEL_LIMIT, shorten
from indicators.present.view import VersionView
from indicators.progress.terms import Term
from webui import ui

BOUNDARIES_ENV = "INDICATORS_BOUNDARIES"
BOUNDARIES_KEY_ENV = "INDICATORS_BOUNDARIES_KEY"
MAX_MB_ENV = "INDICATORS_MAX_BOUNDARIES_MB"
TILE_LAYOUT = DATA_DIR / "areas" / "tile_layout.csv"


def _secret(name: str) -> str:
    try:
        section = st.secrets.get("indicators") or {}
        return str(section.get(name) or "")
    except Exception:  # no secrets.toml, or one that does not parse: the setting is simply not given
        return ""


def boundaries_setting() -> tuple[Path | None, str | None]:
    """(the boundaries file, the naming property) as configured; (None, None) when no file is set."""
    path = os.environ.get(BOUNDARIES_ENV) or _secret("boundaries")
    key = os.environ.get(BOUNDARIES_KEY_ENV) or _secret("boundaries_key") or None
    if not path:
        return None, None
    file = Path(path).expanduser()
    return (file if file.is_absolute() else PROJECT_ROOT / file), key


def _max_mb() -> float:
    try:
        value = float(os.environ.get(MAX_MB_ENV, maps.MAX_MB))
    except ValueError:
        return maps.MAX_MB
    return value if value > 0 else maps.MAX_MB


@st.cache_resource(max_entries=4, show_spinner=False)
def _load(path: str, key: str | None, stamp: tuple[int, int], max_mb: float) -> maps.Boundaries | maps.BoundaryError:
    try:
        return maps.load_boundaries(path, key, max_mb=max_mb)
    except maps.BoundaryError as exc:
        return exc


def boundaries() -> maps.Boundaries | maps.BoundaryError | None:
    """The configured boundaries, checked (cached per file state); the error when they cannot be used."""
    path, key = boundaries_setting()
    if path is None:
        return None
    try:
        info = path.stat()
    except OSError:
        return maps.BoundaryError("missing", path=path.name)
    return _load(str(path), key, (info.st_size, info.st_mtime_ns), _max_mb())


@st.cache_resource(max_entries=2, show_spinner=False)
def _tile_layout(stamp: int) -> dict[str, tuple[int, int]]:
    return maps.read_tile_layout(TILE_LAYOUT)


def tile_layout() -> dict[str, tuple[int, int]]:
    return _tile_layout(TILE_LAYOUT.stat().st_mtime_ns if TILE_LAYOUT.is_file() else 0)


def level_label(level: str, lang: str) -> str:
    return areas.level_label(level, lang)


# -- the view's register, term result and roll-ups (contract v2) --------------------------------------------------

def register(v: VersionView) -> areas.Register:
    """The view's register of areas (the hierarchy on each day, with the dataset's own areas; a bare view,
    made without one, gets the shipped register with its areas)."""
    return v.register if v.register is not None else areas.default_register().with_frame(v.frame)


def term_rows(v: VersionView, term: Term | None) -> pd.DataFrame:
    """Progress of every series in the chosen term (all areas), roll-ups included."""
    return v.term_result(term.label) if term is not None else v.result


# -- what the page draws ----------------------------------------------------------------------------------------

@ui.per_version
def indicator_choices(v: VersionView, lang: str, term: str | None) -> tuple[list[str], dict[str, str], str]:
    """Indicator ids of the term (file order), their labels, and the default: the one reported by most areas."""
    result = term_rows(v, _term(v, term))
    counts = result.groupby("indicator_id", sort=False)["area"].nunique()
    names = result.drop_duplicates("indicator_id").set_index("indicator_id")
    labels = {i: shorten(indicator_name(names.loc[i], lang), LABEL_LIMIT) for i in counts.index}
    return list(counts.index), labels, str(counts.idxmax()) if len(counts) else ""


def _term(v: VersionView, label: str | None) -> Term | None:
    """The view's term of that label (None: no term chosen, or a view without terms)."""
    return v.term(label)


def _on_day(rows: pd.DataFrame, term: Term | None) -> pd.Timestamp | None:
    """The day whose units the level lists: the indicator's latest observation in the term, else the term's start."""
    latest = rows["latest_date"].dropna()
    if len(latest):
        return pd.Timestamp(latest.max())
    return term.window[0] if term is not None else None


@ui.per_version
def levels(v: VersionView, lang: str, indicator: str, area: str, term: str | None) -> tuple[list[str], str]:
    """The levels that have areas under `area` (on the indicator's day in the term), and the default one: the
    level below `area`."""
    reg = register(v)
    chosen = _term(v, term)
    rows = term_rows(v, chosen)
    rows = rows[rows["indicator_id"] == indicator]
    on = _on_day(rows, chosen)
    found = areas_table.levels_under(reg, area, [*dict.fromkeys(rows["area"]), *reg.children_of(area, on)], on)
    default = areas_table.level_below(reg, area, on)
    return (found or [default]), (default if default in found or not found else found[-1])


class Built(NamedTuple):
    rows: pd.DataFrame  # progress rows, one per area, ranked
    table: ui.SafeTable
    csv: bytes
    xlsx: bytes
    map: go.Figure
    choropleth: bool  # else the tile grid
    unmatched: list[str]  # areas the boundaries have no feature for
    problem: str  # why the boundaries file was refused ('' when it was not)
    credit: str  # the boundaries' licence and attribution ('' when they name none)
    licence_file: str  # the sidecar file that would name them
    pages: int  # of small multiples


@ui.per_version
def build(v: VersionView, lang: str, indicator: str, level: str, area: str, term: str | None,
          token: tuple[str, int] | None) -> Built:
    """Ranking, downloads and map of one indicator over the areas of `level` under `area` in `term`.
    (`token` names the boundaries file's state, so a new file is drawn without a restart.)"""
    chosen = _term(v, term)
    result = term_rows(v, chosen)
    one = result[result["indicator_id"] == indicator]
    reg = register(v)
    rows = areas_table.ranked(areas_table.area_rows(one, indicator, area, level, reg, _on_day(one, chosen)))
    table = areas_table.ranking(rows, lang, term, v.computed)
    bounds = boundaries()
    usable = bounds if isinstance(bounds, maps.Boundaries) else None
    found = maps.match(usable, rows["area"], reg, maps.area_days(rows)) if usable is not None else {}
    figure = maps.area_map(rows, reg, usable if found else None, lang, tile_layout())
    return Built(rows=rows, table=ui.safe_table(table), csv=areas_table.table_csv_bytes(table, lang),
                 xlsx=areas_table.table_xlsx_bytes(table, lang), map=figure, choropleth=bool(found),
                 unmatched=[a for a in rows["area"] if a not in found] if found else [],
                 problem=bounds.message(lang) if isinstance(bounds, maps.BoundaryError) else "",
                 credit=usable.credit if usable is not None else "",
                 licence_file=usable.path.name + maps.LICENCE_SUFFIX if usable is not None else "",
                 pages=areas_table.pages(len(rows)))


@ui.per_version
def multiples(v: VersionView, lang: str, indicator: str, level: str, area: str, term: str | None,
              page: int) -> go.Figure:
    """One page of small multiples, from the rows of that page's areas only (never the whole frame)."""
    built = build(v, lang, indicator, level, area, term, boundaries_token())
    per = areas_table.PER_PAGE
    names = list(built.rows["area"].iloc[(page - 1) * per: page * per])
    series = v.rows_of(names)
    series = series[series["indicator_id"] == indicator]
    chosen = _term(v, term)
    if chosen is not None:
        start, end = chosen.window
        series = series[(series["period_end"] >= start) & (series["period_end"] <= end)]
    return areas_table.small_multiples(series, built.rows, lang, page)


def boundaries_token() -> tuple[str, int] | None:
    """The boundaries file's state, part of the cache key of what is built from it."""
    path, key = boundaries_setting()
    if path is None:
        return None
    try:
        return f"{path}|{key}", path.stat().st_mtime_ns
    except OSError:
        return f"{path}|{key}", -1


def column_config(lang: str) -> dict[str, Any]:
    names = areas_table.headings(lang)
    return {
        "rank": st.column_config.NumberColumn(names["rank"], format="%d", width="small"),
        "area": st.column_config.TextColumn(names["area"]),
        "value": st.column_config.NumberColumn(names["value"]),
        "value_text": st.column_config.TextColumn(names["value_text"]),
        "status": st.column_config.TextColumn(names["status"]),
        "progress": st.column_config.NumberColumn(names["progress"], format="%.1f"),
        "period": st.column_config.TextColumn(names["period"]),
        "source": st.column_config.TextColumn(names["source"]),
        "coverage": st.column_config.TextColumn(names["coverage"], help=t("areas_coverage_help", lang)),
        "link": st.column_config.LinkColumn(names["link"], display_text=t("areas_open_label", lang)),
    }


def open_selected(event: Any, term: str | None, lang: str, known: list[str]) -> None:
    """A click on the map: open that area's overview (its area, the term and the language in the URL)."""
    area = maps.selected_area(event)
    if area is None or area not in known:
        return
    query = {"area": area, "lang": lang, **({"term": term} if term else {})}
    for key in query:  # the next page takes each value from the URL again (ui.sync_from_url), as a new link does
        st.session_state.pop(f"_url_{key}", None)
    st.switch_page("app_pages/overview.py", query_params=query)

"""The areas of one indicator on a map: a choropleth from boundaries an administrator supplies, or a tile grid.

    boundaries = load_boundaries(path)                        # BoundaryError: a clear reason, never a traceback
    fig = area_map(rows, register, boundaries, "vi")          # rows: one progress row per area (`compute_progress`)
    fig = area_map(rows, register, None, "vi")                # no boundaries: equal squares, one per area

Boundaries are a GeoJSON FeatureCollection of Polygon/MultiPolygon features, each naming its area by one
property (`ma_xa`, `code` or `name` by default, or the one configured): a code is matched to the register's
code of the area, anything else to its name. The project ships none (boundaries derived from GADM may not be
redistributed): their licence and attribution come with the file, from a sidecar `<file>.license.txt` or the
GeoJSON's top-level "attribution" / "license", and are shown under the map.

The map needs nothing from the internet: a Choroplethmap on the blank "white-bg" style (no tiles, no text
layers, so no glyphs are fetched). Colour is never the only signal: each status is a trace named with its
symbol and words (the legend), the hover says the status, and the tile grid writes the symbol on each tile.
Every selectable point carries its area's name as `customdata[0]` (a click opens that area).
"""

from __future__ import annotations

import csv
import json
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import plotly.graph_objects as go

from indicators.i18n import t
from indicators.present import theme
from indicators.present.formatting import fmt_percent
from indicators.present.narrative import value_text
from indicators.present.plaintext import TICK_LIMIT, chart_text, shorten
from indicators.present.theme import STATUS_COLOURS, TEMPLATE
from indicators.progress.statuses import STATUSES, status_label

#: The properties tried, in order, when no key is configured: the GSO commune code, a code, a name.
DEFAULT_KEYS = ("ma_xa", "code", "name")
#: Largest boundaries file read (MB); $INDICATORS_MAX_BOUNDARIES_MB (a commune-level province is 1–10 MB).
MAX_MB = 50.0
MAX_FEATURES = 20_000
GEOMETRIES = ("Polygon", "MultiPolygon")
LICENCE_SUFFIX = ".license.txt"
#: Columns of a tile grid before it wraps (a phone shows about six squares across).
TILE_COLUMNS = 8
TILE_NAME = 12  # characters of a name on a tile
LEVEL_PREFIXES = ("thành phố trực thuộc trung ương", "thành phố", "thị trấn", "thị xã", "đặc khu", "phường",
                  "huyện", "quận", "tỉnh", "xã")


class AreaRegister(Protocol):
    """What the map asks of a register (indicators.areas.Register)."""

    def unit(self, name: str, on: Any = None) -> Any: ...


class BoundaryError(ValueError):
    """A boundaries file that cannot be used: `code` names the reason (i18n `boundaries_<code>`), `params` its details."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params

    def message(self, lang: str = "vi") -> str:
        """The reason in words, and that the tile grid is shown instead."""
        p = self.params
        texts = {
            "missing": lambda: t("boundaries_missing", lang, path=p.get("path", "")),
            "too_large": lambda: t("boundaries_too_large", lang, mb=p.get("mb", 0), limit=p.get("limit", 0)),
            "not_json": lambda: t("boundaries_not_json", lang, reason=p.get("reason", "")),
            "not_collection": lambda: t("boundaries_not_collection", lang),
            "no_features": lambda: t("boundaries_no_features", lang),
            "too_many": lambda: t("boundaries_too_many", lang, n=p.get("n", 0), limit=p.get("limit", 0)),
            "bad_feature": lambda: t("boundaries_bad_feature", lang, n=p.get("n", 0)),
            "no_key": lambda: t("boundaries_no_key", lang, prop=p.get("prop", ""), n=p.get("n", 0)),
        }
        return texts[self.code]()


@dataclass(frozen=True, eq=False)
class Boundaries:
    """A checked boundaries file: its features, the property that names an area, and who to credit."""

    path: Path
    features: tuple[dict[str, Any], ...]
    key: str
    licence: str = ""  # the sidecar file's text, else the GeoJSON's "license"
    attribution: str = ""  # the GeoJSON's "attribution"
    by_value: dict[str, int] = field(default_factory=dict)  # normalised property value -> feature position

    @property
    def credit(self) -> str:
        """The text shown under the map ('' when the file names neither a licence nor an attribution)."""
        return " · ".join(part for part in (self.attribution, self.licence) if part)


def normalised(value: object) -> str:
    """A property value or a name as matched: NFC, trimmed, case-folded, inner spaces single.

    >>> normalised("  Xã  KIM Hải ")
    'xã kim hải'
    """
    text = unicodedata.normalize("NFC", str(value)).strip().casefold()
    return " ".join(text.split())


def bare_name(name: str) -> str:
    """A normalised name without its level word: 'xã kim hải' -> 'kim hải' (boundaries often omit it)."""
    text = normalised(name)
    for prefix in LEVEL_PREFIXES:
        if text.startswith(prefix + " "):
            return text[len(prefix) + 1:]
    return text


def _positions(ring: object) -> bool:
    """A linear ring: at least four [lon, lat] positions inside the world's bounds."""
    if not isinstance(ring, list) or len(ring) < 4:
        return False
    for p in ring:
        if not (isinstance(p, list) and len(p) >= 2 and all(isinstance(c, int | float) and not isinstance(c, bool)
                                                          and math.isfinite(c) for c in p[:2])):
            return False
        if not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90):
            return False
    return True


def _polygons(geometry: object) -> list[list[Any]] | None:
    """The polygons (lists of rings) of a Polygon/MultiPolygon geometry, None when it is anything else."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRIES:
        return None
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        return None
    if not all(isinstance(poly, list) and poly and all(_positions(ring) for ring in poly) for poly in polygons):
        return None
    return polygons


def _choose_key(features: list[dict[str, Any]], key: str | None) -> str:
    if key:
        missing = next((i for i, f in enumerate(features) if key not in f["properties"]), None)
        if missing is not None:
            raise BoundaryError("no_key", prop=key, n=missing + 1)
        return key
    for candidate in DEFAULT_KEYS:
        if all(candidate in f["properties"] for f in features):
            return candidate
    raise BoundaryError("no_key", prop=" / ".join(DEFAULT_KEYS), n=1)


def _licence(path: Path, document: Mapping[str, Any]) -> tuple[str, str]:
    sidecar = path.with_name(path.name + LICENCE_SUFFIX)
    licence = sidecar.read_text(encoding="utf-8", errors="replace").strip() if sidecar.is_file() else ""
    if not licence and isinstance(document.get("license"), str):
        licence = document["license"].strip()
    attribution = document.get("attribution")
    return shorten(licence, 1000), shorten(attribution.strip(), 500) if isinstance(attribution, str) else ""


def load_boundaries(path: str | Path, key: str | None = None, *, max_mb: float = MAX_MB) -> Boundaries:
    """The boundaries of `path`, checked: size, JSON, a FeatureCollection, each feature a (Multi)Polygon with
    the naming property. Raises BoundaryError saying which feature and why."""
    path = Path(path)
    if not path.is_file():
        raise BoundaryError("missing", path=str(path))
    size = path.stat().st_size
    if size > max_mb * 1_000_000:
        raise BoundaryError("too_large", mb=round(size / 1_000_000, 1), limit=max_mb)
    try:
        document = json.loads(path.read_bytes())
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BoundaryError("not_json", reason=shorten(str(exc), 120)) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BoundaryError("not_collection")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError("no_features")
    if len(features) > MAX_FEATURES:
        raise BoundaryError("too_many", n=len(features), limit=MAX_FEATURES)
    for i, feature in enumerate(features):
        if not (isinstance(feature, dict) and feature.get("type") == "Feature"
                and isinstance(feature.get("properties"), dict) and _polygons(feature.get("geometry"))):
            raise BoundaryError("bad_feature", n=i + 1)
    chosen = _choose_key(features, key)
    by_value: dict[str, int] = {}
    for i, feature in enumerate(features):
        by_value.setdefault(normalised(feature["properties"][chosen]), i)
    licence, attribution = _licence(path, document)
    return Boundaries(path=path, features=tuple(features), key=chosen, licence=licence, attribution=attribution,
                      by_value=by_value)


def area_days(rows: pd.DataFrame) -> dict[str, Any]:
    """Each area's day (its latest observation; None without one): the unit of that name on that day is the
    one shown, so an old commune is matched by its old code."""
    return {a: (d if pd.notna(d) else None) for a, d in zip(rows["area"], rows["latest_date"], strict=True)}


def match(boundaries: Boundaries, names: Iterable[str], register: AreaRegister | None = None,
          on: Mapping[str, Any] | None = None) -> dict[str, int]:
    """Area name -> feature position: by the area's code (from the register, the unit of `on[name]`, else the
    latest), else by its name, else by its name without the level word ('Kim Hải' for 'Xã Kim Hải').
    Areas without a feature are left out."""
    found: dict[str, int] = {}
    bare: dict[str, int] = {}
    for value, position in boundaries.by_value.items():
        bare.setdefault(bare_name(value), position)
    for name in names:
        unit = register.unit(name, (on or {}).get(name)) if register is not None else None
        code = str(getattr(unit, "code", "") or "")
        for candidate in (normalised(code) if code else None, normalised(name)):
            if candidate and candidate in boundaries.by_value:
                found[name] = boundaries.by_value[candidate]
                break
        else:
            if (spot := bare.get(bare_name(name))) is not None:
                found[name] = spot
    return found


def _hover(row: pd.Series, lang: str) -> str:
    """One area's hover text (data text escaped)."""
    parts = [chart_text(shorten(row["area"], TICK_LIMIT)),
             chart_text(value_text(row["latest_value"], row["latest_qualifier"], row["unit"], lang,
                                   row["latest_of_total"])),
             chart_text(status_label(row["status"], lang))]
    if row["progress"] == row["progress"]:  # not NaN
        parts.append(f"{t('progress', lang)}: {chart_text(fmt_percent(row['progress'], lang))}")
    return "<br>".join(parts)


def _bounds(features: Iterable[dict[str, Any]]) -> tuple[float, float, float, float]:
    lons: list[float] = []
    lats: list[float] = []
    for feature in features:
        for polygon in _polygons(feature["geometry"]) or []:
            for ring in polygon:
                lons.extend(p[0] for p in ring)
                lats.extend(p[1] for p in ring)
    return min(lons), max(lons), min(lats), max(lats)


def _zoom(west: float, east: float, south: float, north: float, width: int = 700, height: int = 520) -> float:
    """A zoom that fits the span in a map of about `width` x `height` px (MapLibre: a 512 px tile is 360° at
    zoom 0; a degree of latitude is 1/cos(lat) times longer on the Mercator map)."""
    stretch = 1 / max(math.cos(math.radians((south + north) / 2)), 0.1)
    across = math.log2(360 * width / 512 / max(east - west, 1e-4))
    down = math.log2(360 * height / 512 / max((north - south) * stretch, 1e-4))
    return max(0.0, min(16.0, min(across, down) - 0.2))


def choropleth(rows: pd.DataFrame, boundaries: Boundaries, register: AreaRegister | None, lang: str) -> go.Figure:
    """The areas of `rows` filled with their status colours, one trace (and legend entry) per status."""
    found = match(boundaries, rows["area"], register, area_days(rows))
    shown = rows[rows["area"].isin(found)]
    features: list[dict[str, Any]] = [{"type": "Feature", "id": name, "properties": {},
                                       "geometry": boundaries.features[found[name]]["geometry"]}
                                      for name in shown["area"]]
    geojson = {"type": "FeatureCollection", "features": features}
    fig = go.Figure()
    for status in STATUSES:
        part = shown[shown["status"] == status.code]
        if part.empty:
            continue
        colour = STATUS_COLOURS[status.code]
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, locations=list(part["area"]), featureidkey="id", z=[0] * len(part),
            colorscale=[[0, colour], [1, colour]], showscale=False, showlegend=True,
            name=f"{status.symbol} {status.label(lang)}", marker=dict(line=dict(color=theme.LIGHT.background, width=1)),
            customdata=[[name] for name in part["area"]], text=[_hover(r, lang) for _, r in part.iterrows()],
            hovertemplate="%{text}<extra></extra>",
        ))
    layout: dict[str, Any] = dict(style="white-bg")
    if features:
        west, east, south, north = _bounds(features)
        layout.update(center=dict(lon=(west + east) / 2, lat=(south + north) / 2), zoom=_zoom(west, east, south, north))
    fig.update_layout(template=TEMPLATE, map=layout, height=560, margin=dict(l=0, r=0, t=10, b=0),
                      legend=dict(orientation="h", y=-0.02, yanchor="top"), clickmode="event+select")
    return fig


def read_tile_layout(path: Path) -> dict[str, tuple[int, int]]:
    """A tile layout CSV (name, row, col; rows and columns from 0): where each named area's square goes.
    Lines that do not parse are ignored (the name order places those areas)."""
    layout: dict[str, tuple[int, int]] = {}
    if not path.is_file():
        return layout
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line in csv.DictReader(handle):
            try:
                layout[unicodedata.normalize("NFC", line["name"].strip())] = (int(line["row"]), int(line["col"]))
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
    return layout


def name_order(name: str) -> tuple[str, str]:
    """Sort key of an area name: by the name without its level word, letters before their accents
    ('Ân' after 'An', before 'Bình'), then the whole name."""
    bare = unicodedata.normalize("NFD", bare_name(name).replace("đ", "d\uffff"))
    return "".join(c for c in bare if not unicodedata.combining(c)), normalised(name)


def tile_positions(names: Iterable[str], layout: Mapping[str, tuple[int, int]] | None = None,
                   columns: int = TILE_COLUMNS) -> dict[str, tuple[int, int]]:
    """(row, col) of each area's square: the layout's place where it gives one (and it is free), the rest in
    name order, row by row, after the layout's last row."""
    layout = layout or {}
    placed: dict[str, tuple[int, int]] = {}
    taken: set[tuple[int, int]] = set()
    rest = []
    for name in names:
        spot = layout.get(name)
        if spot is not None and spot not in taken and spot[0] >= 0 and spot[1] >= 0:
            placed[name] = spot
            taken.add(spot)
        else:
            rest.append(name)
    start = max((r for r, _ in taken), default=-1) + 1
    for i, name in enumerate(sorted(rest, key=name_order)):
        placed[name] = (start + i // columns, i % columns)
    return placed


def tile_label(name: str) -> str:
    """A tile's name, a word a line ('Xã Bình Giang' -> 'Bình<br>Giang'), so it fits a phone's narrow squares;
    plain text (chart_text) before the line breaks are put in."""
    return "<br>".join(chart_text(word) for word in shorten(bare_name_cased(name), TILE_NAME).split())


def tile_grid(rows: pd.DataFrame, lang: str, layout: Mapping[str, tuple[int, int]] | None = None) -> go.Figure:
    """Equal squares, one per area, filled with its status colour, the status symbol and a short name on each."""
    spots = tile_positions(list(rows["area"]), layout)
    fig = go.Figure()
    shapes = [dict(type="rect", x0=c + 0.04, x1=c + 0.96, y0=r + 0.04, y1=r + 0.96, layer="below",
                   fillcolor=STATUS_COLOURS[status], line=dict(width=0))  # one update: add_shape is slow
              for (r, c), status in zip((spots[a] for a in rows["area"]), rows["status"], strict=True)]
    for status in STATUSES:
        part = rows[rows["status"] == status.code]
        if part.empty:
            continue
        where = [spots[name] for name in part["area"]]
        fig.add_trace(go.Scatter(
            x=[c + 0.5 for _, c in where], y=[r + 0.5 for r, _ in where], mode="markers+text",
            name=f"{status.symbol} {status.label(lang)}", textposition="middle center",
            text=[f"{status.symbol}<br>{tile_label(n)}" for n in part["area"]],
            textfont=dict(color=theme.LIGHT.on_accent, size=11),
            marker=dict(symbol="square", size=1, color=STATUS_COLOURS[status.code]),  # the legend's swatch
            customdata=[[name] for name in part["area"]], hovertext=[_hover(r, lang) for _, r in part.iterrows()],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    n_rows = max((r for r, _ in spots.values()), default=0) + 1
    n_cols = max((c for _, c in spots.values()), default=0) + 1
    axis = dict(visible=False, fixedrange=True, showgrid=False, zeroline=False)
    fig.update_layout(
        template=TEMPLATE, height=80 + 78 * n_rows, margin=dict(l=10, r=10, t=10, b=10), clickmode="event+select",
        shapes=shapes,
        xaxis=dict(axis, range=[0, max(n_cols, 4)]),
        # squares at the top: on a narrow screen the room their width does not need is left below them
        yaxis=dict(axis, range=[n_rows, 0], scaleanchor="x", constrain="domain", constraintoward="top"),
        legend=dict(orientation="h", y=-0.02, yanchor="top", itemsizing="constant"), dragmode=False,
        hovermode="closest",
    )
    return fig


def bare_name_cased(name: str) -> str:
    """The name without its level word, as written: 'Xã Kim Hải' -> 'Kim Hải'."""
    text = " ".join(str(name).split())
    lowered = normalised(text)
    for prefix in LEVEL_PREFIXES:
        if lowered.startswith(prefix + " "):
            return text[len(prefix) + 1:]
    return text


def area_map(result_rows: pd.DataFrame, register: AreaRegister | None, boundaries: Boundaries | None,
             lang: str = "vi", layout: Mapping[str, tuple[int, int]] | None = None) -> go.Figure:
    """The map of `result_rows` (one progress row per area): a choropleth when boundaries are given and
    match at least one area, otherwise the tile grid."""
    if boundaries is not None and match(boundaries, result_rows["area"], register, area_days(result_rows)):
        return choropleth(result_rows, boundaries, register, lang)
    return tile_grid(result_rows, lang, layout)


def selected_area(event: object) -> str | None:
    """The area a click on the map chose (st.plotly_chart's selection state), None when nothing was."""
    selection = getattr(event, "selection", None)
    if selection is None and isinstance(event, Mapping):
        selection = event.get("selection")
    points = (selection.get("points") if isinstance(selection, Mapping) else getattr(selection, "points", None)) or []
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, list | tuple) and data and isinstance(data[0], str):
            return data[0]
        if isinstance(data, str):
            return data
        if isinstance(point, Mapping) and isinstance(point.get("location"), str):
            return str(point["location"])
    return None

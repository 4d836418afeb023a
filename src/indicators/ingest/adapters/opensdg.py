"""Open SDG data files (CSV or XLSX, as `open-sdg/sdg-build` reads them) -> contract rows.

An Open SDG file is long: `Year`, `Value`, and optionally `Units`, `Series`, `GeoCode` (or a `Geography` /
`Reference area` name), an observation status (`E`: an estimate), a unit multiplier, a comment, and any number of disaggregation columns (`Sex`,
`Age`, …). The headline rows are those whose disaggregations are empty (or name a total: "All ages",
"Both sexes"): their breakdown is "" (the total). Every other row keeps its disaggregations as the contract's
`breakdown` ("sex=Female; age_group=16 to 24"): a column is a dimension by its name (Sex, Age, Location ->
sex, age_group, residence) or its values (all Females/Males: sex), else its folded name (`disability_status`);
the values are kept as written. The "what was found" line says how many breakdown series were kept.

The indicator is the `Series` (one indicator per series; a series given in several units becomes one
indicator per unit), else the SDG number in the file name (`indicator_1-2-1.csv` -> "SDG 1.2.1"); a name or
number already in the store reuses the stored indicator (id, unit, group, direction). Rows without a
geography are the file's own area: `--area`, else "Toàn quốc" (said in a warning). Every row keeps the cell
it came from, so validation issues name the original cell (the value's, the year's, the unit's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from indicators.contract import canonical_header, fold
from indicators.i18n import pair, t
from indicators.ingest.adapters import Converted, Options
from indicators.ingest.adapters.peer_common import (
    Rows,
    breakdown_of,
    cell_name,
    dimension,
    issue_at,
    no_figure,
    no_figures,
)
from indicators.ingest.grid import Grid, read_grid
from indicators.ingest.reading import ReadError

__all__ = ["Metadata", "convert", "read_metadata", "sniff", "sniff_header"]

_YEAR, _VALUE = "year", "value"
_UNITS = frozenset({"units", "unit measure", "unit_measure"})
_SERIES = frozenset({"series"})
_GEOCODE = frozenset({"geocode", "geo code"})
_GEONAME = frozenset({"geography", "reference area", "ref area", "region", "geographic area"})
_STATUS = frozenset({"observation status", "obs status"})
_MULTIPLIER = frozenset({"unit multiplier", "unit mult"})
_ONE = frozenset({"", "units", "unit", "1", "0"})  # a unit multiplier that multiplies nothing
_COMMENT = frozenset({"comment obs", "comment", "comments", "note", "footnote"})
_ESTIMATED = frozenset({"e", "estimated", "estimate", "estimated value", "modelled", "m"})
#: Contract columns whose presence makes a file the contract's own (tidy), not Open SDG.
_TIDY = frozenset({"indicator_id", "indicator", "period", "kind"})
_NUMBER = re.compile(r"(\d+(?:[-.][0-9a-zA-Z]+)+)")


def sniff(data: bytes, filename: str) -> bool:
    """Open SDG files are tables, recognised by their header (`sniff_header`), never by their bytes."""
    return False


def sniff_header(header: list[str]) -> bool:
    """An Open SDG header: `Year` and `Value` (any case), and none of the contract's own key columns."""
    folded = {fold(h) for h in header if h}
    if _YEAR not in folded or _VALUE not in folded:
        return False
    return not any(canonical_header(h) in _TIDY for h in header if h)


@dataclass
class Metadata:
    """What an Open SDG indicator's metadata (indicator-config/*.yml or meta/*.md front matter) adds to its
    data: the unit of a file without a Units column, the national area, and the target line with its
    direction (`graph_target_lines`, `progress_calculation_options`; the target year is `target_year`, else
    the SDGs' 2030)."""

    unit: str = ""
    area: str = ""
    target: str = ""
    target_year: str = "2030"
    direction: str = ""


def read_metadata(data: bytes, filename: str = "") -> Metadata:
    """Parse an Open SDG metadata file (YAML, or Markdown with YAML front matter); raises ReadError
    (`peer_file_damaged`) when it is not YAML."""
    import yaml

    text = data.decode("utf-8-sig", errors="replace")
    if text.lstrip().startswith("---"):
        text = text.lstrip()[3:].split("\n---", 1)[0]
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReadError("peer_file_damaged", format="Open SDG metadata",
                        reason=pair("reason_yaml", error=str(exc).splitlines()[0][:120])) from None
    if not isinstance(document, dict):
        return Metadata()
    meta = Metadata(unit=_plain(document.get("computation_units")),
                    area=_plain(document.get("national_geographical_coverage")))
    options = [o for o in document.get("progress_calculation_options") or [] if isinstance(o, dict)]
    lines = [o for o in document.get("graph_target_lines") or [] if isinstance(o, dict)]
    for source in (*options, *lines):
        if meta.target == "" and source.get("target", source.get("value")) is not None:
            meta.target = _plain(source.get("target", source.get("value")))
        if not meta.direction:
            meta.direction = {"negative": "decrease", "positive": "increase"}.get(_plain(source.get("direction")), "")
        if source.get("target_year"):
            meta.target_year = _plain(source.get("target_year"))
    return meta


def _plain(value: object) -> str:
    """A metadata value as text; a translation key ('global_indicators.1-2-1-title') is no text."""
    text = "" if value is None or isinstance(value, (dict, list)) else str(value).strip()
    return "" if re.fullmatch(r"[a-z_]+\.[\w.-]+", text) else text


def _role(header: str) -> str:
    name = fold(header)
    for role, words in (("units", _UNITS), ("series", _SERIES), ("geocode", _GEOCODE), ("geoname", _GEONAME),
                        ("status", _STATUS), ("comment", _COMMENT), ("multiplier", _MULTIPLIER)):
        if name in words:
            return role
    return {"year": "year", "value": "value"}.get(name, "breakdown" if name else "")


def _file_indicator(filename: str) -> tuple[str, str]:
    """(name, SDG number) from a file name like indicator_1-2-1.csv; the file's stem otherwise."""
    stem = PurePath(filename).stem
    m = _NUMBER.search(stem)
    if m:
        number = m.group(1).replace("-", ".")
        return f"SDG {number}", number
    return stem or "Open SDG", ""


def convert(data: bytes, filename: str, options: Options) -> Converted:
    grid = read_grid(data, filename, sheet=options.sheet, limits=options.limits)
    meta = read_metadata(options.companion[1], options.companion[0]) if options.companion else Metadata()
    roles = [_role(h) for h in grid.rows[0]]
    col = {role: j + 1 for j, role in reversed(list(enumerate(roles))) if role not in ("breakdown", "")}
    if "year" not in col or "value" not in col:
        raise ReadError("peer_file_damaged", format="Open SDG", reason=pair("reason_opensdg_columns"))
    breakdowns = _dimensions(grid, [j + 1 for j, role in enumerate(roles) if role == "breakdown"])
    file_name, file_number = _file_indicator(filename)
    source = options.source or filename
    national = options.area or meta.area or t("peer_national_area", "vi")
    rows = Rows(options.catalogue)
    blank, first_blank, assumed = 0, None, None

    def cell(r: int, role: str) -> str:
        return grid.cell(r, col[role]) if role in col else ""

    series_units: dict[str, set[str]] = {}
    for r in range(2, grid.height + 1):
        series_units.setdefault(cell(r, "series"), set()).add(cell(r, "units"))
    for r in range(2, grid.height + 1):
        if not any(grid.rows[r - 1]):
            continue
        value = cell(r, "value")
        if no_figure(value):
            blank += 1
            first_blank = first_blank or (r, col["value"])
            continue
        series, unit = cell(r, "series"), cell(r, "units") or meta.unit
        if fold(cell(r, "multiplier")) not in _ONE:  # SDMX UNIT_MULT: "Thousands" of the unit
            unit = f"{unit} ({cell(r, 'multiplier')})" if unit else cell(r, "multiplier")
        name, code = (series, "") if series else (file_name, file_number)
        if len(series_units.get(series, ())) > 1 and unit:
            name = f"{name} ({unit})"
        area = cell(r, "geoname") or cell(r, "geocode")
        at = {key: (r, col[role]) for key, role in (("period", "year"), ("unit", "units"), ("indicator", "series"),
                                                    ("indicator_id", "series"), ("note", "comment"))
              if role in col}
        geo = "geoname" if cell(r, "geoname") else "geocode"
        if area and geo in col:
            at["area"] = (r, col[geo])
        else:
            area, assumed = national, assumed or (r, col["value"])
            at["area"] = (r, -1)
        kind = "estimate" if fold(cell(r, "status")) in _ESTIMATED else "actual"
        breakdown = breakdown_of((dim, grid.cell(r, j)) for j, dim in breakdowns)
        if breakdown:
            at["breakdown"] = next((r, j) for j, _ in breakdowns if grid.cell(r, j))
        rows.add(name=name, unit=unit, area=area, period=cell(r, "year"), value=value, row=r, column=col["value"],
                 kind=kind, source=source, note=cell(r, "comment"), code=code, breakdown=breakdown, at=at)
    if meta.target and len(rows) and len(set(rows.columns["indicator_id"])) == 1:
        _add_target(rows, meta, national, source)
    issues = no_figures(blank, first_blank, grid.sheet)
    if assumed is not None and not (options.area or meta.area):
        issues.append(issue_at("area_assumed", cell_name(*assumed), row=assumed[0], sheet=grid.sheet,
                               value=national))
    detected = pair("detected_opensdg", rows=len(rows), indicators=len({*rows.columns["indicator_id"]}))
    return rows.converted("opensdg", detected, grid.issues + issues, filename=filename, sha256=grid.sha256,
                          sheet=grid.sheet)


def _dimensions(grid: Grid, columns: list[int]) -> list[tuple[int, str]]:
    """(column, dimension) of each disaggregation column; a dimension named twice keeps the first column's,
    the other is its own folded name."""
    found: list[tuple[int, str]] = []
    for j in columns:
        header = grid.cell(1, j)
        dim = dimension(header, (grid.cell(r, j) for r in range(2, grid.height + 1)))
        if any(d == dim for _, d in found):
            dim = _folded(header, {d for _, d in found})
        found.append((j, dim))
    return found


def _folded(header: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", fold(header)).strip("_") or "breakdown"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def _add_target(rows: Rows, meta: Metadata, area: str, source: str) -> None:
    """The metadata's target line as a contract target row of the file's one indicator (its direction
    too: a target needs one). It has no cell in the data file: its row is the whole row 1."""
    name, unit = rows.columns["indicator"][0], rows.columns["unit"][0]
    rows.add(name=name, unit=unit, area=area, period=meta.target_year, value=meta.target, row=1, column=-1,
             kind="target", source=source, note=t("peer_sdg_target_note", "vi", year=meta.target_year))
    if meta.direction:
        rows.columns["direction"] = [d or meta.direction for d in rows.columns["direction"]]

"""Ingest adapters: what analysts receive -> contract rows, before the one shared validation.

One adapter per format, each a module of this package with `sniff` (is this file mine?) and `convert`
(the file -> a `Converted`: contract columns as text, where each row came from, what was found):

| format | what it reads |
| --- | --- |
| `tidy` | the contract's own long table (CSV/XLSX), as before: no conversion |
| `template` | the product's own form ("biểu mẫu", `indicators template`), filled in and sent back |
| `wide` | a Vietnamese report table ("biểu"): indicators or areas as rows, periods and kinds as columns |
| `opensdg` | an Open SDG data CSV (Year, Units, Series, GeoCode, disaggregations, Value) |
| `dhis2` | a DHIS2 data value set (CSV, JSON or XML) |
| `pxweb` | a GSO PX-Web export (PX file, or the CSV PX-Web writes) |

`convert_bytes(data, filename, Options(fmt="auto"))` detects the format (`detect`), converts, and says what
it detected. The converted rows then go through `validate.validate_table` like any tidy file, and every
issue is moved back to the cell of the file the analyst sent (`Converted.locate`).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyarrow as pa

from indicators.contract import COLUMN_NAMES, canonical_header, fold, header_match
from indicators.i18n import pair
from indicators.ingest.limits import Limits
from indicators.ingest.reading import TEXT, RawTable, ReadError
from indicators.ingest.report import Issue, located
from indicators.ingest.xlsx import column_letters

__all__ = ["FORMATS", "Catalogue", "Converted", "Options", "Origin", "contract_table", "convert_bytes", "detect",
           "convert_many", "detect_grid", "detect_special", "detect_table"]

#: Every format `--from` accepts, in the order `detect` tries them ("tidy" is also the fallback's rival).
FORMATS: tuple[str, ...] = ("tidy", "template", "opensdg", "dhis2", "pxweb", "wide")
#: Formats detected from the file's bytes before any table is read (structured or special files).
_SNIFFED_FIRST: tuple[str, ...] = ("template", "dhis2", "pxweb", "opensdg")


@dataclass
class Catalogue:
    """The indicators already in the store (one row each: indicator_id, indicator, unit, group, direction)
    and the aliases analysts saved (a folded name -> indicator_id), to match a report's rows against."""

    indicators: Any = None  # a pandas DataFrame; None: an empty store
    aliases: dict[str, str] = field(default_factory=dict)
    #: ids, exact names, folded names -> id and id -> fields, built on the first look-up (a report's
    #: every row is matched: folding the whole catalogue per row cost O(rows × indicators))
    _index: Any = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, current: Any, aliases: dict[str, str] | None = None) -> Catalogue:
        """From the stored dataset (a validated frame): its indicators, first row of each."""
        if current is None or not len(current):
            return cls(None, dict(aliases or {}))
        columns = [c for c in ("indicator_id", "indicator", "indicator_en", "unit", "group", "direction", "method")
                   if c in current.columns]
        return cls(current[columns].drop_duplicates("indicator_id").reset_index(drop=True), dict(aliases or {}))

    def match(self, name: str) -> tuple[str, str] | None:
        """(indicator_id, how) for a row's text: by id, by exact name, by folded name, by a saved alias;
        None when nothing matches. `how` is "id", "name" or "alias"."""
        text = name.strip()
        if not text:
            return None
        ids, names, folded, _ = self._lookup()
        if text in ids:
            return text, "id"
        if text in names:
            return names[text], "name"
        key = fold(text)
        if key in folded:
            return folded[key], "name"
        alias = self.aliases.get(key)
        return (alias, "alias") if alias else None

    def _lookup(self) -> tuple[set[str], dict[str, str], dict[str, str], dict[str, dict[str, Any]]]:
        if self._index is None:
            frame = self.indicators
            records = [] if frame is None else frame.to_dict("records")
            ids = {str(r["indicator_id"]) for r in records}
            names: dict[str, str] = {}
            folded: dict[str, str] = {}
            fields: dict[str, dict[str, Any]] = {}
            for record in records:  # the first row of a name or an id wins
                names.setdefault(str(record["indicator"]), str(record["indicator_id"]))
                folded.setdefault(fold(str(record["indicator"])), str(record["indicator_id"]))
                fields.setdefault(str(record["indicator_id"]),
                                  {k: ("" if v is None or v != v else v) for k, v in record.items()})  # NaN
            self._index = (ids, names, folded, fields)
        return self._index

    def get(self, indicator_id: str) -> dict[str, Any] | None:
        """The stored indicator's fields (name, unit, group, direction…), or None."""
        found = self._lookup()[3].get(indicator_id)
        return dict(found) if found is not None else None


@dataclass
class Options:
    """How to convert a file. Everything is optional: `fmt="auto"` detects the format."""

    fmt: str = "auto"
    sheet: str | None = None
    area: str | None = None  # the area of a table that names none (`--area`)
    period: str | None = None  # the period of a table that names none
    source: str | None = None  # the source of a table that names none (default: its title and file name)
    profile: Any = None  # a saved mapping profile to apply (wide tables); None: find one by the layout
    profiles: Any = None  # the saved profiles to look the layout up in (a list; see store.profiles)
    mapping: Any = None  # a mapping the analyst confirmed or corrected on the upload page (wide tables)
    catalogue: Catalogue = field(default_factory=Catalogue)
    limits: Limits | None = None
    #: sheets read ahead for a batch (`convert_many`): (id of the file's bytes, sheet) -> Grid or ReadError
    grids: dict[tuple[int, str | None], Any] = field(default_factory=dict, repr=False)

    def grid(self, data: bytes, filename: str, sheet: str | None = None) -> Any:
        """The file's sheet as a `grid.Grid` (read ahead by a batch, else read now); raises ReadError."""
        ahead = self.grids.get((id(data), sheet))
        if ahead is None:
            from indicators.ingest.grid import read_grid

            return read_grid(data, filename, sheet=sheet, limits=self.limits)
        if isinstance(ahead, ReadError):
            raise ahead
        return ahead
    #: (file name, bytes) of a file that explains the one converted: a DHIS2 id -> name mapping
    #: (`dhis2.read_names`), an Open SDG indicator's metadata YAML (`opensdg.read_metadata`)
    companion: tuple[str, bytes] | None = None


@dataclass
class Origin:
    """Where each converted row's cells came from in the original file.

    `rows[column][i]` and `columns[column][i]` are the sheet row and column (1-based) of converted row i's
    cell for a contract column; the key "*" stands for every column not listed (usually the value's cell).
    A column of -1 means the whole row (a cell the adapter wrote itself, e.g. an area given by `--area`)."""

    rows: dict[str, np.ndarray]
    columns: dict[str, np.ndarray]
    sheet: str = ""
    sheets: list[str] | None = None  # the sheet of each converted row, when they come from several sheets

    def sheet_of(self, i: int) -> str:
        return self.sheets[i] if self.sheets is not None and 0 <= i < len(self.sheets) else self.sheet

    def _at(self, table: dict[str, np.ndarray], column: str | None, i: int) -> int:
        array = table.get(column or "*")
        if array is None:
            array = table["*"]
        return int(array[i]) if 0 <= i < len(array) else -1

    def row(self, column: str | None, i: int) -> int:
        return self._at(self.rows, column, i)

    def cell(self, column: str | None, i: int) -> str:
        row, col = self.row(column, i), self._at(self.columns, column, i)
        if row < 0:
            return ""
        return f"{column_letters(col)}{row}" if col > 0 else ""


@dataclass
class Converted:
    """One file converted to contract rows (text, validated next) and what the adapter found on the way."""

    raw: RawTable  # contract column names as header; data row i is "row i + 2" of the converted table
    format: str
    detected: tuple[str, str]  # (vi, en): what was found, e.g. "Biểu dạng bảng rộng: 12 chỉ tiêu × 6 cột"
    origin: Origin | None = None  # None: the rows are the file's own rows (a tidy file)
    issues: list[Issue] = field(default_factory=list)  # the adapter's own (already naming their cells)
    mapping: Any = None  # wide tables: the mapping applied (proposed, from a profile, or the analyst's)
    profile: str | None = None  # the name of the saved profile that was applied
    sheet: str = ""

    def locate(self, issue: Issue) -> Issue:
        """A validation issue of the converted table, moved to the cell of the original file."""
        if self.origin is None:
            return located(issue, sheet=self.sheet, file="") if self.sheet else issue
        origin = self.origin
        return located(issue, rows=lambda column, row: _positive(origin.row(column, row - 2)),
                       cell=lambda column, row: origin.cell(column, row - 2),
                       sheet=origin.sheet_of(issue.row - 2 if issue.row is not None else -1) or self.sheet)

    def source_rows(self) -> np.ndarray:
        """The original row of each converted row (its value's cell), for previews."""
        if self.origin is None:
            return np.arange(self.raw.header_row + 1, self.raw.header_row + 1 + self.raw.n_rows)
        return np.asarray(self.origin.rows.get("value", self.origin.rows["*"]), dtype=np.int64)


def _positive(value: int) -> int | None:
    return value if value > 0 else None


def contract_table(columns: dict[str, Any], *, numeric: dict[str, np.ndarray] | None = None,
                   filename: str = "", sha256: str = "", encoding: str = "") -> RawTable:
    """A RawTable headed by contract column names from text columns of equal length (what adapters build).
    `numeric[column]` flags cells that were stored as numbers in a workbook (settles the decimal mark)."""
    names = [name for name in COLUMN_NAMES if name in columns] + [n for n in columns if n not in COLUMN_NAMES]
    arrays: list[pa.Array] = [_text_array(columns[name]) for name in names]
    lengths = {len(a) for a in arrays}
    if len(lengths) > 1:
        raise ValueError(f"columns of different lengths: {sorted(lengths)}")
    cells = pa.table({str(i): a.cast(TEXT) for i, a in enumerate(arrays)})
    flags = {names.index(n): f for n, f in (numeric or {}).items() if n in names and len(f) and f.any()}
    return RawTable(names, cells, 1, flags, filename=filename, sha256=sha256, encoding=encoding)


def _text_array(column: Any) -> pa.Array:
    """A text column as arrow: arrays as they are, numpy text at C speed, lists of numpy strings too."""
    if isinstance(column, pa.Array | pa.ChunkedArray):
        return column
    if isinstance(column, np.ndarray) and column.dtype.kind == "U":
        return pa.array(column).cast(TEXT)
    if isinstance(column, list) and column and type(column[0]) is np.str_:
        return pa.array(np.array(column, dtype=str)).cast(TEXT)
    return pa.array(column, TEXT)


_YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def _looks_wide(header: list[str], rows: list[list[str]]) -> bool:
    """Years in the header cells (or the rows just below a title): a report table, not the contract's."""
    cells = [c for c in header if c] + [c for row in rows[:12] for c in row if c and len(c) <= 60]
    return sum(bool(_YEAR.search(c)) for c in cells) >= 1


def _module(fmt: str) -> Any:
    return importlib.import_module(f"indicators.ingest.adapters.{fmt}")


def detect(data: bytes, filename: str, *, sheet: str | None = None, limits: Limits | None = None,
           raw: RawTable | None = None) -> str:
    """The format of a file: a structured or special file by its bytes (template, DHIS2, PX), else by
    its header (Open SDG, DHIS2 CSV, the contract's own columns), else a report table ("wide")."""
    special = detect_special(data, filename)
    if special is not None:
        return special
    if raw is None:
        from indicators.ingest.reading import read_table

        raw = read_table(data, filename, sheet=sheet, limits=limits)
    return detect_table(raw)


def detect_special(data: bytes, filename: str) -> str | None:
    """A format known from the bytes alone (the product's template, DHIS2 JSON/XML, a PX file); else None."""
    for fmt in _SNIFFED_FIRST:
        try:
            module = _module(fmt)
        except ModuleNotFoundError:
            continue
        if module.sniff(data, filename):
            return str(fmt)
    return None


def detect_table(raw: RawTable) -> str:
    """tidy, opensdg, dhis2 or wide, from a table's header and first rows."""
    head = [list(r.values()) for r in raw.cells.slice(0, 12).to_pylist()]
    return _detect(raw.header, head, titled=bool(len(raw.skipped)))


def detect_grid(grid: Any) -> str:
    """tidy, opensdg, dhis2 or wide, from a sheet read as a grid (a batch reads its files that way): the
    header is found as `read_table` finds it, then `detect_table`'s rules apply."""
    rows = grid.rows
    top = next((i for i, row in enumerate(rows[:20]) if sum(canonical_header(c) is not None for c in row if c) >= 3),
               None)
    if top is None:
        top = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), 0)
    header = rows[top] if rows else []
    width = max((i + 1 for i, c in enumerate(header) if c.strip()), default=0)
    below = rows[top + 1: top + 13]
    titled = any(any(c for c in row[width:]) for row in below)  # rows wider than the header: a title line
    above = rows[max(top - 6, 0):top]  # title lines over the header ("… năm 2023") tell a report table too
    return _detect(header[:width], [*above, *(row[:width] for row in below)], titled=titled)


def _detect(header: list[str], head: list[list[str]], *, titled: bool) -> str:
    """The rules of both detectors: a peer's own header; a contract column only the contract has (a header
    that may be another word, "Nam" = male and not "Năm", does not count); a lone title line over wider
    rows, or years in the header: a report table; else the contract's table (validation then says what
    is missing)."""
    for fmt in ("opensdg", "dhis2"):
        try:
            module = _module(fmt)
        except ModuleNotFoundError:
            continue
        if module.sniff_header(header):
            return fmt
    named = {m.column for h in header if h and (m := header_match(h)) is not None and not m.homographs}
    if named & {"value", "indicator_id", "period"}:
        return "tidy"
    if titled and sum(bool(h) for h in header) <= 2:
        return "wide"
    return "wide" if _looks_wide(header, head) else "tidy"


def convert_many(files: list[tuple[bytes, str]], options: Options | None = None) -> list[Converted | ReadError]:
    """Many files at once (the communes' forms of one round), each converted as `convert_bytes` would,
    in order: its Converted, or the ReadError saying why it cannot be read. The workbooks' sheets are read
    ahead together by one capped worker (`grid.read_grids`), not by a process each."""
    from indicators.ingest.grid import is_workbook, read_grids
    from indicators.ingest.xlsx import sheet_names

    options = options or Options()
    formats: list[str | None] = []
    wanted: list[tuple[bytes, str, str | None]] = []
    for data, filename in files:
        fmt = options.fmt if options.fmt != "auto" else detect_special(data, filename)
        formats.append(fmt)
        if not is_workbook(data, filename) or fmt not in (None, "wide", "template"):
            continue
        if fmt == "template":  # its area sheets (its _meta is read in place)
            wanted.extend((data, filename, name) for name in sheet_names(data) if not name.startswith("_"))
        else:
            wanted.append((data, filename, options.sheet))
    limits = options.limits or Limits.from_env()
    grids = {(id(data), sheet): grid for (data, _, sheet), grid in zip(wanted, read_grids(wanted, limits=limits),
                                                                         strict=True)}
    results: list[Converted | ReadError] = []
    ahead = replace(options, grids=grids, limits=limits)
    for (data, filename), fmt in zip(files, formats, strict=True):
        try:
            if fmt is None:
                fmt = detect_grid(ahead.grid(data, filename, options.sheet))
            results.append(convert_bytes(data, filename, replace(ahead, fmt=fmt)))
        except ReadError as exc:
            results.append(exc)
    return results


def convert_bytes(data: bytes, filename: str, options: Options | None = None, *,
                  raw: RawTable | None = None) -> Converted:
    """Convert a file to contract rows (see the module docstring). Raises ReadError (only) when the file
    cannot be read as its format; `raw` is the file already read as a table, when the caller has it."""
    options = options or Options()
    fmt = options.fmt
    if fmt not in ("auto", *FORMATS):
        raise ValueError(f"format must be auto or one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "auto":
        fmt = detect(data, filename, sheet=options.sheet, limits=options.limits, raw=raw)
    if fmt == "tidy":
        from indicators.ingest.reading import read_table

        table = raw or read_table(data, filename, sheet=options.sheet, limits=options.limits)
        return tidy(table, options)
    try:
        module = _module(fmt)
    except ModuleNotFoundError:
        raise ReadError("not_a_table", reason=pair("reason_format_unavailable", format=fmt)) from None
    converted: Converted = module.convert(data, filename, options)
    return converted


def tidy(raw: RawTable, options: Options) -> Converted:
    """The contract's own table: kept as read; `--area` fills the area of a file that has no area column."""
    if options.area and "area" not in {canonical_header(h) for h in raw.header if h}:
        raw.header = [*raw.header, "area"]
        raw.cells = raw.cells.append_column(str(raw.cells.num_columns),
                                            pa.array([options.area] * raw.n_rows, TEXT))
    detected = pair("detected_tidy", rows=raw.n_rows)
    return Converted(raw, "tidy", detected, None, [], sheet="")

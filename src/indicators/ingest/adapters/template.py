"""The product's own form ("biểu mẫu", `indicators template`), filled in and sent back: read with no mapping.

`present.forms.build_template` writes one sheet per area and a very hidden `_meta` sheet saying where
everything is (`TemplateMeta`: the format version, the product, the period, and for each area sheet its
area, its header row and the column of each role). Reading back takes every filled entry cell ("Số liệu
<period>") of every area sheet to one contract row: the indicator's id, name, group, unit and direction
from its row, the area and period from `_meta`, the kind from "Loại" (empty: actual), the source from
"Nguồn" (empty: "Biểu mẫu <file name>") and the note from "Ghi chú". Every row's origin is its sheet and
cells, so validation names the cell the commune typed. A sheet whose header no longer reads as written
(columns moved or renamed), a missing sheet or a damaged `_meta` is a clear issue, never a traceback.

What the form does not show (the English name, the method) and a direction left empty come from the
store's indicator (`Options.catalogue`). The `_meta` sheet and the question "is anything entered in this
sheet?" are answered from the workbook's XML here (`_Peek`, bounded like the workbook's other small
parts); only the sheets with entries go through the capped reader process (`grid.read_grid`) — a form of
130 communes read back with two sheets filled takes seconds, not one reader start per sheet.

The form lists only the new period's figures: it is imported in "update" mode (`detected` says so).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass, field, replace
from xml.etree import ElementTree

import numpy as np

from indicators.contract import DIRECTION_WORDS, KIND_WORDS, canonical_word
from indicators.i18n import pair, t
from indicators.ingest.adapters import Catalogue, Converted, Options, Origin, contract_table
from indicators.ingest.grid import Grid, ReadError, read_grid
from indicators.ingest.limits import Limits
from indicators.ingest.report import Issue, make_issue
from indicators.ingest.xlsx import _MAIN, _small_xml, check_zip, column_number, sheet_names, workbook_sheets

__all__ = ["FORMAT_VERSION", "META_SHEET", "PRODUCT", "ROLES", "SheetLayout", "TemplateMeta", "convert",
           "meta_rows", "parse_meta", "sniff"]

META_SHEET = "_meta"
PRODUCT = "indicators"  # the product that wrote the form (the first row of `_meta`)
FORMAT_VERSION = 1
#: The columns of an area sheet, left to right; "latest" (up to three) and "target" may be absent.
ROLES = ("stt", "indicator_id", "indicator", "group", "unit", "direction", "latest", "target", "value", "kind",
         "source", "note")
#: The roles reading back needs: each must still be headed as the form wrote it.
READ_ROLES = ("indicator_id", "indicator", "group", "unit", "direction", "value", "kind", "source", "note")
#: The cells the commune fills in (unlocked, yellow); "direction" too where the store has none.
ENTRY_ROLES = ("value", "kind", "source", "note")


@dataclass
class SheetLayout:
    """One area sheet: its name and area, the header row, the first indicator row, and for each role
    its column (1-based) and header text."""

    name: str
    area: str
    header_row: int
    first_row: int
    columns: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    def column(self, role: str) -> int:
        return self.columns[role][0][0]


@dataclass
class TemplateMeta:
    period: str
    lang: str
    sheets: list[SheetLayout]
    version: int = FORMAT_VERSION
    created: str = ""


def meta_rows(meta: TemplateMeta) -> list[list[str | int]]:
    """The `_meta` sheet's rows: one record per row, its kind in column A."""
    rows: list[list[str | int]] = [["product", PRODUCT], ["format_version", meta.version],
                                   ["period", meta.period], ["lang", meta.lang], ["created", meta.created]]
    for sheet in meta.sheets:
        rows.append(["sheet", sheet.name, sheet.area, sheet.header_row, sheet.first_row])
        for role, columns in sheet.columns.items():
            rows.extend(["column", sheet.name, role, column, header] for column, header in columns)
    return rows


class MetaError(ValueError):
    """`_meta` does not say what the form needs; `reason` is a (vi, en) pair."""

    def __init__(self, reason: tuple[str, str]) -> None:
        super().__init__(reason[1])
        self.reason = reason


def _int(text: str, what: str) -> int:
    try:
        number = float(text)
    except ValueError:
        raise MetaError(pair("reason_template_meta_field", field=what, value=text)) from None
    if not number.is_integer() or number < 1:
        raise MetaError(pair("reason_template_meta_field", field=what, value=text))
    return int(number)


def parse_meta(grid: Grid) -> TemplateMeta:
    """The form's layout from its `_meta` sheet; MetaError naming what is missing or unreadable."""
    fields: dict[str, str] = {}
    sheets: dict[str, SheetLayout] = {}
    columns: list[list[str]] = []
    for row in grid.rows:
        kind = row[0] if row else ""
        if kind == "sheet":
            name = row[1] if len(row) > 1 else ""
            sheets[name] = SheetLayout(name, _at(row, 2), _int(_at(row, 3), "header_row"),
                                       _int(_at(row, 4), "first_row"))
        elif kind == "column":
            columns.append(row)
        elif kind:
            fields.setdefault(kind, _at(row, 1))
    if fields.get("product") != PRODUCT:
        raise MetaError(pair("reason_template_meta_product", value=fields.get("product", "")))
    version = _int(fields.get("format_version", ""), "format_version")
    if version != FORMAT_VERSION:
        raise MetaError(pair("reason_template_meta_version", value=version, version=FORMAT_VERSION))
    for row in columns:
        sheet = sheets.get(_at(row, 1))
        if sheet is None:
            raise MetaError(pair("reason_template_meta_field", field="column", value=_at(row, 1)))
        sheet.columns.setdefault(_at(row, 2), []).append((_int(_at(row, 3), "column"), _at(row, 4)))
    if not fields.get("period"):
        raise MetaError(pair("reason_template_meta_field", field="period", value=""))
    for sheet in sheets.values():
        lost = [role for role in READ_ROLES if role not in sheet.columns]
        if not sheet.area or lost:
            raise MetaError(pair("reason_template_meta_field", field=", ".join(lost) or "area", value=sheet.name))
    if not sheets:
        raise MetaError(pair("reason_template_meta_field", field="sheet", value=""))
    return TemplateMeta(fields["period"], fields.get("lang", "vi"), list(sheets.values()), version,
                        fields.get("created", ""))


def _at(row: list[str], i: int) -> str:
    return row[i] if i < len(row) else ""


def sniff(data: bytes, filename: str) -> bool:
    """An XLSX workbook with the `_meta` sheet of a form (however hidden)."""
    return data[:4] == b"PK\x03\x04" and META_SHEET in sheet_names(data)


def convert(data: bytes, filename: str, options: Options) -> Converted:
    """Every filled entry cell of every area sheet -> one contract row (see the module docstring)."""
    peek = _Peek(data, options.limits)
    try:
        meta = parse_meta(peek.grid(META_SHEET) or read_grid(data, filename, sheet=META_SHEET,
                                                                limits=options.limits))
    except MetaError as exc:
        return _nothing(filename, [_at_meta(make_issue("template_meta_damaged", reason=exc.reason))])
    except ReadError as exc:
        if exc.code != "missing_sheet":
            raise
        reason = pair("reason_template_no_meta")
        return _nothing(filename, [_at_meta(make_issue("template_meta_damaged", reason=reason))])
    rows = _Rows(meta, filename, options.catalogue, options.source)
    for layout in _chosen(meta, options.sheet):
        if layout.name not in peek.names:
            rows.issues.append(make_issue("template_sheet_missing", value=layout.name, area=layout.area))
            continue
        if peek.untouched(layout):
            continue
        grid = options.grid(data, filename, layout.name)
        changed = _layout_changed(grid, layout)
        if changed:
            rows.issues.extend(changed)
            continue
        rows.read(grid, layout)
    return rows.converted()


class _Peek:
    """The form's own small parts read here, bounded as the workbook's other small parts are (`_small_xml`):
    the `_meta` sheet, and whether an area sheet has anything in its entry columns. A form of 130 communes
    comes back with one filled sheet: only that one goes through the (slower, capped) reader process. Any
    doubt (a part too large, a cell without its reference) leaves the sheet to the reader."""

    def __init__(self, data: bytes, limits: Limits | None) -> None:
        check_zip(data, limits or Limits.from_env())
        try:
            self.book = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise ReadError("not_a_table", reason=pair("reason_not_xlsx")) from None
        self.sheets = {s.name: s.member for s in workbook_sheets(self.book)}
        self.names = set(self.sheets)
        self._strings: list[str] | None = None

    def cells(self, name: str) -> dict[tuple[int, int], str] | None:
        """(row, column) -> text of a sheet's non-empty cells; None when in doubt."""
        member = self.sheets.get(name)
        if member is None:
            return None
        try:
            root = _small_xml(self.book, member)
            if self._strings is None:
                self._strings = _shared_strings(self.book)
        except (ReadError, zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        if root is None:
            return None
        cells = {}
        for cell in root.iter(f"{_MAIN}c"):
            text, ref = _cell_text(cell, self._strings), cell.get("r", "")
            letters = ref.rstrip("0123456789")
            if not letters or not ref[len(letters):].isdigit():
                return None
            if text:
                cells[int(ref[len(letters):]), column_number(letters)] = _clean(text)
        return cells

    def grid(self, name: str) -> Grid | None:
        cells = self.cells(name)
        if not cells:
            return None
        height, width = max(r for r, _ in cells), max(c for _, c in cells)
        rows = [[cells.get((r, c), "") for c in range(1, width + 1)] for r in range(1, height + 1)]
        return Grid(rows, sheet=name)

    def untouched(self, layout: SheetLayout) -> bool:
        """The sheet's header still reads as written and no entry cell holds anything: reading it would
        give no row and no issue."""
        cells = self.cells(layout.name)
        if cells is None:
            return False
        for role in READ_ROLES:
            if any(cells.get((layout.header_row, c), "") != header for c, header in layout.columns[role]):
                return False
        value, id_column = layout.column("value"), layout.column("indicator_id")
        entry = {c for role in ENTRY_ROLES for c, _ in layout.columns[role]}
        return not any(r >= layout.first_row and (c == value or (c in entry and (r, id_column) in cells))
                       for (r, c) in cells)  # what `_Rows.read` looks at


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    root = _small_xml(book, "xl/sharedStrings.xml")
    return [] if root is None else [_string_item(si) for si in root.iter(f"{_MAIN}si")]


def _string_item(si: ElementTree.Element) -> str:
    """A shared string: its text, or its runs' texts (phonetic guides left out)."""
    parts = []
    for child in si:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{_MAIN}t"))
    return "".join(parts)


def _cell_text(cell: ElementTree.Element, strings: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
    value = cell.find(f"{_MAIN}v")
    text = value.text or "" if value is not None else ""
    if kind == "s" and text:
        index = int(text) if text.isdigit() else -1
        return strings[index] if 0 <= index < len(strings) else "\ufffd"  # a broken reference: not empty
    return text


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _chosen(meta: TemplateMeta, sheet: str | None) -> list[SheetLayout]:
    """Every area sheet, or only `--sheet`'s."""
    if sheet is None:
        return meta.sheets
    chosen = [layout for layout in meta.sheets if layout.name == sheet]
    if not chosen:
        raise ReadError("missing_sheet", value=sheet, sheets=", ".join(layout.name for layout in meta.sheets))
    return chosen


def _at_meta(issue: Issue) -> Issue:
    return replace(issue, sheet=META_SHEET)


def _nothing(filename: str, issues: list[Issue]) -> Converted:
    raw = contract_table({name: [] for name in _COLUMNS}, filename=filename)
    return Converted(raw, "template", pair("detected_template_unreadable"), None, issues)


def _layout_changed(grid: Grid, layout: SheetLayout) -> list[Issue]:
    """An issue per header cell of a role the reading needs that no longer reads as the form wrote it."""
    issues = []
    for role in READ_ROLES:
        for column, header in layout.columns[role]:
            found = grid.cell(layout.header_row, column)
            if found != header:
                issue = make_issue("template_layout_changed", layout.header_row, None, found, expected=header)
                issues.append(replace(issue, cell=grid.ref(layout.header_row, column), sheet=layout.name))
    return issues


_COLUMNS = ("indicator_id", "indicator", "indicator_en", "group", "unit", "direction", "method", "area", "period",
            "kind", "value", "source", "note")


class _Rows:
    """The contract rows read so far, with the sheet and cell each came from."""

    def __init__(self, meta: TemplateMeta, filename: str, catalogue: Catalogue, source: str | None) -> None:
        self.meta, self.filename, self.catalogue = meta, filename, catalogue
        self.columns: dict[str, list[str]] = {name: [] for name in _COLUMNS}
        self.where_row: dict[str, list[int]] = {name: [] for name in _COLUMNS}
        self.where_column: dict[str, list[int]] = {name: [] for name in _COLUMNS}
        self.sheets: list[str] = []
        self.numeric: list[bool] = []
        self.issues: list[Issue] = []
        self.default_source = source or t("template_source", meta.lang, file=filename)

    def read(self, grid: Grid, layout: SheetLayout) -> None:
        col = {role: layout.column(role) for role in READ_ROLES}
        for r in range(layout.first_row, grid.height + 1):
            indicator_id, value = grid.cell(r, col["indicator_id"]), grid.cell(r, col["value"])
            if not indicator_id:
                if value:
                    self._issue(make_issue("template_value_outside", r, None, value), grid, r, col["value"])
                continue
            if not value:
                if any(grid.cell(r, col[role]) for role in ("kind", "source", "note")):
                    issue = make_issue("template_entry_without_value", r, None, indicator_id)
                    self._issue(issue, grid, r, col["value"])
                continue
            self._add(grid, layout, r, col)

    def _issue(self, issue: Issue, grid: Grid, row: int, column: int) -> None:
        self.issues.append(replace(issue, cell=grid.ref(row, column), sheet=grid.sheet))

    def _add(self, grid: Grid, layout: SheetLayout, r: int, col: dict[str, int]) -> None:
        """One row; what the form does not show (the English name, the method) and a direction it left
        empty come from the store's indicator, so the update keeps each indicator whole."""
        kind, direction = grid.cell(r, col["kind"]), grid.cell(r, col["direction"])
        texts = {role: grid.cell(r, col[role]) for role in ("indicator_id", "indicator", "group", "unit", "value",
                                                             "note")}
        known = self.catalogue.get(texts["indicator_id"]) or {}
        texts.update(area=layout.area, period=self.meta.period,
                     kind=canonical_word(kind, KIND_WORDS) or kind if kind else "actual",
                     direction=canonical_word(direction, DIRECTION_WORDS) or direction if direction
                     else str(known.get("direction", "")),
                     indicator_en=str(known.get("indicator_en", "")), method=str(known.get("method", "")),
                     source=grid.cell(r, col["source"]) or self.default_source)
        cells = {**{role: (r, col[role]) for role in READ_ROLES}, "area": (r, -1), "indicator_en": (r, -1),
                 "method": (r, -1), "period": (layout.header_row, col["value"])}
        for name in _COLUMNS:
            self.columns[name].append(texts[name])
            self.where_row[name].append(cells[name][0])
            self.where_column[name].append(cells[name][1])
        self.sheets.append(layout.name)
        self.numeric.append(grid.is_number(r, col["value"]))

    def converted(self) -> Converted:
        n = len(self.sheets)
        if n == 0 and not self.issues:
            entry = self.meta.sheets[0].columns["value"][0][1]
            self.issues.append(make_issue("template_empty", entry=entry))
        raw = contract_table(self.columns, numeric={"value": np.array(self.numeric, dtype=bool)},
                             filename=self.filename)
        origin = Origin({**{k: np.array(v, dtype=np.int64) for k, v in self.where_row.items()},
                         "*": np.array(self.where_row["value"], dtype=np.int64)},
                        {**{k: np.array(v, dtype=np.int64) for k, v in self.where_column.items()},
                         "*": np.array(self.where_column["value"], dtype=np.int64)},
                        sheets=self.sheets)
        detected = pair("detected_template", period=self.meta.period, areas=len(self.meta.sheets), rows=n)
        return Converted(raw, "template", detected, origin, self.issues)

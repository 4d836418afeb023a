"""XLSX workbooks -> the raw all-text table, with every piece of work bounded before it is done.

A workbook is a zip of XML parts and may lie about itself: a `<dimension>` claiming A1:XFD1048576, a 4 MB
zip that unpacks to gigabytes, a shared-string index or a style index pointing nowhere, `NaN` written as a
number. Reading goes in three steps, each refusing with the limit it hit (`limits.Limits`):

1. `check_zip` (in the caller, no decompression): the central directory's total uncompressed size and
   each large part's compression ratio.
2. `scan_sheet` (in the worker): one streaming pass over the chosen sheet's XML counts the bytes really
   unpacked, the highest row, the widest column and the cells — so the sheet's area is known to fit
   before any cell is stored — and finds the few cells whose style needs its number format (percent,
   year-only or month-year dates) or names a style that does not exist.
3. `read_sheet` (in the worker): python-calamine (Rust) reads the values; numbers become the text Excel
   shows ("57.2", "7000", 0.5 as "50%", a `yyyy` date as "2023"), empty rows are never padded (a far cell
   costs an index, not a row of Python lists), NaN/infinite numbers and damaged cells are reported with
   their sheet and cell.

`read_sheet` runs in a separate process with a memory cap (`xlsx_worker`), so a hostile file can neither
stall the server's other sessions nor keep its memory.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from indicators.callbacks import ProgressCallback
from indicators.contract import canonical_header
from indicators.i18n import pair, t
from indicators.ingest.limits import RATIO_FLOOR_BYTES, Limits
from indicators.ingest.report import Issue, make_issue

TEXT = pa.large_string()
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: Small parts parsed whole (workbook, relationships, styles) may not be larger than this.
SMALL_PART_BYTES = 16 << 20
CHUNK = 1 << 22
#: Built-in number formats that display differently from "General" (ECMA-376 18.8.30).
BUILTIN_FORMATS = {9: "0%", 10: "0.00%", 14: "yyyy-mm-dd", 17: "mmm-yy"}


class ReadError(Exception):
    """The input is not a readable table (empty, binary, a bomb, damaged…); `issue` says why."""

    def __init__(self, code: str, row: int | None = None, value: str = "", **params: object) -> None:
        self.issue = make_issue(code, row, None, value, **params)
        super().__init__(self.issue.message_en)
        self.code, self.row = code, row
        self.message_vi, self.message_en = self.issue.message_vi, self.issue.message_en

    def __reduce__(self) -> tuple[Any, ...]:  # crosses the process boundary as its issue
        return (_from_issue, (self.issue,))


def _from_issue(issue: Issue) -> ReadError:
    error = ReadError.__new__(ReadError)
    Exception.__init__(error, issue.message_en)
    error.issue, error.code, error.row = issue, issue.code, issue.row
    error.message_vi, error.message_en = issue.message_vi, issue.message_en
    return error


def _damaged(reason: tuple[str, str], sheet: str | None = None, row: int | None = None) -> ReadError:
    where = pair("where_in_sheet", sheet=sheet) if sheet else ("", "")
    return ReadError("workbook_damaged", row=row, where=where, reason=reason)


def column_letters(n: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    n = 0
    for char in letters:
        n = n * 26 + ord(char) - 64
    return n


# --- 1. the zip's central directory ---------------------------------------------------------------
def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a workbook whose parts unpack to too much, or compress suspiciously well, before reading."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            infos = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ReadError("not_a_table", reason=pair("reason_not_xlsx")) from None
    total = sum(i.file_size for i in infos)
    if total > limits.xlsx_mb * 1e6:
        raise ReadError("xlsx_too_large", size=f"{total / 1e6:,.0f}", limit=f"{limits.xlsx_mb:g}",
                        setting=Limits.setting("xlsx_mb"))
    for info in infos:
        if info.file_size > RATIO_FLOOR_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.xlsx_ratio:
                raise ReadError("xlsx_ratio", value=info.filename, ratio=f"{ratio:,.0f}",
                                limit=f"{limits.xlsx_ratio:g}", setting=Limits.setting("xlsx_ratio"))


# --- the workbook's small parts -------------------------------------------------------------------
@dataclass(frozen=True)
class SheetInfo:
    name: str
    member: str  # the sheet's XML part in the zip
    hidden: bool


def _small_xml(book: zipfile.ZipFile, member: str) -> ElementTree.Element | None:
    try:
        info = book.getinfo(member)
    except KeyError:
        return None
    too_large = _damaged(pair("reason_part_too_large", member=member))
    if info.file_size > SMALL_PART_BYTES:
        raise too_large
    try:
        with book.open(info) as stream:  # bounded: the zip directory's sizes may lie
            body = stream.read(SMALL_PART_BYTES + 1)
        if len(body) > SMALL_PART_BYTES:
            raise too_large
        return ElementTree.fromstring(body)
    except (ElementTree.ParseError, zipfile.BadZipFile, ValueError, EOFError, OSError):
        raise _damaged(pair("reason_part_not_xml", member=member)) from None


def workbook_sheets(book: zipfile.ZipFile) -> list[SheetInfo]:
    """The sheets in workbook order, with their XML part and whether they are hidden."""
    root = _small_xml(book, "xl/workbook.xml")
    if root is None:
        raise ReadError("not_a_table", reason=pair("reason_not_xlsx"))
    rels = _small_xml(book, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in (rels.iter(f"{_PKG_REL}Relationship") if rels is not None else [])}
    sheets = []
    for i, node in enumerate(root.iter(f"{_MAIN}sheet"), start=1):
        target = targets.get(node.get(f"{_REL}id"), f"worksheets/sheet{i}.xml")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        sheets.append(SheetInfo(node.get("name", f"Sheet{i}"), member, node.get("state", "visible") != "visible"))
    return sheets


def sheet_names(data: bytes) -> list[str]:
    """The visible sheets in workbook order, then the hidden ones ([] when not a readable workbook)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            sheets = workbook_sheets(book)
    except (ReadError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []
    return [s.name for s in sheets if not s.hidden] + [s.name for s in sheets if s.hidden]


def number_formats(book: zipfile.ZipFile) -> list[str]:
    """The number format code of every cell style (cellXfs), by style index."""
    root = _small_xml(book, "xl/styles.xml")
    if root is None:
        return ["General"]
    custom = {int(n.get("numFmtId", "0")): n.get("formatCode", "General") for n in root.iter(f"{_MAIN}numFmt")
              if (n.get("numFmtId") or "").isdigit()}
    xfs = root.find(f"{_MAIN}cellXfs")
    formats = []
    for xf in xfs.iter(f"{_MAIN}xf") if xfs is not None else []:
        fmt_id = int(xf.get("numFmtId", "0")) if (xf.get("numFmtId") or "0").isdigit() else 0
        formats.append(custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General"))
    return formats or ["General"]


def _bare(number_format: str) -> str:
    return re.sub(r'"[^"]*"|\[[^]]*]|\\.', "", number_format.lower())


def needs_format(number_format: str) -> bool:
    """Whether cells of this format display differently from calamine's value: percent, year-only or
    month-year dates."""
    fmt = _bare(number_format)
    return "%" in fmt or ("y" in fmt and "d" not in fmt)


# --- 2. one streaming pass over the sheet's XML ---------------------------------------------------
@dataclass
class SheetScan:
    max_row: int = 0
    max_column: int = 0
    cells: int = 0
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column), 1-based -> format
    bad_styles: list[tuple[int, int, int]] = field(default_factory=list)  # (row, column, style index)


def _chunks(book: zipfile.ZipFile, member: str, limits: Limits) -> Iterator[bytes]:
    """The part's XML in pieces that end before a '<' (no tag is split), counting the bytes really
    unpacked: a central directory that lies about sizes is refused all the same."""
    unpacked, tail = 0, b""
    with book.open(member) as stream:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            unpacked += len(chunk)
            if unpacked > limits.xlsx_mb * 1e6:
                raise ReadError("xlsx_too_large", size=f"> {limits.xlsx_mb:g}", limit=f"{limits.xlsx_mb:g}",
                                setting=Limits.setting("xlsx_mb"))
            buffer = tail + chunk
            cut = buffer.rfind(b"<")
            if cut <= 0:
                tail = buffer
                continue
            tail = buffer[cut:]
            yield buffer[:cut]
    if tail:
        yield tail


def _out_of_range(n_styles: int) -> bytes:
    """A regex for the decimal numbers >= n_styles (a style index that points past the table)."""
    digits = len(str(n_styles))
    longer = rb"[0-9]{%d,}" % (digits + 1)
    same = [str(i).encode() for i in range(n_styles, 10 ** digits)]
    return b"|".join([longer, *same]) if len(same) <= 64 else longer + rb"|[0-9]{%d}" % digits


def cell_pattern(special: list[int], n_styles: int) -> re.Pattern[bytes]:
    """One regex for the unusual cells (one pass: the alternatives share the '<c r="' prefix): a column
    past Z or a row past 999,999 (group 1), or a style that is special or out of range (groups 2–4).
    Writers put `r` then `s` first, as Excel does."""
    styles = b"|".join([*(str(i).encode() for i in special), _out_of_range(n_styles)])
    return re.compile(rb'<c r="(?:([A-Z]{2,}[0-9]+|[A-Z][0-9]{7,})"|([A-Z]{1,3})([0-9]{1,7})" s="(' + styles + rb')")')


_REF = re.compile(r"([A-Z]+)([0-9]+)")


def scan_sheet(book: zipfile.ZipFile, sheet: SheetInfo, formats: list[str], limits: Limits) -> SheetScan:
    """Bound the sheet before reading it (see the module docstring); raises ReadError naming the limit.

    Rows are bounded by the last `<row r=…>` of each piece and by every cell reference past row 999,999;
    a hostile file that hides a far row elsewhere still meets the worker's memory cap."""
    where = pair("where_sheet", sheet=sheet.name)
    special = [i for i, f in enumerate(formats) if needs_format(f)]
    unusual = cell_pattern(special, len(formats))
    scan = SheetScan()

    def far(ref: str) -> None:
        letters, digits = _REF.fullmatch(ref).groups()  # type: ignore[union-attr]
        column, row = column_number(letters), int(digits)
        scan.max_row = max(scan.max_row, row)
        if column > scan.max_column:
            scan.max_column = column
            if column > limits.columns:
                raise ReadError("too_many_columns", value=ref, where=where, n=f"{column:,}",
                                limit=f"{limits.columns:,}", setting=Limits.setting("columns"))

    try:
        for piece in _chunks(book, sheet.member, limits):
            scan.cells += piece.count(b"<c ")
            last_row = piece.rfind(b'<row r="')
            if last_row >= 0:
                digits = piece[last_row + 8: piece.find(b'"', last_row + 8)]
                scan.max_row = max(scan.max_row, int(digits) if digits.isdigit() else 0)
            for match in unusual.finditer(piece):
                if match.group(1):
                    far(match.group(1).decode())
                    continue
                row, column, style = int(match.group(3)), column_number(match.group(2).decode()), int(match.group(4))
                if style >= len(formats):
                    scan.bad_styles.append((row, column, style))
                elif needs_format(formats[style]):
                    scan.formats[(row, column)] = formats[style]
            if scan.max_row > limits.rows:
                raise ReadError("too_many_rows", where=where, last_row=f"{scan.max_row:,}", limit=f"{limits.rows:,}",
                                setting=Limits.setting("rows"))
            if scan.cells > limits.cells:
                raise _too_many_cells(where, scan.max_row, scan.max_column or 26, limits)
    except ReadError:
        raise
    except Exception as exc:  # zlib.error, BadZipFile (CRC), EOF: the part does not unpack
        raise _damaged(pair("reason_no_unpack", error=exc), sheet.name) from None
    return scan


def _too_many_cells(where: tuple[str, str], rows: int, columns: int, limits: Limits) -> ReadError:
    return ReadError("too_many_sheet_cells", where=where, rows=f"{rows:,}", columns=f"{columns:,}",
                     cells=f"{rows * columns:,}", limit=f"{limits.cells:,}", setting=Limits.setting("cells"))


# --- 3. the values, as displayed ------------------------------------------------------------------
def number_text(value: float, number_format: str = "General") -> str:
    """An Excel number as displayed, without float noise: 57.2 -> '57.2', 7000 -> '7000', 0.5 as % -> '50%'."""
    suffix = ""
    if "%" in _bare(number_format):
        value, suffix = value * 100, "%"
    elif isinstance(value, int):
        return str(value)
    text = f"{value:.15g}"
    if "e" in text:
        text = format(Decimal(text), "f")
    return text + suffix


def date_text(value: dt.datetime | dt.date, number_format: str = "General") -> str:
    """A date cell as displayed at the contract's precision: 'yyyy' -> '2023', 'mm/yyyy' -> '2023-06'."""
    fmt = _bare(number_format)
    if "d" not in fmt and "y" in fmt:
        return f"{value.year:04d}-{value.month:02d}" if "m" in fmt else f"{value.year:04d}"
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return value.isoformat(sep=" ")
    return value.strftime("%Y-%m-%d")


def _date_from_serial(value: float) -> dt.datetime:
    return dt.datetime(1899, 12, 30) + dt.timedelta(days=value)


class _BadCell(Exception):
    def __init__(self, reason: tuple[str, str]) -> None:
        super().__init__(reason[1])
        self.reason = reason


_NOT_FINITE = pair("reason_not_finite")


def cell_text(value: Any, number_format: str = "General") -> tuple[str, bool]:
    """(text as displayed, whether the cell holds an Excel number); raises _BadCell for NaN/infinity."""
    kind = type(value)
    if kind is str:
        return value, False
    if kind is float:
        if not math.isfinite(value):
            raise _BadCell(_NOT_FINITE)
        if number_format != "General" and "y" in _bare(number_format) and "%" not in number_format:
            try:
                return date_text(_date_from_serial(value), number_format), False
            except (OverflowError, ValueError):
                raise _BadCell(pair("reason_bad_date")) from None
        return number_text(value, number_format), True
    if kind is bool:
        return ("TRUE" if value else "FALSE"), False
    if kind is int:
        return number_text(value, number_format), True
    if isinstance(value, dt.datetime | dt.date):
        return date_text(value, number_format), False
    if value is None:
        return "", False
    return str(value), False


@dataclass
class SheetTable:
    """What the worker sends back: the raw table's parts (see reading.RawTable)."""

    header: list[str]
    cells: pa.Table
    header_row: int
    numeric: dict[int, np.ndarray]
    skipped: np.ndarray
    issues: list[Issue]
    sheet: str
    #: merged ranges (first row, first column, last row, last column), 1-based sheet coordinates, inclusive
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def _header_index(rows: list[list[str]]) -> int:
    """The header: the first of the first 20 rows naming 3+ contract columns, else the first non-empty."""
    for i, row in enumerate(rows[:20]):
        if sum(canonical_header(cell) is not None for cell in row if cell) >= 3:
            return i
    for i, row in enumerate(rows):
        if any(cell.strip() for cell in row):
            return i
    raise ReadError("empty_file")


def choose_sheet(sheets: list[SheetInfo], name: str | None) -> tuple[SheetInfo, list[Issue]]:
    if not sheets:
        raise ReadError("not_a_table", reason=pair("reason_no_sheet"))
    hidden = [s.name for s in sheets if s.hidden]
    if name is not None:
        for s in sheets:
            if s.name == name:
                return s, []
        raise ReadError("missing_sheet", value=name, sheets=", ".join(s.name for s in sheets))
    visible = [s for s in sheets if not s.hidden]
    if not visible:
        raise ReadError("not_a_table", reason=pair("reason_all_hidden"))
    issues = [make_issue("hidden_sheets", value=visible[0].name, sheets=", ".join(hidden))] if hidden else []
    return visible[0], issues


def _texts(values: tuple[Any, ...]) -> tuple[list[str], list[bool] | None, list[int]]:
    """One column of a chunk of rows -> (texts, number flags or None, positions of non-finite numbers).

    Columns of text only, or text and plain numbers (nearly every column), take one list comprehension;
    anything else (dates, booleans) goes cell by cell through `cell_text`."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return list(values), None, []
    if kinds <= {str, float}:
        texts = [v if type(v) is str else f"{v:.15g}" for v in values]
        flags = [type(v) is float for v in values]
        bad = []
        for i in [i for i, (t, f) in enumerate(zip(texts, flags, strict=True)) if f and ("e" in t or "n" in t)]:
            if math.isfinite(values[i]):
                texts[i] = number_text(values[i])
            else:
                bad.append(i)
                texts[i], flags[i] = "", False
        return texts, flags, bad
    texts, flags, bad = [], [], []
    for i, value in enumerate(values):
        try:
            text, number = cell_text(value)
        except _BadCell:
            bad.append(i)
            text, number = "", False
        texts.append(text)
        flags.append(number)
    return texts, flags, bad


class _Columns:
    """Text cells of the data rows, kept sparse: only non-empty rows are stored, as arrow chunks."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[np.ndarray] = []  # 0-based data row of each stored row, per chunk
        self.chunks: list[list[pa.Array]] = [[] for _ in range(width)]
        self.numeric: list[list[np.ndarray]] = [[] for _ in range(width)]

    def add(self, index: np.ndarray, columns: list[list[str]], flags: list[np.ndarray]) -> None:
        self.rows.append(index)
        for j in range(self.width):
            self.chunks[j].append(pa.array(columns[j], TEXT))
            self.numeric[j].append(flags[j])

    def table(self, n_rows: int) -> tuple[pa.Table, dict[int, np.ndarray]]:
        """n_rows data rows; rows never stored are empty (built by one `take`, not row by row)."""
        rows = np.concatenate(self.rows) if self.rows else np.zeros(0, dtype=np.int64)
        rows, n_stored = rows[rows < n_rows], len(rows)
        where = np.full(n_rows, -1, dtype=np.int64)
        where[rows] = np.arange(len(rows))
        take = pa.array(where, mask=where < 0) if len(rows) != n_rows or n_stored != n_rows else None
        columns, numeric = {}, {}
        for j in range(self.width):
            text = pa.chunked_array(self.chunks[j], TEXT).combine_chunks() if self.chunks[j] else pa.array([], TEXT)
            text = _nfc(text)
            flags = np.concatenate(self.numeric[j]) if self.numeric[j] else np.zeros(0, dtype=bool)
            if take is not None:
                text = pc.fill_null(text.take(take), "")
                full = np.zeros(n_rows, dtype=bool)
                full[where >= 0] = flags[where[where >= 0]]
                flags = full
            columns[str(j)] = text
            if flags.any():
                numeric[j] = flags
        return pa.table(columns), numeric


def _nfc(text: pa.Array) -> pa.Array:
    """NFC text (what CSV reading gives too), normalising each distinct value once."""
    if len(text) == 0 or pc.all(pc.string_is_ascii(text)).as_py():
        return text
    encoded = pc.dictionary_encode(text)
    if len(encoded.dictionary) > len(text) // 2:
        return pc.utf8_normalize(text, "NFC")
    return pc.utf8_normalize(encoded.dictionary, "NFC").take(encoded.indices)


ROWS_PER_CHUNK = 50_000


def read_sheet(data: bytes, sheet_name: str | None, limits: Limits, progress: ProgressCallback | None = None,
               lang: str = "vi", grid: bool = False) -> SheetTable:
    """The chosen sheet (default: the first visible one) as a SheetTable; ReadError when not readable.

    `grid=True` reads the whole sheet as it is laid out (a report table, "biểu"): the "header" is sheet
    row 1 whatever it holds, every column of the sheet is kept, and the merged ranges are returned."""
    import python_calamine

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet, issues = choose_sheet(workbook_sheets(book), sheet_name)
        formats = number_formats(book)
        scan = scan_sheet(book, sheet, formats, limits)
    where = pair("where_sheet", sheet=sheet.name)
    skipped_rows: set[int] = set()  # sheet rows (1-based) left out: damaged cells, too many cells

    def bad_cell(row: int, column: int, reason: tuple[str, str]) -> None:
        issues.append(make_issue("bad_xlsx_cell", row, None, f"{column_letters(column)}{row}", sheet=sheet.name,
                                 reason=reason))
        skipped_rows.add(row)

    for row, column, style in scan.bad_styles:
        bad_cell(row, column, pair("reason_missing_style", style=style))
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        calamine_sheet = workbook.get_sheet_by_name(sheet.name)
        height, width = calamine_sheet.height, calamine_sheet.width
        # python-calamine's rows start at sheet row 1 (the rows above `start` come as empty rows) but its
        # columns start at `start`'s column: only the column offset is added back
        top, left = 0, (calamine_sheet.start or (0, 0))[1]
        if height * width > limits.cells:
            raise _too_many_cells(where, height, width, limits)
        rows = iter(calamine_sheet.iter_rows())
        head: list[list[str]] = [[] for _ in range(top)]
        for values in rows:
            sheet_row = len(head) + 1
            texts = [""] * left
            for j, value in enumerate(values, start=left + 1):
                try:
                    texts.append(cell_text(value, scan.formats.get((sheet_row, j), "General"))[0])
                except _BadCell:
                    texts.append("")
            head.append(texts)
            if len(head) >= 20:
                break
        merged = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1)
                  for (r0, c0), (r1, c1) in (calamine_sheet.merged_cell_ranges or [])] if grid else []
        if grid:
            top_index, width_used = 0, max(left + width, 1)
            header = (head[0] if head else []) + [""] * (width_used - len(head[0] if head else []))
        else:
            top_index = _header_index(head)
            header = head[top_index]
            width_used = max(i for i, cell in enumerate(header) if cell.strip()) + 1
        columns = _Columns(width_used)
        first_data = top_index + 2  # the sheet row of data row 0
        last = -1
        # rows already read past the header are read again with the others (calamine rows are cheap)
        rows = iter(calamine_sheet.iter_rows())
        for _ in range(top_index + 1 - top):
            next(rows, None)
        sheet_row = top_index + 1
        while True:
            chunk = [values for _, values in zip(range(ROWS_PER_CHUNK), rows, strict=False)]
            if not chunk:
                break
            numbers = np.arange(sheet_row + 1, sheet_row + 1 + len(chunk))
            sheet_row += len(chunk)
            full = len(chunk[0])
            used = width_used - left  # columns of the header, in calamine's coordinates
            keep = [i for i, values in enumerate(chunk) if values.count("") != full]
            if full > used:
                for i in [i for i in keep if chunk[i][max(used, 0):].count("") != full - max(used, 0)]:
                    extra = [cell_text(v)[0] if not isinstance(v, float) or math.isfinite(v) else str(v)
                             for v in chunk[i][max(used, 0):] if v != ""]
                    row = int(numbers[i])
                    issues.append(make_issue("too_many_cells", row, None, " | ".join(extra),
                                             cells=width_used + len(extra), expected=width_used))
                    skipped_rows.add(row)
            if not keep:
                continue
            kept = [chunk[i] for i in keep]
            kept_rows = numbers[keep]
            transposed = list(zip(*kept, strict=True))
            texts_by_column, flags_by_column = [], []
            for j in range(width_used):
                k = j - left
                if k < 0 or k >= full:
                    texts_by_column.append([""] * len(kept))
                    flags_by_column.append(np.zeros(len(kept), dtype=bool))
                    continue
                texts, flags, bad = _texts(transposed[k])
                for i in bad:
                    bad_cell(int(kept_rows[i]), j + 1, _NOT_FINITE)
                flag_array = np.asarray(flags, dtype=bool) if flags is not None else np.zeros(len(kept), bool)
                if scan.formats:
                    _apply_formats(scan.formats, j + 1, kept_rows, transposed[k], texts, flag_array, bad_cell)
                texts_by_column.append(texts)
                flags_by_column.append(flag_array)
            columns.add(kept_rows - first_data, texts_by_column, flags_by_column)
            last = max(last, int(kept_rows[-1]) - first_data)
            if progress:
                progress(0.5 * sheet_row / max(height + top, 1), t("progress_reading_sheet", lang))
    except (MemoryError, ReadError):
        raise
    except Exception as exc:  # CalamineError and its kin: the workbook's XML is not what it claims
        reason = _located(data, sheet, exc)
        cell = re.search(r"\b[A-Z]{1,3}([0-9]{1,7})\b", reason[1]) if reason[0] != reason[1] else None
        raise _damaged(reason, sheet.name, int(cell.group(1)) if cell else None) from None
    del rows, calamine_sheet, workbook  # the reader's copy of the sheet is freed before the table is built
    skipped = sorted(r - first_data for r in skipped_rows if r >= first_data)
    n_rows = max(last, skipped[-1] if skipped else -1) + 1
    table, numeric = columns.table(n_rows)
    return SheetTable(header[:width_used], table, top_index + 1, numeric, np.asarray(skipped, dtype=np.int64),
                      issues, sheet.name, merged)


def _apply_formats(formats: dict[tuple[int, int], str], column: int, rows: np.ndarray, values: tuple[Any, ...],
                   texts: list[str], flags: np.ndarray, bad_cell: Callable[[int, int, tuple[str, str]], None]) -> None:
    """Cells whose number format changes what they display (percent, year-only dates) are written again."""
    for i, row in enumerate(rows.tolist()):
        fmt = formats.get((row, column))
        if fmt is None:
            continue
        try:
            texts[i], flags[i] = cell_text(values[i], fmt)
        except _BadCell as bad:
            bad_cell(row, column, bad.reason)


_NUMBER_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)>\s*<v>([^<]*)</v>')


def _located(data: bytes, sheet: SheetInfo, exc: BaseException) -> tuple[str, str]:
    """Why calamine refused the sheet, with the first cell that explains it when one can be found."""
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            if "shared string" in reason.lower():
                return _shared_string_cell(book, sheet) or (reason, reason)
            for piece in _chunks(book, sheet.member, Limits.from_env()):
                for match in _NUMBER_CELL.finditer(piece):
                    kind = re.search(rb'\bt="([a-zA-Z]+)"', match.group(2))
                    if kind and kind.group(1) != b"n":
                        continue
                    text = match.group(3).decode(errors="replace")
                    try:
                        float(text)
                    except ValueError:
                        ref = match.group(1).decode()
                        return pair("reason_text_for_number", ref=ref, text=text[:40])
    except Exception:  # the search is a courtesy: the reason alone is reported
        pass
    return (reason, reason)


_SHARED_CELL = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*?\bt="s"[^>]*>\s*<v>([^<]*)</v>')


def _shared_string_cell(book: zipfile.ZipFile, sheet: SheetInfo) -> tuple[str, str] | None:
    """The first cell pointing past the end of the shared-strings table."""
    try:
        count = sum(piece.count(b"<si>") + piece.count(b"<si ") for piece in
                    _chunks(book, "xl/sharedStrings.xml", Limits.from_env()))
    except KeyError:
        count = 0
    for piece in _chunks(book, sheet.member, Limits.from_env()):
        for match in _SHARED_CELL.finditer(piece):
            index = match.group(2).decode(errors="replace")
            if not index.isdigit() or int(index) >= count:
                ref = match.group(1).decode()
                return pair("reason_shared_string", ref=ref, index=index[:20], count=count)
    return None

"""A file as it is laid out: every row from row 1, every column, every cell as text (a report table).

Report tables ("biểu") are not headed by row 1: a letterhead, a title, a header of up to three rows with
merged cells, a column-number row, footnotes and a signature block surround the figures. The adapters that
read them (`indicators.ingest.adapters`) need the whole sheet with its coordinates, so the analyst's own
cell names ("Biểu 01", row 12, column F) can be given back in every message. This module reads that grid
from CSV or XLSX under the same limits as `reading.read_table` (XLSX through the capped worker process).

>>> grid = read_grid("Chỉ tiêu,ĐVT,2023\\nDân số,người,\\"1.234\\"\\n".encode(), "b.csv")
>>> grid.height, grid.width, grid.cell(2, 3), grid.ref(2, 3)
(2, 3, '1.234', 'C2')
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from indicators.i18n import pair
from indicators.ingest.limits import Limits
from indicators.ingest.reading import _BINARY, _SEP_LINE, SAMPLE_BYTES, _decode, sniff_separator
from indicators.ingest.report import Issue
from indicators.ingest.xlsx import ReadError, SheetTable, check_zip, column_letters

__all__ = ["Grid", "ReadError", "head_grid", "is_workbook", "read_grid", "read_grids"]


@dataclass
class Grid:
    """A sheet (or CSV file) cell by cell. Coordinates are 1-based, as in Excel: `cell(row, column)`."""

    rows: list[list[str]]  # rows[i] is sheet row i + 1, padded to `width`; "" = empty
    filename: str = ""
    sheet: str = ""  # "" for a CSV file
    numeric: dict[int, np.ndarray] = field(default_factory=dict)  # XLSX: column -> per row, stored as a number
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1) inclusive
    issues: list[Issue] = field(default_factory=list)  # found while reading (hidden sheets, damaged cells)
    sha256: str = ""
    encoding: str = ""
    separator: str = ""

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def cell(self, row: int, column: int) -> str:
        """The text of a cell; "" outside the grid."""
        if 1 <= row <= len(self.rows) and 1 <= column <= len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return ""

    def is_number(self, row: int, column: int) -> bool:
        """Whether an XLSX cell was stored as a number (CSV: never known, always False)."""
        flags = self.numeric.get(column)
        return flags is not None and 1 <= row <= len(flags) and bool(flags[row - 1])

    def merged_origin(self, row: int, column: int) -> tuple[int, int]:
        """The top-left cell of the merged range holding (row, column); the cell itself when not merged."""
        for r0, c0, r1, c1 in self.merged:
            if r0 <= row <= r1 and c0 <= column <= c1:
                return r0, c0
        return row, column

    @staticmethod
    def ref(row: int, column: int) -> str:
        """The cell's name as Excel shows it: ref(12, 6) == 'F12'."""
        return f"{column_letters(column)}{row}"

    def where(self, row: int, column: int) -> str:
        """The cell with its sheet, as the analyst finds it: "'Biểu 01'!F12" (CSV: 'F12')."""
        return f"'{self.sheet}'!{self.ref(row, column)}" if self.sheet else self.ref(row, column)


def is_workbook(data: bytes, filename: str) -> bool:
    return data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm"))


def read_grid(data: bytes, filename: str, *, sheet: str | None = None, limits: Limits | None = None) -> Grid:
    """Read CSV or XLSX bytes into a `Grid`; raises `ReadError` (only) when it is not a table."""
    limits = limits or Limits.from_env()
    _check(data, limits)
    grid = _read_xlsx(data, sheet, limits) if is_workbook(data, filename) else _read_csv(data, limits)
    grid.filename, grid.sha256 = filename, hashlib.sha256(data).hexdigest()
    return grid


def head_grid(data: bytes, lines: int = 40) -> Grid:
    """The first lines of a CSV file as a Grid (to tell its format without reading it all); raises
    ReadError for a file that is not text, as `read_grid` would."""
    sample = _decode_head(data)
    if _BINARY.search(sample):
        raise ReadError("not_a_table", reason=pair("reason_binary"))
    declared = _SEP_LINE.match(sample)
    if declared:
        sample = sample[declared.end():]
    head = sample.splitlines(keepends=True)[:lines]
    if len(sample) >= SAMPLE_BYTES - 4 and len(head) > 1 and len(head) < lines:
        head = head[:-1]  # the last line may be cut short
    sep = declared.group(1) if declared else sniff_separator("".join(head))
    try:
        rows = list(csv.reader(io.StringIO("".join(head), newline=""), delimiter=sep, strict=False))
    except csv.Error:
        rows = []
    width = max((len(row) for row in rows), default=0)
    return Grid([[_clean(c) for c in row] + [""] * (width - len(row)) for row in rows], separator=sep)


def _decode_head(data: bytes) -> str:
    """The text of the file's first SAMPLE_BYTES, decoded as `reading._decode` would decode the whole file
    (UTF-8 with or without BOM, UTF-16, else Windows-1258), NFC — without touching the rest of the file."""
    head = data[:SAMPLE_BYTES]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4096]:
        return _decode(data)[2]  # UTF-16 (or binary): rare, and decoded whole as reading does
    if len(data) > SAMPLE_BYTES and b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)


#: Workbooks of one batch read by one worker process, up to this many bytes together.
BATCH_BYTES = 16 << 20


def read_grids(files: Sequence[tuple[bytes, str] | tuple[bytes, str, str | None]], *, sheet: str | None = None,
               limits: Limits | None = None) -> list[Grid | ReadError]:
    """Many files at once (the communes' forms of one round): one `Grid` or the `ReadError` saying why not,
    per file, in order; an item `(data, filename, sheet)` names its own sheet (several sheets of one
    workbook may be asked for), else `sheet`. Each file is bounded as `read_grid` bounds it; the workbooks
    are read by one capped worker per `BATCH_BYTES` rather than one each."""
    limits = limits or Limits.from_env()
    results: list[Grid | ReadError | None] = [None] * len(files)
    books: list[int] = []
    for i, (data, filename, *_) in enumerate(files):
        try:
            _check(data, limits)
        except ReadError as exc:
            results[i] = exc
            continue
        if is_workbook(data, filename):
            try:
                check_zip(data, limits)
            except ReadError as exc:
                results[i] = exc
                continue
            books.append(i)
        else:
            results[i] = _attempt(_read_csv, data, limits)
    from indicators.ingest.xlsx_worker import read_many_in_worker

    def sheet_of(item: tuple[Any, ...]) -> str | None:
        return item[2] if len(item) > 2 else sheet

    for chunk in _chunks(books, [len(files[i][0]) for i in books]):
        asked = [(files[i][0], sheet_of(files[i])) for i in chunk]
        for i, table in zip(chunk, read_many_in_worker(asked, limits, grid=True), strict=True):
            results[i] = table if isinstance(table, ReadError) else _from_sheet(table)
    out: list[Grid | ReadError] = []
    for (data, filename, *_), result in zip(files, results, strict=True):
        assert result is not None
        if isinstance(result, Grid):
            result.filename, result.sha256 = filename, hashlib.sha256(data).hexdigest()
        out.append(result)
    return out


def _chunks(indexes: list[int], sizes: list[int]) -> list[list[int]]:
    chunks: list[list[int]] = []
    total = BATCH_BYTES
    for index, size in zip(indexes, sizes, strict=True):
        if total + size > BATCH_BYTES:
            chunks.append([])
            total = 0
        chunks[-1].append(index)
        total += size
    return chunks


def _attempt(read: Callable[[bytes, Limits], Grid], data: bytes, limits: Limits) -> Grid | ReadError:
    try:
        return read(data, limits)
    except ReadError as exc:
        return exc


def _check(data: bytes, limits: Limits) -> None:
    if not data or (len(data) <= SAMPLE_BYTES and not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")):
        raise ReadError("empty_file")
    if len(data) > limits.file_mb * 1e6:
        raise ReadError("file_too_large", limit=f"{limits.file_mb:g}", setting=Limits.setting("file_mb"))
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ReadError("not_a_table", reason=pair("reason_old_xls"))


def _read_csv(data: bytes, limits: Limits) -> Grid:
    encoding, body, sample = _decode(data)
    if _BINARY.search(sample):
        raise ReadError("not_a_table", reason=pair("reason_binary"))
    text = bytes(body).decode("utf-8")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)  # once for the file, not per cell
    declared = _SEP_LINE.match(text)
    if declared:
        text = text[declared.end():]
    if "\x00" in text:
        raise ReadError("not_a_table", reason=pair("reason_binary"))
    sep = declared.group(1) if declared else sniff_separator(text[:SAMPLE_BYTES])
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False))
    except csv.Error as exc:
        raise ReadError("not_a_table", reason=(str(exc), str(exc))) from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ReadError("empty_file")
    width = max(len(row) for row in rows)
    if width > limits.columns:
        raise ReadError("too_many_columns", value=f"{column_letters(width)}1", where=pair("where_file"),
                        n=f"{width:,}", limit=f"{limits.columns:,}", setting=Limits.setting("columns"))
    if len(rows) > limits.rows:
        raise ReadError("too_many_rows", where=pair("where_file"), last_row=f"{len(rows):,}",
                        limit=f"{limits.rows:,}", setting=Limits.setting("rows"))
    rows = [[cell.strip() for cell in row] + [""] * (width - len(row)) for row in rows]
    return Grid(rows, encoding=encoding, separator=sep)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip() if not text.isascii() else text.strip()


def _read_xlsx(data: bytes, sheet: str | None, limits: Limits) -> Grid:
    from indicators.ingest.xlsx_worker import read_in_worker

    check_zip(data, limits)
    return _from_sheet(read_in_worker(data, sheet, limits, grid=True))


def _from_sheet(table: SheetTable) -> Grid:
    width = len(table.header)
    columns = [table.cells.column(j).to_pylist() for j in range(table.cells.num_columns)]
    n = table.cells.num_rows
    body = [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in range(n)]
    # the worker NFC-normalises the data rows (xlsx._nfc), not row 1: only the spaces around those go
    rows = [[_clean(c) for c in table.header], *([c.strip() for c in row] + [""] * (width - len(row)) for row in body)]
    while len(rows) > 1 and not any(rows[-1]):
        rows.pop()
    numeric = {j + 1: np.concatenate([[False], flags]) for j, flags in table.numeric.items()}
    return Grid(rows, sheet=table.sheet, numeric=numeric, merged=table.merged, issues=table.issues,
                encoding="xlsx")

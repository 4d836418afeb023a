"""Bytes from an analyst's file -> a raw all-text table; nothing is converted yet.

CSV files come from Excel on Vietnamese Windows: UTF-8 with or without BOM, UTF-16 "Unicode Text" (tab
separated, BOM), or Windows-1258, whose tone marks decode as combining characters — all text is
normalised to NFC. The separator (comma, semicolon, tab) is sniffed from the header. XLSX sheets are read
with openpyxl as the analyst sees them: 57.2 stays "57.2", 7000 stays "7000", dates become YYYY-MM-DD.
Every cell stays text ("001" is not 1; "NA" is not missing — only an empty cell is).

Fast path: pyarrow's multi-threaded CSV reader on UTF-8 bytes. Whenever it meets anything irregular
(a row with another number of cells, an odd number of quotes) the file is read again by pandas' C parser,
which numbers records as Excel does: short rows are padded, each longer row is reported
(`too_many_cells`) and left out, an unclosed quote raises `ReadError` naming the row where it opened.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from indicators.contract import canonical_header
from indicators.issues import Issue, make_issue

SEPARATORS = (",", ";", "\t")
SAMPLE_BYTES = 1 << 16
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_COMBINING_LEADS = (b"\xcc", b"\xcd")  # UTF-8 lead bytes of U+0300–U+037F (combining diacritics)
Progress = Callable[[float, str], None]


class ReadError(Exception):
    """The input is not a readable table (empty, binary, unclosed quote…); `row` points at the cause."""

    def __init__(self, code: str, row: int | None = None, value: str = "", **params: object) -> None:
        self.issue = make_issue(code, row, None, value, **params)
        super().__init__(self.issue.message_en)
        self.code, self.row = code, row
        self.message_vi, self.message_en = self.issue.message_vi, self.issue.message_en


@dataclass
class RawTable:
    """A table exactly as written: header cells and one string column per header cell ("" = empty).

    Data row `i` is Excel row `header_row + 1 + i`. Rows already reported while reading (too many cells)
    are listed in `skipped` and left out of every check.
    """

    header: list[str]
    cells: pa.Table  # string columns "0", "1", … ; data rows only
    header_row: int = 1
    numeric: dict[int, np.ndarray] = field(default_factory=dict)  # XLSX: column -> cell was a number
    skipped: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    issues: list[Issue] = field(default_factory=list)
    filename: str = ""
    encoding: str = ""
    separator: str = ""
    sha256: str = ""

    @property
    def n_rows(self) -> int:
        return self.cells.num_rows

    def column(self, index: int) -> pa.ChunkedArray:
        return self.cells.column(index)

    def to_frame(self) -> pd.DataFrame:
        """The raw cells as a DataFrame of text, headed as in the file, indexed by Excel row."""
        frame = self.cells.to_pandas()
        frame.columns = self.header
        frame.index = pd.RangeIndex(self.header_row + 1, self.header_row + 1 + self.n_rows, name="row")
        return frame


TEXT = pa.large_string()  # what pandas' str dtype holds: no cast when the frame is built


def _table(columns: list[list[str]]) -> pa.Table:
    return pa.table({str(i): pa.array(col, TEXT) for i, col in enumerate(columns)})


def _utf16(data: bytes) -> tuple[str, str] | None:
    """(encoding, text) for UTF-16 files, which always need decoding; None for other files."""
    sample = data[:4096]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif b"\x00" in sample and sample[1::2].count(0) > len(sample) // 3:
        encoding = "utf-16-le"
    elif b"\x00" in sample and sample[0::2].count(0) > len(sample) // 3:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return encoding, data.decode(encoding)
    except UnicodeDecodeError:
        raise ReadError("not_a_table", reason=("không đọc được dạng UTF-16", "it is not valid UTF-16")) from None


def _is_utf8(body: memoryview | bytes) -> bool:
    """Whether the bytes are valid UTF-8, checked by Arrow's vectorised validator (~2 GB/s)."""
    offsets = pa.py_buffer(np.array([0, len(body)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(body)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _decode(data: bytes) -> tuple[str, memoryview | bytes, str]:
    """(encoding, UTF-8 NFC bytes to parse, decoded sample). Valid UTF-8 stays bytes (zero copy) unless it
    holds combining marks; UTF-16 and Windows-1258 are decoded, normalised and re-encoded. Bytes that are
    not UTF-8 after some valid non-ASCII UTF-8 are a damaged file (`bad_encoding`), not Windows-1258."""
    utf16 = _utf16(data)
    if utf16:
        text = unicodedata.normalize("NFC", utf16[1].lstrip("\ufeff"))
        return utf16[0], text.encode("utf-8"), text[:SAMPLE_BYTES]
    encoding, start = ("utf-8-sig", 3) if data.startswith(b"\xef\xbb\xbf") else ("utf-8", 0)
    body = memoryview(data)[start:] if start else data
    if not _is_utf8(body):
        try:
            bytes(body).decode("utf-8")
        except UnicodeDecodeError as exc:
            if not bytes(body[: exc.start]).isascii():
                raise ReadError("bad_encoding", line=bytes(body[: exc.start]).count(b"\n") + 1) from None
        try:
            full = data[start:].decode("cp1258")
        except UnicodeDecodeError:
            raise ReadError("not_a_table", reason=("nội dung nhị phân", "binary content")) from None
        full = unicodedata.normalize("NFC", full)
        return "cp1258", full.encode("utf-8"), full[:SAMPLE_BYTES]
    if any(data.find(lead, start) >= 0 for lead in _COMBINING_LEADS):
        full = unicodedata.normalize("NFC", bytes(body).decode("utf-8"))
        return encoding, full.encode("utf-8"), full[:SAMPLE_BYTES]
    return encoding, body, bytes(body[:SAMPLE_BYTES]).decode("utf-8", errors="ignore")


def sniff_separator(sample: str) -> str:
    """The separator that splits the header into the most contract columns (then: the most cells)."""
    def score(sep: str) -> tuple[int, int]:
        header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=sep), [])
        return sum(canonical_header(h) is not None for h in header), len(header)

    return max(SEPARATORS, key=score)


def _fast(body: memoryview | bytes, sep: str, width: int) -> pa.Table | None:
    """All-string table by pyarrow (header row included), or None when a row is irregular."""
    if width == 0 or _quote_count(body) % 2:
        return None
    irregular: list[object] = []

    def on_invalid(row: object) -> str:
        irregular.append(row)
        return "skip"

    names = [f"f{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True, ignore_empty_lines=False,
                                              invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, TEXT), check_utf8=False,
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:
        return None
    return None if irregular else table


def _quote_count(body: memoryview | bytes, step: int = 1 << 22) -> int:
    view = memoryview(body)
    return sum(int(np.count_nonzero(np.frombuffer(view[i:i + step], np.uint8) == 34))
               for i in range(0, len(view), step))


_SKIPPED = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")
_EOF_IN_QUOTES = re.compile(r"EOF inside string starting at row (\d+)")


def _exact(body: memoryview | bytes, sep: str) -> tuple[pa.Table, list[Issue], np.ndarray]:
    """All-string table (header row included) by pandas' C parser, which numbers records as Excel does:
    short rows padded, each longer row reported and kept as an empty row so later rows keep their number."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pd.read_csv(io.BytesIO(body), sep=sep, header=None, dtype=str, na_filter=False,
                                keep_default_na=False, skip_blank_lines=False, engine="c", on_bad_lines="warn")
        except pd.errors.ParserError as exc:
            quote = _EOF_IN_QUOTES.search(str(exc))
            if quote:
                raise ReadError("unclosed_quote", row=int(quote.group(1)) + 1) from None
            raise ReadError("not_a_table", reason=(str(exc), str(exc))) from None
    long_rows = [tuple(map(int, m)) for w in caught for m in _SKIPPED.findall(str(w.message))]
    table = pa.table({str(i): pa.array(frame[col], TEXT) for i, col in enumerate(frame.columns)})
    issues = [make_issue("too_many_cells", row, None, cells=cells, expected=expected)
              for row, expected, cells in long_rows]
    skipped = np.array([row - 2 for row, _, _ in long_rows], dtype=np.int64)
    if long_rows:  # put an empty row where each longer row was
        total = table.num_rows + len(long_rows)
        keep = np.ones(total, dtype=bool)
        keep[skipped + 1] = False
        source = np.where(keep, np.cumsum(keep) - 1, -1)
        table = pa.table({name: pc.fill_null(col.take(pa.array(source, mask=~keep)), "")
                          for name, col in zip(table.column_names, table.columns, strict=True)})
    return table, issues, skipped


def _read_text(data: bytes) -> RawTable:
    encoding, body, sample = _decode(data)
    if _BINARY.search(sample):
        raise ReadError("not_a_table", reason=("nội dung nhị phân", "binary content"))
    if not sample.strip():
        raise ReadError("empty_file")
    sep = sniff_separator(sample)
    header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=sep), [])
    width = len(header)
    if not "".join(header).strip():
        raise ReadError("not_a_table", reason=("dòng 1 (tiêu đề) trống", "row 1 (the header) is empty"))
    table = _fast(body, sep, width)
    issues: list[Issue] = []
    skipped = np.zeros(0, dtype=np.int64)
    if table is None:
        table, issues, skipped = _exact(body, sep)
    header = [h for h in table.slice(0, 1).to_pylist()[0].values()]
    cells = table.slice(1).rename_columns([str(i) for i in range(table.num_columns)])
    return RawTable(header, cells, skipped=skipped, issues=issues, encoding=encoding, separator=sep)


def read_table(data: bytes, filename: str, *, sheet: str | None = None,
               progress: Progress | None = None) -> RawTable:
    """Read CSV or XLSX bytes into a `RawTable`; raises `ReadError` (only) when it is not a table.

    `sheet` names the XLSX sheet (default: the first); `progress(fraction, message)` hears about long
    XLSX reads (fractions up to 0.5).
    """
    if not data or (len(data) <= SAMPLE_BYTES and not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")):
        raise ReadError("empty_file")
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing releases the GIL: it overlaps the parsing
        digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        raw = _parse(data, filename, sheet, progress)
        raw.filename, raw.sha256 = filename, digest.result()
    return raw


def _parse(data: bytes, filename: str, sheet: str | None, progress: Progress | None) -> RawTable:
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        raw = _read_xlsx(data, sheet, progress)
    elif data[:4] == b"\xd0\xcf\x11\xe0":
        raise ReadError("not_a_table", reason=("tệp Excel .xls cũ: lưu lại dạng .xlsx hoặc CSV",
                                               "an old .xls workbook: save it as .xlsx or CSV"))
    else:
        raw = _read_text(data)
    raw.header = [unicodedata.normalize("NFC", h).strip().lstrip("\ufeff") for h in raw.header]
    return raw


# --- XLSX ------------------------------------------------------------------------------------------
def _number_text(value: float, number_format: str) -> str:
    """An Excel number as displayed, without float noise: 57.2 -> '57.2', 7000 -> '7000', 0.5 as % -> '50%'."""
    suffix = ""
    if "%" in number_format:
        value, suffix = value * 100, "%"
    elif isinstance(value, int):
        return str(value)
    text = f"{value:.15g}"
    if "e" in text:
        text = format(Decimal(text), "f")
    return text + suffix


def _date_text(value: dt.datetime | dt.date, number_format: str) -> str:
    """A date cell as displayed at the contract's precision: 'yyyy' -> '2023', 'mm/yyyy' -> '2023-06'."""
    fmt = re.sub(r'"[^"]*"|\[[^]]*]', "", number_format.lower())
    if "d" not in fmt and "y" in fmt:
        return f"{value.year:04d}-{value.month:02d}" if "m" in fmt else f"{value.year:04d}"
    if isinstance(value, dt.datetime) and value.time() != dt.time():
        return value.isoformat(sep=" ")
    return value.strftime("%Y-%m-%d")


def _cell_text(cell: Any) -> tuple[str, bool]:
    """(text as displayed, whether the cell holds an Excel number)."""
    value, number_format = cell.value, getattr(cell, "number_format", None) or "General"
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int | float):
        return _number_text(value, number_format), True
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value, number_format), False
    return unicodedata.normalize("NFC", str(value)), False


def _header_index(rows: list[list[str]]) -> int:
    """The header: the first of the first 20 rows naming 3+ contract columns, else the first non-empty."""
    for i, row in enumerate(rows[:20]):
        if sum(canonical_header(cell) is not None for cell in row if cell) >= 3:
            return i
    for i, row in enumerate(rows):
        if any(cell.strip() for cell in row):
            return i
    raise ReadError("empty_file")


def _sheet_rows(data: bytes, sheet: str | None, progress: Progress | None) -> tuple[list[list[str]], list[list[bool]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on bytes that are not a workbook
        raise ReadError("not_a_table", reason=("không mở được dạng XLSX", "not a readable XLSX workbook")) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ReadError("missing_sheet", value=sheet, sheets=", ".join(book.sheetnames))
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        total = worksheet.max_row or 0
        texts, numbers = [], []
        for n, row in enumerate(worksheet.iter_rows(min_row=1), start=1):
            cells = [_cell_text(cell) for cell in row]
            texts.append([text for text, _ in cells])
            numbers.append([number for _, number in cells])
            if progress and total and n % 20_000 == 0:
                progress(0.5 * n / total, "Đang đọc trang tính…")
    finally:
        book.close()
    return texts, numbers


def _read_xlsx(data: bytes, sheet: str | None, progress: Progress | None) -> RawTable:
    texts, numbers = _sheet_rows(data, sheet, progress)
    top = _header_index(texts)
    header = texts[top]
    width = max(i + 1 for i, cell in enumerate(header) if cell.strip())
    rows, issues, skipped, numeric_rows = [], [], [], []
    for i, (row, number) in enumerate(zip(texts[top + 1:], numbers[top + 1:], strict=True)):
        extra = [cell for cell in row[width:] if cell.strip()]
        if extra:
            issues.append(make_issue("too_many_cells", top + 2 + i, None, " | ".join(extra),
                                     cells=width + len(extra), expected=width))
            skipped.append(i)
            row, number = [], []
        rows.append((row + [""] * width)[:width])
        numeric_rows.append((number + [False] * width)[:width])
    columns = [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]
    mask = np.array(numeric_rows, dtype=bool).reshape(len(rows), width)
    numeric = {j: mask[:, j] for j in range(width) if mask[:, j].any()}
    return RawTable(header[:width], _table(columns), top + 1, numeric, np.asarray(skipped, dtype=np.int64),
                    issues, encoding="xlsx")


def sheet_names(data: bytes) -> list[str]:
    """The sheets of an XLSX workbook, in order ([] when the bytes are not a readable workbook)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # not a workbook: the validation report will say so
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()

"""Bytes from an analyst's file -> a raw all-text table; nothing is converted yet.

CSV files come from Excel on Vietnamese Windows: UTF-8 with or without BOM, UTF-16 "Unicode Text" (tab
separated, BOM), or Windows-1258, whose tone marks decode as combining characters — all text is
normalised to NFC; a Windows-1258 file holding a UTF-8 line is refused (`mixed_encoding`). The separator
(comma, semicolon, tab) is sniffed from the header, or read from Excel's `sep=;` first line. XML, HTML and
JSON files are named as such. XLSX sheets are read by `indicators.ingest.xlsx` (python-calamine, in a capped
worker process) as the analyst sees them: 57.2 stays "57.2", 7000 stays "7000", dates become YYYY-MM-DD.
Every read is bounded by `limits.Limits` (file size, rows, columns; for workbooks also unpacked size,
compression ratio and cells).
Every cell stays text ("001" is not 1; "NA" is not missing — only an empty cell is).

Fast path: pyarrow's multi-threaded CSV reader on UTF-8 bytes. Whenever it meets anything irregular
(a row with another number of cells, an odd number of quotes) the file is read again by pandas' C parser,
which numbers records as Excel does: short rows are padded, each longer row is reported
(`too_many_cells`) and left out, an unclosed quote raises `ReadError` naming the row where it opened.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from indicators.callbacks import ProgressCallback
from indicators.contract import canonical_header
from indicators.i18n import pair
from indicators.ingest.limits import Limits
from indicators.ingest.report import Issue, make_issue
from indicators.ingest.xlsx import ReadError, check_zip, column_letters
from indicators.ingest.xlsx import sheet_names as sheet_names  # the upload page asks reading for the sheets

SEPARATORS = (",", ";", "\t")
SAMPLE_BYTES = 1 << 16
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_COMBINING_LEADS = (b"\xcc", b"\xcd")  # UTF-8 lead bytes of U+0300–U+037F (combining diacritics)


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
        raise ReadError("not_a_table", reason=pair("reason_not_utf16")) from None


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
        _no_utf8_lines(bytes(body))
        try:
            full = data[start:].decode("cp1258")
        except UnicodeDecodeError:
            raise ReadError("not_a_table", reason=pair("reason_binary")) from None
        full = unicodedata.normalize("NFC", full)
        return "cp1258", full.encode("utf-8"), full[:SAMPLE_BYTES]
    if any(data.find(lead, start) >= 0 for lead in _COMBINING_LEADS):
        full = unicodedata.normalize("NFC", bytes(body).decode("utf-8"))
        return encoding, full.encode("utf-8"), full[:SAMPLE_BYTES]
    return encoding, body, bytes(body[:SAMPLE_BYTES]).decode("utf-8", errors="ignore")


def _no_utf8_lines(body: bytes) -> None:
    """A Windows-1258 file must not hold a line of UTF-8 text (a row pasted from another file): decoded as
    Windows-1258 it would be stored as mojibake ("Chá»‰ tiĂªu"). Raises `mixed_encoding` naming it."""
    for number, line in enumerate(body.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        raise ReadError("mixed_encoding", line=number)


_SEP_LINE = re.compile(r"\Asep=(.)\r?\n")


def _structured_kind(sample: str) -> str | None:
    """'XML', 'HTML' or 'JSON' when the text is one of those rather than a table."""
    head = sample.lstrip()[:1024]
    lower = head.lower()
    if lower.startswith(("<!doctype html", "<html")) or ("<html" in lower and head.startswith("<")):
        return "HTML"
    if head.startswith("<"):
        return "XML"
    if head.startswith(("{", "[")):
        return "JSON"
    return None


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


def _read_text(data: bytes, limits: Limits) -> RawTable:
    encoding, body, sample = _decode(data)
    if _BINARY.search(sample):
        raise ReadError("not_a_table", reason=pair("reason_binary"))
    if not sample.strip():
        raise ReadError("empty_file")
    declared = _SEP_LINE.match(sample)  # Excel's "sep=;" first line: the separator, not a row
    if declared:
        skip = len(declared.group(0).encode("utf-8"))
        body, sample = memoryview(body)[skip:], sample[declared.end():]
    sep = declared.group(1) if declared else sniff_separator(sample)
    header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=sep), [])
    width = len(header)
    kind = _structured_kind(sample)
    if kind and sum(canonical_header(h) is not None for h in header) < 3:
        raise ReadError("structured_file", kind=kind)
    if not "".join(header).strip():
        raise ReadError("not_a_table", reason=pair("reason_empty_header"))
    if width > limits.columns:
        raise ReadError("too_many_columns", value=f"{column_letters(width)}1", where=pair("where_file"),
                        n=f"{width:,}", limit=f"{limits.columns:,}", setting=Limits.setting("columns"))
    table = _fast(body, sep, width)
    issues: list[Issue] = []
    skipped = np.zeros(0, dtype=np.int64)
    if table is None:
        table, issues, skipped = _exact(body, sep)
    if table.num_rows - 1 > limits.rows:
        raise ReadError("too_many_rows", where=pair("where_file"), last_row=f"{table.num_rows:,}",
                        limit=f"{limits.rows:,}", setting=Limits.setting("rows"))
    header = [h for h in table.slice(0, 1).to_pylist()[0].values()]
    cells = table.slice(1).rename_columns([str(i) for i in range(table.num_columns)])
    return RawTable(header, cells, skipped=skipped, issues=issues, encoding=encoding, separator=sep)


def read_table(data: bytes, filename: str, *, sheet: str | None = None,
               progress: ProgressCallback | None = None, limits: Limits | None = None) -> RawTable:
    """Read CSV or XLSX bytes into a `RawTable`; raises `ReadError` (only) when it is not a table.

    `sheet` names the XLSX sheet (default: the first visible one); `progress(fraction, message)` hears
    how far it got; `limits` bound the work (default: `Limits.from_env()`).
    """
    limits = limits or Limits.from_env()
    if not data or (len(data) <= SAMPLE_BYTES and not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe")):
        raise ReadError("empty_file")
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashing releases the GIL: it overlaps the parsing
        digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        raw = _parse(data, filename, sheet, limits)
        raw.filename, raw.sha256 = filename, digest.result()
    return raw


def _parse(data: bytes, filename: str, sheet: str | None, limits: Limits) -> RawTable:
    if len(data) > limits.file_mb * 1e6:
        raise ReadError("file_too_large", limit=f"{limits.file_mb:g}", setting=Limits.setting("file_mb"))
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        raw = _read_xlsx(data, sheet, limits)
    elif data[:4] == b"\xd0\xcf\x11\xe0":
        raise ReadError("not_a_table", reason=pair("reason_old_xls"))
    else:
        raw = _read_text(data, limits)
    raw.header = [unicodedata.normalize("NFC", h).strip().lstrip("\ufeff") for h in raw.header]
    return raw


# --- XLSX ------------------------------------------------------------------------------------------
def _read_xlsx(data: bytes, sheet: str | None, limits: Limits) -> RawTable:
    """The workbook's sheet, bounded (xlsx.check_zip here, the rest in a capped worker process)."""
    from indicators.ingest.xlsx_worker import read_in_worker

    check_zip(data, limits)
    table = read_in_worker(data, sheet, limits)
    return RawTable(table.header, table.cells, table.header_row, table.numeric, table.skipped, table.issues,
                    encoding="xlsx")

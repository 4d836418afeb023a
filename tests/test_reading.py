"""Reading real files: encodings, separators, quotes, short and long rows, XLSX cells as displayed."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import unicodedata

import openpyxl
import pytest

from indicators.ingest.reading import ReadError, read_table, sniff_separator

HEADER = "indicator_id,indicator,value,note\n"


def cells(data: bytes, filename: str = "f.csv", **kwargs: object) -> list[list[str]]:
    raw = read_table(data, filename, **kwargs)  # type: ignore[arg-type]
    return raw.to_frame().to_numpy().tolist()


def xlsx(rows: list[list[object]], formats: dict[str, str] | None = None, title: str = "Data",
         more_sheets: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    for name in more_sheets:
        book.create_sheet(name).append(["indicator_id", "value"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_text_stays_text() -> None:
    data = (HEADER + 'a,"Tên, có dấu phẩy",001,NA\nb,None,1.234,""\n').encode()
    assert cells(data) == [["a", "Tên, có dấu phẩy", "001", "NA"], ["b", "None", "1.234", ""]]


def test_quoted_newlines_keep_excel_row_numbers() -> None:
    data = (HEADER + 'a,"two\nlines",1,"say ""hi"""\nb,x,2,\n').encode()
    raw = read_table(data, "f.csv")
    frame = raw.to_frame()
    assert frame.index.tolist() == [2, 3]
    assert frame.loc[2, "indicator"] == "two\nlines" and frame.loc[2, "note"] == 'say "hi"'


def test_short_rows_are_padded_without_shifting() -> None:
    data = (HEADER + "a,x,1,n\nb,y\nc,z,3,m\n").encode()
    assert cells(data) == [["a", "x", "1", "n"], ["b", "y", "", ""], ["c", "z", "3", "m"]]


def test_longer_rows_are_reported_and_left_out_keeping_later_row_numbers() -> None:
    data = HEADER + 'a,x,57,2,n\nb,"two\nlines",3,m\nc,y,4,,\nd,z,5,k\n'
    raw = read_table(data.encode(), "f.csv")
    assert [(i.code, i.row) for i in raw.issues] == [("too_many_cells", 2), ("too_many_cells", 4)]
    assert "5 cells" in raw.issues[0].message_en and "4 columns" in raw.issues[0].message_en
    assert raw.skipped.tolist() == [0, 2]
    frame = raw.to_frame()
    assert frame.loc[3].tolist() == ["b", "two\nlines", "3", "m"] and frame.loc[5].tolist() == ["d", "z", "5", "k"]
    assert frame.loc[2].tolist() == frame.loc[4].tolist() == ["", "", "", ""]


@pytest.mark.parametrize(
    ("body", "row"),
    [('a,x,1,n\nb,"unclosed,2,m\nc,z,3,k\n', 3), ('a,x,1,n\nb,y,2,"unclosed\n', 3),
     ('a,x,1,n\nb,y,2,"unclosed', 3), ('a,"' + "x" * 200_000 + "\n", 2)],
)
def test_an_unclosed_quote_names_its_row(body: str, row: int) -> None:
    with pytest.raises(ReadError) as caught:
        read_table((HEADER + body).encode(), "f.csv")
    assert (caught.value.code, caught.value.row) == ("unclosed_quote", row)
    assert f"row {row}" in caught.value.message_en


def test_a_stray_quote_after_a_quoted_field_is_read_as_excel_does() -> None:
    assert cells((HEADER + 'a,"x"y,1,n\n').encode()) == [["a", "xy", "1", "n"]]


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "empty_file"), (b" \r\n\r\n", "empty_file"), (b"\xef\xbb\xbf", "empty_file"),
     (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_a_table"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
                                                                "not_a_table"),
     (b"PK\x03\x04garbage", "not_a_table")],
)
def test_not_a_table(data: bytes, code: str) -> None:
    with pytest.raises(ReadError) as caught:
        read_table(data, "f.csv")
    assert caught.value.code == code and caught.value.message_vi and caught.value.message_en


def test_invalid_utf8_after_valid_vietnamese_utf8_names_the_line() -> None:
    data = (HEADER + "a,Huyện,1,n\n" * 10_000).encode() + b"b,\xff\xfe,2,m\n"
    with pytest.raises(ReadError) as caught:
        read_table(data, "f.csv")
    assert caught.value.code == "bad_encoding" and "10002" in caught.value.message_en


def test_ascii_then_windows_1258_bytes_is_windows_1258() -> None:
    data = (HEADER + "a,x,1,n\n" * 10_000).encode() + "b,Xa\u0303,2,m\n".encode("cp1258")  # Xã
    raw = read_table(data, "f.csv")
    assert raw.encoding == "cp1258" and raw.to_frame().iloc[-1].tolist() == ["b", "Xã", "2", "m"]


def test_windows_1258_is_decoded_and_normalised_to_nfc() -> None:
    decomposed = "Đi\u0323a ba\u0300n;Gia\u0301 tri\u0323\nHuyê\u0323n Kim Sơn;57,2\n"  # as Windows writes
    raw = read_table(decomposed.encode("cp1258"), "f.csv")
    assert raw.encoding == "cp1258" and raw.separator == ";"
    assert raw.header == ["Địa bàn", "Giá trị"]
    assert raw.to_frame().iloc[0, 0] == unicodedata.normalize("NFC", "Huyện Kim Sơn")


def test_decomposed_utf8_is_normalised_to_nfc() -> None:
    text = unicodedata.normalize("NFD", "indicator,area\nx,Huyện Kim Sơn\n")
    raw = read_table(text.encode(), "f.csv")
    assert raw.to_frame().iloc[0, 1] == unicodedata.normalize("NFC", "Huyện Kim Sơn")


@pytest.mark.parametrize(
    ("text", "sep"),
    [("indicator_id;indicator;value\nx;a, b;57,2\n", ";"), ("Mã chỉ tiêu\tChỉ tiêu\tGiá trị\n", "\t"),
     ("indicator_id,value\n", ","), ("a,b;c\n", ",")],
)
def test_sniff_separator(text: str, sep: str) -> None:
    assert sniff_separator(text) == sep


def test_utf16_without_bom() -> None:
    raw = read_table("indicator_id\tvalue\nx\t1\n".encode("utf-16-le"), "f.txt")
    assert raw.separator == "\t" and raw.to_frame().iloc[0].tolist() == ["x", "1"]


def test_xlsx_cells_as_displayed() -> None:
    data = xlsx([
        ["indicator_id", "value", "of_total", "period", "note"],
        ["x", 57.2, 7000, dt.datetime(2023, 12, 31), "001"],
        ["y", 0.1 + 0.2, 1e20, 2023, None],
        ["z", 0.572, 23, dt.datetime(2023, 1, 1), True],
    ], formats={"B4": "0.0%", "D4": "yyyy"})
    raw = read_table(data, "book.xlsx")
    assert raw.encoding == "xlsx" and raw.header_row == 1
    assert raw.to_frame().to_numpy().tolist() == [
        ["x", "57.2", "7000", "2023-12-31", "001"],
        ["y", "0.3", "100000000000000000000", "2023", ""],
        ["z", "57.2%", "23", "2023", "TRUE"],
    ]
    assert raw.numeric[1].tolist() == [True, True, True] and 4 not in raw.numeric


def test_xlsx_title_rows_above_the_header_keep_sheet_row_numbers() -> None:
    data = xlsx([["BÁO CÁO CHỈ TIÊU"], [], ["indicator_id", "indicator", "value"], ["x", "X", 1], ["y", "Y", 2, "extra"]])
    raw = read_table(data, "book.xlsx")
    assert raw.header_row == 3 and raw.header == ["indicator_id", "indicator", "value"]
    assert raw.to_frame().index.tolist() == [4, 5]
    assert [(i.code, i.row) for i in raw.issues] == [("too_many_cells", 5)]


def test_xlsx_sheet_starting_below_row_1_keeps_its_row_and_column_numbers() -> None:
    """Nothing in row 1 or column A: python-calamine starts its rows at row 1 but its columns at the first
    used one — the header is still row 2 and the first cell still column B (it was read as row 3)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for j, text in enumerate(["indicator_id", "indicator", "value"], start=2):
        sheet.cell(2, j, text)
        sheet.cell(3, j, {2: "x", 3: "X", 4: 5}[j])
    out = io.BytesIO()
    book.save(out)
    raw = read_table(out.getvalue(), "book.xlsx")
    assert raw.header_row == 2 and raw.header == ["", "indicator_id", "indicator", "value"]
    assert raw.to_frame().index.tolist() == [3]


def test_xlsx_named_sheet_and_missing_sheet() -> None:
    data = xlsx([["a"]], more_sheets=("Số liệu",))
    assert read_table(data, "b.xlsx", sheet="Số liệu").header == ["indicator_id", "value"]
    with pytest.raises(ReadError) as caught:
        read_table(data, "b.xlsx", sheet="Nope")
    assert caught.value.code == "missing_sheet" and "Số liệu" in caught.value.message_en


def test_sha256_and_metadata() -> None:
    data = b"indicator_id,value\nx,1\n"
    raw = read_table(data, "a.csv")
    assert raw.sha256 == hashlib.sha256(data).hexdigest()
    assert (raw.filename, raw.encoding, raw.separator) == ("a.csv", "utf-8", ",")


def test_xlsx_shared_strings_and_styled_cells_as_excel_writes_them() -> None:
    """xlsxwriter, like Excel, keeps text in the shared-strings part and writes a style index on each
    formatted cell: the reader finds the cells whose format changes their display."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("S")
    percent, year, month = (book.add_format({"num_format": f}) for f in ("0.0%", "yyyy", "mm/yyyy"))
    sheet.write_row(0, 0, ["indicator_id", "value", "period", "note"], book.add_format({"bold": True}))
    sheet.write(1, 0, "x")
    sheet.write_number(1, 1, 0.572, percent)
    sheet.write_datetime(1, 2, dt.datetime(2023, 6, 30), year)
    sheet.write(1, 3, "001")
    sheet.write(2, 0, "y")
    sheet.write_number(2, 1, 57.2)
    sheet.write_datetime(2, 2, dt.datetime(2023, 6, 30), month)
    sheet.write_number(2, 3, 1e20)
    book.close()
    raw = read_table(out.getvalue(), "b.xlsx")
    assert raw.to_frame().to_numpy().tolist() == [["x", "57.2%", "2023", "001"],
                                                  ["y", "57.2", "2023-06", "100000000000000000000"]]
    assert raw.numeric[1].tolist() == [True, True] and raw.numeric[3].tolist() == [False, True]

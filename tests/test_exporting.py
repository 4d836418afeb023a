"""Exports: contract v1 columns, UTF-8 with BOM, numbers as numbers, formula-safe text."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from indicators import contract
from indicators.present.export import defuse, to_csv_bytes, to_xlsx_bytes
from tests.frames import make_frame


@pytest.mark.parametrize(("text", "expected"), [
    ("=HYPERLINK(\"http://evil\",\"bấm\")", "'=HYPERLINK(\"http://evil\",\"bấm\")"),
    ("+84 912 345", "'+84 912 345"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tindent", "'\tindent"), ("\rreturn", "'\rreturn"),
    ("Báo cáo", "Báo cáo"), ("", ""), ("a=b", "a=b"), (" =spaced", "' =spaced"), ("\u00a0 @x", "'\u00a0 @x"),
])
def test_defuse(text: str, expected: str) -> None:
    assert defuse(text) == expected


def _frame() -> pd.DataFrame:
    frame = make_frame(12)
    frame.loc[0, "source"] = '=HYPERLINK("http://x","y")'
    frame.loc[0, "value"] = -3.5
    frame.loc[0, "qualifier"] = ""
    return frame


def test_csv_columns_encoding_and_safety() -> None:
    data = to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(table.columns) == list(contract.COLUMN_NAMES)
    first = table.iloc[0]
    assert first["source"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert first["value"] == "-3.5"  # a negative number stays a number
    assert first["of_total"] == "23"
    assert table.iloc[1]["value"].startswith(">") and table.iloc[1]["of_total"] == ""
    assert table.iloc[2]["source"] == "'+84 912" and table.iloc[4]["source"] == "'-"
    assert "Tỷ lệ hộ nghèo số 0" in data.decode("utf-8-sig")
    assert b"\r\n" in data and not any(c in data.decode("utf-8-sig") for c in ("e-0", "e+"))


def test_xlsx_numbers_stay_numbers_and_text_is_safe() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(_frame()))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(contract.COLUMN_NAMES)
    header = {name: i for i, name in enumerate(rows[0])}
    first = rows[1]
    assert first[header["value"]] == -3.5 and first[header["of_total"]] == 23
    assert first[header["source"]] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert isinstance(rows[2][header["value"]], str) and rows[2][header["value"]].startswith(">")
    assert rows[2][header["of_total"]] is None
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


@pytest.mark.parametrize("export", [to_csv_bytes, to_xlsx_bytes])
def test_export_reads_back_to_the_same_frame(tmp_path, export) -> None:
    validation = pytest.importorskip("indicators.ingest.validate")
    frame = make_frame(60)
    frame = frame[~frame["source"].str.startswith(("=", "+", "-", "@"))].reset_index(drop=True)
    frame["row"] = range(2, len(frame) + 2)
    path = tmp_path / ("export.csv" if export is to_csv_bytes else "export.xlsx")
    path.write_bytes(export(frame))
    pd.testing.assert_frame_equal(validation.load_file(path), frame, check_exact=True)

"""Download a version as contract v2 CSV or XLSX — formula-safe.

Only the contract's columns are written, in contract order; a value keeps its qualifier (">57.2").
Spreadsheet programs execute text that starts with `=`, `+`, `-`, `@`, tab or CR as a formula ("CSV
injection"; some trim leading spaces first), so such text cells get a leading `'`. Numbers are written as numbers (never prefixed), so a
negative value stays a number.

CSV: UTF-8 with a BOM (Excel then reads Vietnamese correctly), comma-separated, CRLF line ends, numbers
with a decimal point and no thousands separator, never in scientific notation.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from openpyxl import Workbook

from indicators import contract
from indicators.frame import FLOAT_COLUMNS, conform
from indicators.store.diff import numbers_text

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE = "indicators"


def defuse(text: str) -> str:
    """'=HYPERLINK(…)' -> "'=HYPERLINK(…)", also after leading spaces (' =cmd' -> "' =cmd"); other text
    unchanged."""
    return "'" + text if text.lstrip(" \u00a0\n").startswith(FORMULA_STARTS) else text


def _defused(values: pd.Series) -> np.ndarray:
    return np.array([defuse(v) for v in values.to_numpy(dtype=object)], dtype=object)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The dataset as contract v2 CSV bytes (UTF-8 with BOM), formula-safe."""
    frame = conform(frame)
    out = pd.DataFrame(index=frame.index)
    for name in contract.COLUMN_NAMES:
        if name == "value":
            out[name] = frame["qualifier"].to_numpy(dtype=object) + numbers_text(frame["value"].to_numpy())
        elif name in FLOAT_COLUMNS:
            out[name] = numbers_text(frame[name].to_numpy())
        else:
            out[name] = _defused(frame[name])
    text = out.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """The dataset as a one-sheet XLSX workbook (openpyxl), formula-safe; numbers stay numbers."""
    frame = conform(frame)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.append(list(contract.COLUMN_NAMES))
    columns = []
    for name in contract.COLUMN_NAMES:
        if name == "value":
            qualified = frame["qualifier"] != ""
            numbers = frame["value"].to_numpy(dtype=object)
            text = frame["qualifier"].to_numpy(dtype=object) + numbers_text(frame["value"].to_numpy())
            columns.append(np.where(qualified, text, numbers))  # ">57.2" is text, 57.2 a number
        elif name in FLOAT_COLUMNS:
            columns.append(frame[name].to_numpy(dtype=object))
        else:
            columns.append(_defused(frame[name]))
    for record in zip(*columns, strict=True):
        sheet.append([None if isinstance(v, float) and v != v else v for v in record])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""Validation and commit agree (issue 7, item 3): whatever `validate` accepts, the store keeps and `export`
writes back identically — generated files are validated, committed to a temporary SQLite store,
exported and read again, and the rows must be equal.

Text never starts with a formula character (= + - @ tab CR): export prefixes those with "'" on purpose.
Before issue 7 this failed: a 400-digit value was accepted, stored as +inf and exported as "inf".
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indicators.contract import COLUMN_NAMES, KEY
from indicators.ingest.validate import validate_bytes
from indicators.present.export import to_csv_bytes, to_xlsx_bytes
from indicators.store.versions import Store

LETTERS = "\x00abcxyzĐđăâêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ ABCXYZ0129,;.\"'()/%&<>"
words = st.text(alphabet=LETTERS, min_size=1, max_size=12).map(str.strip).filter(bool)
multiline = st.lists(words, min_size=1, max_size=3).map("\n".join)
numbers = st.builds(lambda whole, frac, q: f"{q}{whole}" + (f".{frac}" if frac else ""),
                    st.integers(-10**12, 10**12).map(str), st.sampled_from(["", "5", "25", "125", "000001"]),
                    st.sampled_from(["", ">", "<=", "~"]))
PERIODS = ["2020", "2021-06", "2022-03-15", "31/12/2023", "2025"]
COLUMNS = ["indicator_id", "indicator", "group", "unit", "area", "period", "kind", "value", "of_total",
           "direction", "source", "note"]


@st.composite
def datasets(draw: st.DrawFn) -> list[dict[str, str]]:
    ids = draw(st.lists(st.sampled_from(["a", "b_1", "chi_tieu_2"]), min_size=1, max_size=3, unique=True))
    meta = {i: {"indicator": draw(words), "group": draw(words), "unit": draw(words)} for i in ids}
    rows, keys = [], set()
    for _ in range(draw(st.integers(1, 12))):
        row = {"indicator_id": draw(st.sampled_from(ids)), "area": draw(words), "period": draw(st.sampled_from(PERIODS)),
               "kind": draw(st.sampled_from(["actual", "baseline", "target", "estimate"]))}
        key = (row["indicator_id"], row["area"], row["period"], row["kind"])
        if key in keys:
            continue
        keys.add(key)
        rows.append({**row, **meta[row["indicator_id"]], "value": draw(st.one_of(numbers, st.just("1" + "0" * 400))),
                     "of_total": draw(st.sampled_from(["", "23", "1250.5"])), "direction": "increase",
                     "source": draw(multiline), "note": draw(st.one_of(st.just(""), multiline))})
    return rows


def as_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    keys = ["period_end" if k == "period" else k for k in KEY]
    columns = [c for c in (*COLUMN_NAMES, "qualifier", "period_end") if c != "period"]
    return frame[columns].sort_values(keys).reset_index(drop=True)


def roundtrip(data: bytes, filename: str, generated: bool = True) -> None:
    first = validate_bytes(data, filename)
    if generated:
        assume(first.report.valid)  # the property is about what validation accepts
    assert first.report.valid, first.report.to_lines("en")
    assert first.frame is not None
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{Path(tmp) / 's.sqlite'}") as store:
        store.ensure_schema()
        info = store.commit(first.frame, user="t", comment="c", filename=filename, sha256=first.sha256)
        stored = store.load(info.version)
    assert len(stored) == first.report.rows
    pd.testing.assert_frame_equal(comparable(stored), comparable(first.frame), check_dtype=False)
    again = validate_bytes(to_csv_bytes(stored), "export.csv")
    assert again.report.valid, again.report.to_lines("en")
    assert again.frame is not None
    pd.testing.assert_frame_equal(comparable(again.frame), comparable(first.frame), check_dtype=False)
    assert np.isfinite(again.frame["value"].dropna()).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rows=datasets())
def test_what_validate_accepts_is_stored_and_exported_identically(rows: list[dict[str, str]]) -> None:
    roundtrip(as_csv(rows), "generated.csv")


def test_the_same_holds_for_a_workbook_and_its_xlsx_export() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append(["a", "Tỷ lệ", "Xã hội", "%", "Xã Ân Hoà", 2023, "actual", 57.2, None, "tăng", "Báo cáo\n2023", ""])
    sheet.append(["a", "Tỷ lệ", "Xã hội", "%", "Xã Ân Hoà", "2025", "target", 0.5, None, "tăng", "Nghị quyết", "x"])
    sheet.append(["a", "Tỷ lệ", "Xã hội", "%", "Xã Ân Hoà", "2020", "baseline", 1e15, 2e15, "tăng", "s", ""])
    sheet["H3"].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    roundtrip(out.getvalue(), "book.xlsx", generated=False)
    first = validate_bytes(out.getvalue(), "book.xlsx")
    assert first.frame is not None
    assert first.frame["value"].tolist() == [57.2, 50.0, 1e15]
    again = validate_bytes(to_xlsx_bytes(first.frame), "export.xlsx")
    assert again.frame is not None
    pd.testing.assert_frame_equal(comparable(again.frame), comparable(first.frame), check_dtype=False)

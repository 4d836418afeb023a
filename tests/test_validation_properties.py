"""Properties: whatever bytes or table arrive, validation returns a report and never raises."""

from __future__ import annotations

import csv
import io
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.contract import COLUMN_NAMES
from indicators.ingest.reading import read_table
from indicators.ingest.validate import Validated, validate_bytes

CELL_CHARS = st.sampled_from(list('ab xyz019.,;\t"\n\r-%>~ĐđằơưếộỹÂ\u00a0') + ["trên ", "1.234", "2023", "target"])
cells = st.lists(CELL_CHARS, max_size=6).map("".join).map(lambda s: unicodedata.normalize("NFC", s))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(result: Validated) -> None:
    assert isinstance(result, Validated)
    report = result.report
    assert report.valid == (not report.errors)
    assert all(issue.severity in ("error", "warning") and issue.message_vi and issue.message_en
               for issue in report.issues)
    if result.unreadable:
        assert result.frame is None and report.errors
    else:
        assert result.frame is not None and list(result.frame.columns)[:2] == ["row", "indicator_id"]


@SETTINGS
@given(data=st.binary(max_size=400), name=st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f"]))
def test_arbitrary_bytes_give_a_report(data: bytes, name: str) -> None:
    check(validate_bytes(data, name))


@SETTINGS
@given(text=st.text(max_size=300), encoding=st.sampled_from(["utf-8", "utf-16", "cp1258"]))
def test_arbitrary_text_gives_a_report(text: str, encoding: str) -> None:
    check(validate_bytes(text.encode(encoding, errors="ignore"), "f.csv"))


def write(rows: list[list[str]], sep: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    header = draw(st.lists(st.sampled_from(COLUMN_NAMES), min_size=3, max_size=8, unique=True))
    rows = draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)), max_size=8))
    return header, rows


@SETTINGS
@given(table=tables(), sep=st.sampled_from([",", ";", "\t"]), decimal=st.sampled_from([None, ",", "."]))
def test_arbitrary_tables_give_a_report(table: tuple[list[str], list[list[str]]], sep: str, decimal: str | None) -> None:
    header, rows = table
    check(validate_bytes(write([header, *rows], sep), "t.csv", decimal=decimal))


@SETTINGS
@given(table=tables(), sep=st.sampled_from([",", ";", "\t"]), cuts=st.lists(st.integers(0, 8), max_size=8))
def test_reading_gives_back_every_cell_as_written(table: tuple[list[str], list[list[str]]], sep: str,
                                                  cuts: list[int]) -> None:
    """Both the fast (pyarrow) and the exact (csv module, for short rows) paths give back each cell."""
    header, rows = table
    written = [row[: cuts[i]] if i < len(cuts) else row for i, row in enumerate(rows)]
    raw = read_table(write([header, *written], sep), "t.csv")
    assert raw.header == header and raw.separator == sep and raw.issues == []
    padded = [row + [""] * (len(header) - len(row)) for row in written]
    assert raw.to_frame().to_numpy().tolist() == padded

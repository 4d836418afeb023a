"""Telling a file's format: the single-file path (read as a table) and the batch path (read as a grid)
agree on every sample, and a contract file is never taken for a report table."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators.ingest.adapters import detect_grid, detect_table
from indicators.ingest.grid import head_grid, read_grid
from indicators.ingest.reading import read_table
from indicators.ingest.validate import validate_many

FIXTURES = Path(__file__).parent / "fixtures"
REPORT_TABLES = sorted((FIXTURES / "bieu").glob("*.csv")) + sorted((FIXTURES / "bieu").glob("*.xlsx"))
CONTRACT_FILES = sorted((FIXTURES / "good").iterdir()) + [Path(__file__).parents[1] / "data" / "kim_son_2020_2025.csv"]


@pytest.mark.parametrize("path", REPORT_TABLES + CONTRACT_FILES, ids=lambda p: p.name)
def test_both_detectors_agree(path: Path) -> None:
    data = path.read_bytes()
    expected = "wide" if path in REPORT_TABLES else "tidy"
    assert detect_table(read_table(data, path.name)) == expected
    assert detect_grid(read_grid(data, path.name)) == expected
    if path.suffix != ".xlsx":
        assert detect_grid(head_grid(data)) == expected  # a CSV is told from its first lines


def test_a_yearbook_header_with_male_and_female_columns_is_a_report_table() -> None:
    """'Nam' (male) is not 'Năm' (year): the header 'Chỉ tiêu | ĐVT | Tổng số | Nam | Nữ' under a title
    line with its year is a report table, not a contract file missing its columns."""
    data = (FIXTURES / "bieu" / "breakdown.csv").read_bytes()
    assert detect_grid(head_grid(data)) == "wide"
    [result] = validate_many([(data, "breakdown.csv")])
    assert result.format == "wide"
    assert result.frame is not None and result.frame["breakdown"].tolist() == ["", "sex=Nam", "sex=Nữ"]

"""Numbers and periods as analysts write them: qualifiers, both decimal conventions, ambiguity, period ends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.ingest.cells import NumberError, classify_numbers, parse_number, parse_period, parse_periods

# text, decimal argument, qualifier, value
NUMBERS = [
    ("57,2", None, "", 57.2),
    ("57.2", None, "", 57.2),
    ("7000", None, "", 7000.0),
    ("1.234.567,5", None, "", 1234567.5),
    ("1,234,567.5", None, "", 1234567.5),
    ("1.234.567", None, "", 1234567.0),
    ("1,234,567", None, "", 1234567.0),
    ("1 234 567,5", None, "", 1234567.5),
    ("1\u00a0234", None, "", 1234.0),
    ("1\u202f234.5", None, "", 1234.5),
    ("0,500", None, "", 0.5),
    ("0.500", None, "", 0.5),
    ("1234,567", None, "", 1234.567),
    ("-3,5", None, "", -3.5),
    ("\u22123.5", None, "", -3.5),
    ("+5", None, "", 5.0),
    ("99,53%", None, "", 99.53),
    ("100 %", None, "", 100.0),
    (">90", None, ">", 90.0),
    ("< 5", None, "<", 5.0),
    (">= 95%", None, ">=", 95.0),
    ("<=2", None, "<=", 2.0),
    ("~60", None, "~", 60.0),
    ("≥ 1,5", None, ">=", 1.5),
    ("≤ 4", None, "<=", 4.0),
    ("trên 90", None, ">", 90.0),
    ("Trên 90%", None, ">", 90.0),
    ("dưới 1", None, "<", 1.0),
    ("gần 60", None, "~", 60.0),
    ("khoảng 70", None, "~", 70.0),
    ("1.234", ",", "", 1234.0),
    ("1.234", ".", "", 1.234),
    ("7,000", ",", "", 7.0),
    ("7,000", ".", "", 7000.0),
    ("khoảng 1.000", ",", "~", 1000.0),
]


@pytest.mark.parametrize(("text", "decimal", "qualifier", "value"), NUMBERS)
def test_parse_number(text: str, decimal: str | None, qualifier: str, value: float) -> None:
    assert parse_number(text, decimal=decimal) == (qualifier, pytest.approx(value))


@pytest.mark.parametrize("text", ["1.234", "7,000", "-12.500", "khoảng 1.000", "123,456"])
def test_a_lone_grouped_number_is_never_guessed(text: str) -> None:
    with pytest.raises(NumberError) as caught:
        parse_number(text)
    assert caught.value.code == "ambiguous_number"


@pytest.mark.parametrize(
    ("text", "decimal"),
    [("abc", None), ("", None), (">", None), ("12,3,4", None), ("1.23.4", None), ("2011-2023", None),
     ("1,5", "."), ("57.2", ","), ("1.234,5", "."), ("0.500.000", None), ("1 23", None), ("NA", None)],
)
def test_bad_numbers(text: str, decimal: str | None) -> None:
    with pytest.raises(NumberError) as caught:
        parse_number(text, decimal=decimal)
    assert caught.value.code == "bad_number"


def test_classification_is_the_evidence_for_the_file_convention() -> None:
    cells = classify_numbers(["57,2", "57.2", "1.234", "7000", "1.234.567", "1,234.5", "x", ""])
    assert cells.comma_only.tolist() == [True, False, False, False, True, False, False, False]
    assert cells.point_only.tolist() == [False, True, False, False, False, True, False, False]
    assert cells.ambiguous.tolist() == [False, False, True, False, False, False, False, False]
    assert cells.bad.tolist() == [False, False, False, False, False, False, True, False]
    assert cells.empty.tolist() == [False] * 7 + [True]


def test_values_are_nan_where_the_convention_does_not_read() -> None:
    cells = classify_numbers(["57,2", "57.2", "1.234"])
    with_comma = cells.values(",")
    assert with_comma[0] == pytest.approx(57.2) and np.isnan(with_comma[1]) and with_comma[2] == 1234.0


@pytest.mark.parametrize(
    ("text", "end"),
    [("2023", "2023-12-31"), ("2023-02", "2023-02-28"), ("2024-02", "2024-02-29"), ("2023-06-15", "2023-06-15"),
     ("31/10/2023", "2023-10-31"), ("1/7/2025", "2025-07-01"), (" 2020 ", "2020-12-31")],
)
def test_period_ends(text: str, end: str) -> None:
    assert parse_period(text) == pd.Timestamp(end)


@pytest.mark.parametrize(
    "text", ["2011-2023", "2023.0", "23", "2023-13", "31/02/2023", "10/2023", "2023/10/31", "Q3 2023", "", "năm 2023"])
def test_bad_periods(text: str) -> None:
    assert parse_period(text) is None


def test_periods_are_nanosecond_datetimes() -> None:
    ends = parse_periods(["2023", "nope"])
    assert ends.dtype == np.dtype("datetime64[ns]")
    assert np.isnat(ends[1])

"""Numbers and periods as analysts write them, read under the data contract.

Numbers: "57,2" or "57.2", "7.000" or "7,000", "1.234.567,5", "1 234 567,5", "≥ 95%", "trên 90", "−3,5".
Whether a comma or a point is the decimal separator is a property of the whole FILE, so reading is in two
steps: `classify_numbers` says, for every text, whether it reads as a number with a decimal comma
(`comma`), with a decimal point (`point`), both (`ambiguous` when the two readings differ, as for
"1.234"), or neither (`bad`); the caller settles the convention from the evidence of all cells and calls
`NumberCells.values(decimal)`. Everything is vectorised with pyarrow (RE2 regexes) so a million cells
take milliseconds; only texts with a qualifier, a sign other than "-", a "%" or spaces go through Python.

Periods: YYYY (the state at 31 December), YYYY-MM (end of month), YYYY-MM-DD, DD/MM/YYYY (day first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.contract import QUALIFIER_WORDS, QUALIFIERS

DECIMALS = (",", ".")
#: Characters that may group thousands besides the non-decimal separator: space, nbsp, narrow nbsp.
SPACES = " \u00a0\u202f"
_SP = r"[ \x{a0}\x{202f}]"
_SPACED = rf"[1-9][0-9]{{0,2}}(?:{_SP}[0-9]{{3}})+"
#: A number read with a decimal comma (thousands: '.' or spaces) and with a decimal point.
COMMA_RE = rf"^-?(?:[0-9]+|[1-9][0-9]{{0,2}}(?:\.[0-9]{{3}})+|{_SPACED})(?:,[0-9]+)?$"
POINT_RE = rf"^-?(?:[0-9]+|[1-9][0-9]{{0,2}}(?:,[0-9]{{3}})+|{_SPACED})(?:\.[0-9]+)?$"
#: Texts needing no clean-up before COMMA_RE/POINT_RE (the fast path).
_PLAIN_RE = r"^-?[0-9][0-9.,]*$"
_QUALIFIER = re.compile(
    "^(" + "|".join(re.escape(w) for w in sorted(QUALIFIER_WORDS, key=len, reverse=True)) + r")\s*",
    re.IGNORECASE,
)


class NumberError(ValueError):
    """A text that is not a number (`code` 'bad_number') or whose meaning needs the decimal convention
    ('ambiguous_number')."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(f"{code}: {text!r}")
        self.code = code


def split_qualifier(text: str) -> tuple[str, str]:
    """('>=', '-3.5') from '≥ −3.5 %': the qualifier symbol and the bare number text (not yet checked)."""
    qualifier = ""
    match = _QUALIFIER.match(text)
    if match:
        qualifier = QUALIFIER_WORDS[match.group(1).lower()]
        text = text[match.end():]
    text = text.strip()
    if text.endswith("%"):
        text = text[:-1].rstrip()
    if text[:1] in ("+", "-", "\u2212"):
        text = ("" if text[0] == "+" else "-") + text[1:].lstrip()
    return qualifier, text


def _mask(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


@dataclass(frozen=True)
class NumberCells:
    """How each text reads as a number, before the file's decimal convention is known."""

    body: pa.Array  # the number without qualifier, '%' or '+'; '−' written as '-'
    qualifier: np.ndarray  # int8 index into contract.QUALIFIERS
    empty: np.ndarray  # the cell is empty (a missing value, not a bad one)
    comma: np.ndarray  # reads as a number with a decimal comma
    point: np.ndarray  # reads as a number with a decimal point
    separated: np.ndarray  # contains ',' or '.'

    @property
    def ambiguous(self) -> np.ndarray:
        """Reads both ways with different values: '1.234' is 1234 or 1.234."""
        return self.comma & self.point & self.separated

    @property
    def comma_only(self) -> np.ndarray:
        """Evidence that the file uses a decimal comma: '57,2', '1.234,5', '1.234.567'."""
        return self.comma & ~self.point

    @property
    def point_only(self) -> np.ndarray:
        """Evidence that the file uses a decimal point: '57.2', '1,234.5', '1,234,567'."""
        return self.point & ~self.comma

    @property
    def bad(self) -> np.ndarray:
        return ~self.empty & ~self.comma & ~self.point

    def qualifiers(self) -> np.ndarray:
        return np.asarray(QUALIFIERS, dtype=object)[self.qualifier]

    def values(self, decimal: str) -> np.ndarray:
        """float64 values read with `decimal` (',' or '.'); NaN where the text does not read that way."""
        if decimal not in DECIMALS:
            raise ValueError(f"decimal must be ',' or '.', not {decimal!r}")
        text = self.body
        for char in ("." if decimal == "," else ",") + SPACES:
            if pc.any(pc.match_substring(text, char)).as_py():
                text = pc.replace_substring(text, char, "")
        if decimal == ",":
            text = pc.replace_substring(text, ",", ".")
        ok = self.comma if decimal == "," else self.point
        text = pc.if_else(pa.array(ok), text, pa.scalar(None, text.type))
        return np.asarray(pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False), dtype="float64")


def classify_numbers(texts: pa.Array | Sequence[str]) -> NumberCells:
    """Classify stripped texts (see the module docstring); cost: a few regex passes in C++."""
    texts = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.large_string())
    empty = _mask(pc.equal(pc.binary_length(texts), 0))
    special = ~_mask(pc.match_substring_regex(texts, _PLAIN_RE)) & ~empty
    qualifier = np.zeros(len(texts), dtype=np.int8)
    body = texts
    where = np.flatnonzero(special)
    if where.size:
        pieces = [split_qualifier(t) for t in texts.take(pa.array(where)).to_pylist()]
        qualifier[where] = [QUALIFIERS.index(q) for q, _ in pieces]
        body = pc.replace_with_mask(texts, pa.array(special), pa.array([b for _, b in pieces], texts.type))
    return NumberCells(
        body=body,
        qualifier=qualifier,
        empty=empty,
        comma=_mask(pc.match_substring_regex(body, COMMA_RE)),
        point=_mask(pc.match_substring_regex(body, POINT_RE)),
        separated=_mask(pc.match_substring_regex(body, r"[.,]")),
    )


def parse_number(text: str, decimal: str | None = None) -> tuple[str, float]:
    """('>', 57.2) from 'trên 57,2%'. Without `decimal` the text itself must show its convention.

    >>> parse_number("1.234.567,5")
    ('', 1234567.5)
    >>> parse_number("1.234", decimal=",")
    ('', 1234.0)
    """
    cells = classify_numbers([text.strip()])
    if cells.empty[0] or cells.bad[0]:
        raise NumberError("bad_number", text)
    if decimal is None:
        if cells.ambiguous[0]:
            raise NumberError("ambiguous_number", text)
        decimal = "," if cells.comma_only[0] else "."
    value = cells.values(decimal)[0]
    if np.isnan(value):
        raise NumberError("bad_number", text)
    return str(cells.qualifiers()[0]), float(value)


def _year_end(stamps: pd.Series) -> pd.Series:
    return stamps + pd.offsets.YearEnd(0)


def _month_end(stamps: pd.Series) -> pd.Series:
    return stamps + pd.offsets.MonthEnd(0)


def _same_day(stamps: pd.Series) -> pd.Series:
    return stamps


#: (pattern, strptime format, the period's end) for each way of writing a period.
PERIOD_FORMATS = (
    (r"[0-9]{4}", "%Y", _year_end),
    (r"[0-9]{4}-[0-9]{2}", "%Y-%m", _month_end),
    (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "%Y-%m-%d", _same_day),
    (r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}", "%d/%m/%Y", _same_day),
)
_NS_RANGE = (pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D"))


def parse_periods(texts: Sequence[str] | pd.Series) -> np.ndarray:
    """datetime64[ns] period ends for stripped texts; NaT where the text is not a period (spans like
    '2011-2023', '2023.0', '31/02/2023' included)."""
    series = pd.Series(list(texts), dtype="str")
    ends = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    for pattern, fmt, period_end in PERIOD_FORMATS:
        match = series.str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False)
        if match.any():
            stamps = period_end(pd.to_datetime(series[match], format=fmt, errors="coerce"))
            stamps = stamps.where((stamps >= _NS_RANGE[0]) & (stamps <= _NS_RANGE[1]))
            ends[match] = stamps.astype("datetime64[ns]")
    return ends.to_numpy(dtype="datetime64[ns]")


def parse_period(text: str) -> pd.Timestamp | None:
    """The end of the period a text names: '2023' -> 2023-12-31; None when it is not a period."""
    end = parse_periods([text.strip()])[0]
    return None if np.isnat(end) else pd.Timestamp(end)

"""Vietnamese and English number, value, date and period formats (babel, CLDR)."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.i18n import TEXT, t
from indicators.present.formatting import fmt_date, fmt_number, fmt_percent, fmt_period, fmt_value


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (57.2, "vi", None, "57,2"),
        (7000, "vi", None, "7.000"),
        (191897, "vi", None, "191.897"),
        (99.53, "vi", None, "99,53"),
        (1234567.891, "vi", None, "1.234.567,89"),
        (57.2, "en", None, "57.2"),
        (7000, "en", None, "7,000"),
        (1.178, "vi", 2, "1,18"),
        (2.5, "vi", 0, "2"),
        (None, "vi", None, "—"),
        (float("nan"), "en", None, "—"),
    ],
)
def test_fmt_number(value: float | None, lang: str, decimals: int | None, expected: str) -> None:
    assert fmt_number(value, lang, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("share", "lang", "expected"),
    [(0.667, "vi", "66,7%"), (0.9953, "vi", "99,5%"), (1.7, "en", "170%"), (0.5, "en", "50%"), (None, "vi", "—")],
)
def test_fmt_percent(share: float | None, lang: str, expected: str) -> None:
    assert fmt_percent(share, lang) == expected


@pytest.mark.parametrize(
    ("value", "qualifier", "unit", "lang", "expected"),
    [
        (7000, ">", "tỷ đồng", "vi", "trên 7.000 tỷ đồng"),
        (1.5, "<", "%", "vi", "dưới 1,5%"),
        (90, ">=", "%", "vi", "ít nhất 90%"),
        (60, "~", "triệu đồng/người/năm", "vi", "khoảng 60 triệu đồng/người/năm"),
        (99.53, "", "%", "vi", "99,53%"),
        (667, "", "đảng viên", "vi", "667 đảng viên"),
        (1000, "", "đảng viên", "en", "1,000 đảng viên"),
        (7000, ">", "tỷ đồng", "en", "over 7,000 tỷ đồng"),
        (1, "", "1 = đạt chuẩn", "vi", "đạt chuẩn"),
        (0, "", "1 = đạt chuẩn", "vi", "chưa đạt chuẩn"),
        (None, "", "%", "vi", "—"),
    ],
)
def test_fmt_value(value: float | None, qualifier: str, unit: str, lang: str, expected: str) -> None:
    assert fmt_value(value, qualifier, unit, lang) == expected


def test_dates_and_periods() -> None:
    day = pd.Timestamp("2023-10-31")
    assert fmt_date(day, "vi") == "31/10/2023"
    assert fmt_date(day, "en") == "31 Oct 2023"
    assert fmt_date(pd.NaT, "vi") == "—"
    assert fmt_period("2022", pd.Timestamp("2022-12-31")) == "2022"
    assert fmt_period("2023-08", pd.Timestamp("2023-08-31")) == "08/2023"
    assert fmt_period("2023-10-31", day) == "31/10/2023"
    assert fmt_period("31/10/2023", day, "en") == "31 Oct 2023"


def test_every_interface_text_has_both_languages() -> None:  # the whole catalogue: tests/test_i18n.py
    for key, (vi, en) in TEXT.items():
        assert vi.strip() and en.strip(), key
    assert t("not_plotted", "en", n=3) == "Not plotted (no baseline or target): 3 indicators"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://baoxaydung.com.vn/kim-son-359491.html, 21/08/2023", "baoxaydung.com.vn, 21/08/2023"),
        ("QĐ 320/QĐ-TTg: http://example.org/a/b.html", "QĐ 320/QĐ-TTg, example.org"),
        ("Báo cáo năm 2023", "Báo cáo năm 2023"),
        ("x" * 100, "x" * 69 + "…"),
    ],
)
def test_short_source_for_cards(source: str, expected: str) -> None:
    from indicators.present.formatting import short_source

    assert short_source(source) == expected


def test_counts_are_shown_without_decimals() -> None:
    from indicators.present.formatting import count_decimals

    assert count_decimals([0, 667, 1000]) == 0
    assert count_decimals([57.2, 11.1]) is None
    assert fmt_value(1177.89, "", "đảng viên", "vi", decimals=count_decimals([0, 667])) == "1.178 đảng viên"

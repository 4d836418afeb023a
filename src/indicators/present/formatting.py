"""Numbers, dates and values the way Vietnamese reports write them (babel, CLDR vi): 57,2 · 7.000 · 99,53%.

English output uses the en locale (57.2 · 7,000 · 99.53%). Every function takes `lang` ('vi' or 'en').
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from indicators.i18n import LANGS, t
from indicators.present.plaintext import UNIT_LIMIT, shorten

LOCALES = {"vi": "vi_VN", "en": "en_US"}

#: A value's qualifier in words ('>' -> 'trên' / 'over'), from the catalogue's `qualifier_<name>`.
QUALIFIER_TEXT = {
    lang: {"": "", **{q: t(f"qualifier_{name}", lang) for q, name in
                      ((">", "gt"), ("<", "lt"), (">=", "ge"), ("<=", "le"), ("~", "about"))}}
    for lang in LANGS
}


def _missing(value: Any) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | None, lang: str = "vi", *, decimals: int | None = None) -> str:
    """57.2 -> '57,2'; 7000 -> '7.000'; up to two decimals unless `decimals` is given; None -> '—'."""
    if _missing(value):
        return "—"
    if decimals is None:
        pattern = "#,##0.##"
    else:
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(float(value), format=pattern, locale=LOCALES[lang])  # type: ignore[arg-type]


def fmt_percent(share: float | None, lang: str = "vi", *, decimals: int = 1) -> str:
    """A share (0.667) as a percentage: '66,7%'."""
    if _missing(share):
        return "—"
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    text = format_decimal(float(share) * 100, format=pattern, locale=LOCALES[lang])  # type: ignore[arg-type]
    return f"{text}%"


FLAG_UNIT = re.compile(r"^1\s*=\s*(.+)$")


def fmt_value(value: float | None, qualifier: str = "", unit: str = "", lang: str = "vi", *,
              decimals: int | None = None) -> str:
    """'trên 7.000 tỷ đồng', '99,53%', '667 đảng viên'; a yes/no unit '1 = đạt chuẩn' reads 'đạt chuẩn'.

    `decimals` fixes the digits after the comma (0 for counts such as a projected number of members); a unit
    longer than UNIT_LIMIT characters is cut with "…"."""
    if _missing(value):
        return "—"
    flag = FLAG_UNIT.match(unit or "")
    unit = shorten(unit, UNIT_LIMIT)
    if flag and value in (0, 1):
        label = shorten(flag.group(1), UNIT_LIMIT)
        return label if value == 1 else t("flag_not", lang, label=label)
    words = QUALIFIER_TEXT[lang].get(qualifier or "", qualifier or "")
    number = fmt_number(value, lang, decimals=decimals)
    if unit == "%":
        text = f"{number}%"
    elif unit:
        text = f"{number} {unit}"
    else:
        text = number
    return f"{words} {text}" if words else text


def fmt_date(value: Any, lang: str = "vi") -> str:
    """31/10/2023 in Vietnamese; 31 Oct 2023 in English."""
    if _missing(value):
        return "—"
    day = value.date() if isinstance(value, pd.Timestamp) else value
    if not isinstance(day, date):
        return str(value)
    return format_date(day, "dd/MM/yyyy" if lang == "vi" else "d MMM yyyy", locale=LOCALES[lang])


def fmt_period(period: str, when: Any = None, lang: str = "vi") -> str:
    """A period as people write it: '2022' stays '2022', '2023-08' -> '08/2023', a day -> its date."""
    period = (period or "").strip()
    if re.fullmatch(r"\d{4}", period):
        return period
    m = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if m:
        return f"{m.group(2)}/{m.group(1)}"
    if not _missing(when):
        return fmt_date(when, lang)
    return period or "—"


def count_decimals(values: Any) -> int | None:
    """0 when every published value of a series is a whole number (a count), else None (up to two)."""
    numbers = pd.Series(values, dtype="float64").dropna()
    return 0 if len(numbers) and bool((numbers == numbers.round()).all()) else None


def short_source(source: str, limit: int = 70) -> str:
    """A source short enough for a card: a URL becomes its site (and the date after it); text is cut."""
    text = (source or "").strip()
    m = re.match(r"^(?:.*?:\s*)?https?://(?:www\.)?([^/\s]+)\S*(.*)$", text)
    if m:
        prefix = text[: text.find("http")].rstrip(": ").strip()
        tail = m.group(2).strip(" ,;")
        short = ", ".join(p for p in (prefix, m.group(1), tail) if p)
    else:
        short = text
    return shorten(short, limit)


def format_summary_text(records: list[dict[str, Any]], lang: str = "vi") -> str:
    """The CLI's text summary: one line per series, then the status counts."""
    from indicators.progress.statuses import status_label

    lines = []
    for r in records:
        latest = r.get("latest_text") or fmt_value(r["latest_value"], r["latest_qualifier"] or "", r["unit"], lang)
        target = fmt_value(r["target_value"], "", r["unit"], lang) if r["target_value"] is not None else "—"
        line = t("summary_line", lang, status=f"{status_label(r['status'], lang):<22}", name=r["indicator"],
                 area=r["area"], latest=latest, when=r["latest_period"] or "—", target=target)
        if r["pace"] is not None:
            line += t("summary_pace", lang, pace=fmt_number(r["pace"], lang))
        lines.append(line)
    counts: dict[str, int] = {}
    for r in records:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    total = ", ".join(t("status_count", lang, status=status_label(k, lang, symbol=False), n=v)
                      for k, v in counts.items())
    lines.append(t("summary_total", lang, n=len(records), counts=total))
    return "\n".join(lines) + "\n"

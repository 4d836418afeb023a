"""Sentences written from the data: one per series, in Vietnamese or English, every number from the row.

`sentence(row)` of a compute_progress row reads, for example (tests/test_narrative.py builds such rows):
"Đến 31/10/2023, số đảng viên mới được kết nạp trong nhiệm kỳ đạt 667 đảng viên, bằng 66,7% mục tiêu
(1.000 đảng viên, năm 2025) — Đúng tiến độ (thời gian đã qua 56,6%). Nguồn: …"

A sentence is built from clauses, each chosen by what the row holds: the latest value and when
(`when`), the share of the target reached (`_share_clause`), the status words, the change since the
previous value (`_change_clause`), the change still needed each year, and the source. Qualifiers become
words ('>' -> "trên"), estimates say "ước", a unit written "1 = <words>" is a yes/no flag. The words live in
i18n.py; numbers and dates come from formatting.py. Long names, units, areas and sources are cut with "…"
(plaintext.py), so a sentence stays a sentence; sentences are plain text, made safe where they are shown.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from indicators.i18n import indicator_name, t
from indicators.present.formatting import (
    QUALIFIER_TEXT,
    fmt_date,
    fmt_number,
    fmt_percent,
    fmt_period,
    fmt_value,
)
from indicators.present.plaintext import (
    AREA_LIMIT,
    GROUP_LIMIT,
    NAME_LIMIT,
    SOURCE_LIMIT,
    UNIT_LIMIT,
    shorten,
)
from indicators.progress.statuses import BY_CODE, STATUS_CODES

#: Statuses whose sentence explains the pace with the share of the period gone by.
PACED = ("on_track", "needs_acceleration", "limited", "deterioration")
#: Statuses whose sentence says how much change is still needed each year.
BEHIND = ("needs_acceleration", "limited", "deterioration")
FLAG_UNIT = re.compile(r"^\s*1\s*=\s*(.+)$")
FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "~": "~", "": ""}


def _missing(value: Any) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _period_kind(period: str) -> str:
    period = (period or "").strip()
    if re.fullmatch(r"\d{4}", period):
        return "year"
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return "month"
    return "day"


def when(period: str, date: Any, lang: str = "vi", *, role: str = "at") -> str:
    """A period as people write it in a sentence.

    role 'at' (the latest value, opening a Vietnamese sentence): 'Năm 2022', 'Tháng 08/2023', 'Đến 31/10/2023'
    / '2022', 'as of 31 Oct 2023';
    role 'since' (the previous value): 'so với năm 2010' / 'since 2010';
    role 'by' (a target): 'năm 2025' / 'by 2025';
    role 'in' (a baseline or a previous figure): 'năm 2019' / '2019'.

    >>> when("2023-08", None, "vi")
    'Tháng 08/2023'
    >>> when("2010", None, "en", role="since")
    'since 2010'
    """
    kind = _period_kind(period) if period else "day"
    text = fmt_period(period, date, lang) if period else fmt_date(date, lang)
    return t(f"nar_{role}_{kind}", lang, p=text)


def _flag_text(value: float, unit: str, lang: str) -> str | None:
    """A unit '1 = đạt chuẩn' makes the value a flag: 1 -> 'đạt chuẩn', 0 -> 'chưa đạt chuẩn'."""
    m = FLAG_UNIT.match(unit or "")
    if not m or value not in (0.0, 1.0):
        return None
    return t("nar_flag_yes" if value == 1 else "nar_flag_no", lang, words=shorten(m.group(1).strip(), UNIT_LIMIT))


def value_text(value: float, qualifier: str, unit: str, lang: str, of_total: Any = None) -> str:
    """'trên 7.000 tỷ đồng', '667 đảng viên', '23/23 xã' (a value with its denominator), 'đạt chuẩn' (a flag)."""
    flag = None if _missing(value) else _flag_text(float(value), unit, lang)
    if flag is not None:
        return flag
    if not _missing(of_total) and unit != "%":
        n = fmt_value(value, qualifier, "", lang)
        text = t("n_of_total", lang, n=n, total=fmt_number(of_total, lang))
        return f"{text} {shorten(unit, UNIT_LIMIT)}".strip()
    return fmt_value(value, qualifier, unit, lang)


def _target_text(row: pd.Series, lang: str) -> str:
    target = fmt_value(row["target_value"], row["target_qualifier"], row["unit"], lang)
    return t("nar_target_paren", lang, target=target,
             when=when(row["target_period"], row["target_date"], lang, role="by"))


def share_reached(row: pd.Series) -> tuple[float, str, bool] | None:
    """(share, qualifier, from_baseline): progress when there is a baseline, else value/target when it means
    something (more is better, positive target); the qualifier follows the latest value's (flipped when a
    larger value means a smaller share). None when no share can be said."""
    if _missing(row["target_value"]) or _missing(row["latest_value"]):
        return None
    qualifier = row["latest_qualifier"] or ""
    if not _missing(row["progress"]):
        from_baseline = row["baseline_value"] != 0
        grows = row["target_value"] > row["baseline_value"]
        return float(row["progress"]), qualifier if grows else FLIP.get(qualifier, ""), bool(from_baseline)
    if row["direction"] != "decrease" and row["target_value"] > 0 and row["latest_value"] >= 0:
        return float(row["latest_value"] / row["target_value"]), qualifier, False
    return None


def _share_clause(row: pd.Series, lang: str) -> str:
    share = share_reached(row)
    if share is None:
        return t("nar_target_only", lang, target=_target_text(row, lang))
    value, qualifier, from_baseline = share
    words = QUALIFIER_TEXT[lang].get(qualifier, "")
    pct = f"{words} {fmt_percent(value, lang)}".strip()
    if not from_baseline:
        return t("nar_share_of_target", lang, share=pct, target=_target_text(row, lang))
    baseline = fmt_value(row["baseline_value"], "", row["unit"], lang)
    since = when(row["baseline_period"], row["baseline_date"], lang, role="in")
    return t("nar_share_of_distance", lang, share=pct, baseline=baseline, since=since,
             target=_target_text(row, lang))


def _status_clause(row: pd.Series, lang: str) -> str:
    code = row["status"]
    text = f" — {BY_CODE[code].label(lang)}"
    if code in PACED and not _missing(row["elapsed"]):
        text += t("nar_elapsed", lang, elapsed=fmt_percent(row["elapsed"], lang))
    return text


def _per_year_text(amount: float, row: pd.Series, lang: str) -> str:
    if row["method"] == "cagr":
        return t("nar_rate_per_year", lang, rate=fmt_percent(abs(amount), lang))
    return t("nar_amount_per_year", lang, amount=_change_amount(abs(amount), row["unit"], lang))


def _change_amount(amount: float, unit: str, lang: str) -> str:
    """'46,1 triệu đồng/người/năm'; a change of a percentage is in percentage points."""
    if unit == "%":
        return f"{fmt_number(amount, lang)} {t('nar_points', lang)}"
    return fmt_value(amount, "", unit, lang)


def _change_clause(row: pd.Series, lang: str) -> str:
    """The change since the previous value; between bounds ('trên 7.000') only the previous figure."""
    if _missing(row["previous_value"]) or _missing(row["latest_value"]):
        return ""
    since = when(row["previous_period"], row["previous_date"], lang, role="since")
    exact = {"", "~"}
    if row["previous_qualifier"] not in exact or row["latest_qualifier"] not in exact:
        before = value_text(row["previous_value"], row["previous_qualifier"], row["unit"], lang)
        at = when(row["previous_period"], row["previous_date"], lang, role="in")
        return " " + t("nar_previous", lang, at=at, value=before)
    delta = float(row["latest_value"] - row["previous_value"])
    if delta == 0:
        return " " + t("nar_unchanged", lang, since=since)
    verb = t("nar_up" if delta > 0 else "nar_down", lang)
    return " " + t("nar_change", lang, verb=verb, amount=_change_amount(abs(delta), row["unit"], lang),
                   since=since)


def _required_clause(row: pd.Series, lang: str) -> str:
    needed = row["required_per_year"]
    if row["status"] not in BEHIND or _missing(needed) or needed == 0:
        return ""
    verb = t("nar_up" if needed > 0 else "nar_down", lang).lower()
    return " " + t("nar_required", lang, verb=verb, per_year=_per_year_text(needed, row, lang))


def _name(row: pd.Series, lang: str, with_area: bool) -> str:
    name = shorten(indicator_name(row, lang), NAME_LIMIT)
    return f"{name} ({shorten(row['area'], AREA_LIMIT)})" if with_area else name


def _lower_first(name: str) -> str:
    """'Số đảng viên …' -> 'số đảng viên …' inside a sentence; an acronym ('NTM …') keeps its case."""
    first = name.split(" ", 1)[0]
    return name if len(first) > 1 and first.isupper() else name[:1].lower() + name[1:]


def _source_clause(row: pd.Series, lang: str) -> str:
    sources = [shorten(s.strip().rstrip("."), SOURCE_LIMIT)
               for s in dict.fromkeys([row["latest_source"], row["target_source"]]) if s]
    return " " + t("nar_source", lang, source="; ".join(sources)) if sources else ""


def _latest_clause(row: pd.Series, lang: str, with_area: bool) -> str:
    name = _name(row, lang, with_area)
    flag = _flag_text(float(row["latest_value"]), row["unit"], lang)
    if flag is not None:
        at = when(row["latest_period"], row["latest_date"], lang, role="in")
        return t("nar_flag", lang, name=name, when=at, flag=flag)
    at = when(row["latest_period"], row["latest_date"], lang)
    if lang == "vi":
        name = _lower_first(name)
    kind = "estimate" if row["latest_kind"] == "estimate" else "actual"
    if lang == "vi" and row["direction"] == "decrease":
        kind += "_decrease"  # 'còn': Vietnamese says what is left of a falling figure
    value = value_text(row["latest_value"], row["latest_qualifier"], row["unit"], lang, row["latest_of_total"])
    return t("nar_latest", lang, name=name, when=at, figure=t(f"nar_verb_{kind}", lang, value=value))


def sentence(row: pd.Series, lang: str = "vi", *, with_source: bool = True, with_area: bool = False) -> str:
    """The sentence of one compute_progress row: value and date, share of the target, status, change, source."""
    source = _source_clause(row, lang) if with_source else ""
    if _missing(row["latest_value"]):
        name = _name(row, lang, with_area)
        if _missing(row["target_value"]):
            return t("nar_no_data_at_all", lang, name=name) + source
        return t("nar_no_data", lang, name=name, target=_target_text(row, lang)) + source
    text = _latest_clause(row, lang, with_area)
    if row["status"] == "no_target" or _missing(row["target_value"]):
        text += t("nar_no_target", lang)
    else:
        text += _share_clause(row, lang) + _status_clause(row, lang)
    return text + "." + _change_clause(row, lang) + _required_clause(row, lang) + source


def ordered(result: pd.DataFrame) -> pd.DataFrame:
    """Series with a target first (in status order: achieved … no data), then the others, file order kept."""
    rank = result["status"].map({c: i for i, c in enumerate(STATUS_CODES)})
    no_target = result["target_value"].isna()
    return result.assign(_t=no_target, _r=rank).sort_values(["_t", "_r"], kind="stable").drop(columns=["_t", "_r"])


def paragraphs(result: pd.DataFrame, lang: str = "vi", *, main_area: str | None = None,
               with_source: bool = True) -> list[str]:
    """One sentence per series of `result` (e.g. one group), series with a target first.

    Series about another area than `main_area` name their area."""
    rows = ordered(result)
    return [sentence(r, lang, with_source=with_source, with_area=main_area is not None and r["area"] != main_area)
            for _, r in rows.iterrows()]


def counts_text(result: pd.DataFrame, lang: str = "vi") -> str:
    """'✔ Đã đạt: 2 · ▲ Đúng tiến độ: 1 · ○ Chưa có mục tiêu: 7' — statuses present, in status order."""
    counts = result["status"].value_counts()
    return " · ".join(t("status_count", lang, status=f"{BY_CODE[c].symbol} {BY_CODE[c].label(lang)}",
                        n=fmt_number(int(counts[c]), lang))
                      for c in STATUS_CODES if c in counts.index)


def group_lead(result: pd.DataFrame, group: str, lang: str = "vi") -> str:
    """'Xây dựng Đảng: 9 chỉ tiêu, trong đó 2 có mục tiêu.' / 'Party: 1 indicator, none with a published
    target.' — the first line of a group's paragraph."""
    with_target = int(result["target_value"].notna().sum())
    group = shorten(group, GROUP_LIMIT)
    if not with_target:
        return t("nar_group_lead_none", lang, group=group, n=len(result))
    return t("nar_group_lead", lang, group=group, n=len(result), targets=fmt_number(with_target, lang))


def verdict_sentence(row: pd.Series, lang: str = "vi") -> str:
    """A closed term's sentence of one target (a `term_progress` row with a verdict): the final figure and
    its date, the target, and the verdict ('… — ✔ Đạt mục tiêu.'), or that no final figure is published."""
    from indicators.progress.terms import verdict_label

    name = _name(row, lang, False)
    target = _target_text(row, lang)
    verdict = verdict_label(row["verdict"], lang)
    if row["verdict"] == "no_final":
        if _missing(row["latest_value"]):
            return t("nar_verdict_no_final", lang, name=name, target=target, verdict=verdict)
        return t("nar_verdict_no_final_latest", lang, name=name, target=target, verdict=verdict,
                 value=value_text(row["latest_value"], row["latest_qualifier"], row["unit"], lang,
                                  row["latest_of_total"]),
                 when=fmt_period(row["latest_period"], row["latest_date"], lang))
    value = value_text(row["final_value"], row["final_qualifier"], row["unit"], lang, row["latest_of_total"])
    return t("nar_verdict", lang, name=name, value=value, target=target, verdict=verdict,
             when=fmt_period(row["final_period"], row["final_date"], lang))


def verdict_counts(result: pd.DataFrame, term: str, lang: str = "vi") -> str:
    """'Nhiệm kỳ 2020–2025 đã kết thúc: 3/6 mục tiêu đạt, 1 không đạt, 2 chưa công bố số liệu cuối kỳ.'"""
    verdicts = result["verdict"].value_counts() if "verdict" in result else pd.Series(dtype=int)
    n = {code: int(verdicts.get(code, 0)) for code in ("achieved", "not_achieved", "no_final")}
    return t("nar_term_closed", lang, term=term, of=sum(n.values()), achieved=n["achieved"],
             not_achieved=n["not_achieved"], no_final=n["no_final"])

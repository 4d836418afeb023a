"""Terms (nhiệm kỳ): which rows belong to which term, progress within one term, and a closed term's verdicts.

A term is a span of years its targets are set for ("2020-2025"). The term of a row is, in this order:

1. the `term` column, when written;
2. for a target or a baseline row, the dataset's explicit term (one written somewhere in step 1) whose span
   holds its period: a target when start < year ≤ end, a baseline when year == start;
3. else, per series (`frame.SERIES`): "{baseline year}-{target year}" when the series has a baseline row —
   a target takes the series' latest baseline before it, a baseline the series' first target after it;
4. else the Party Congress five-year term (… 2015-2020, 2020-2025, 2025-2030) holding the target year:
   Y lies in ((Y-1)//5*5, (Y-1)//5*5+5]; a baseline in year Y opens the term that starts in Y//5*5.

Terms derived in steps 3-4 with the same end year are one term (a series judged from 2019 and another from
2020 both serve the term that ends in 2025): an explicit term with that end, else the commonest start among
its target rows (the earliest on a tie). An observation (actual, estimate) has a term only when written: it
serves every term whose window (1 January of the start year to 31 December of the end year) holds it.

`term_progress(frame, term)` runs the progress engine over the term's targets and baselines and every
observation in its window; the engine lets no observation before a series' latest break (`series_break`)
among those rows stand in for a missing baseline, so a break inside the window restarts the series, and a
break before it changes nothing. A term is closed when today is
after 31/12 of its end year, or a later term of the dataset has begun. A closed term judges each target on
its final figure — the latest observation in the window: `achieved` when d·(y − T) ≥ 0, `not_achieved` when
its year is the target's year or later and it does not reach it, `no_final` otherwise (no final figure
published yet).

>>> Term.parse("nhiệm kỳ 2020 – 2025").label
'2020-2025'
>>> Term.parse("2020-2025").closed(date(2025, 12, 31)), Term.parse("2020-2025").closed(date(2026, 1, 1))
(False, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from indicators.contract import parse_term
from indicators.frame import SERIES
from indicators.i18n import t
from indicators.progress.engine import compute_progress

VERDICTS = ("achieved", "not_achieved", "no_final")
#: A symbol per verdict, so colour is never the only signal.
VERDICT_SYMBOLS = {"achieved": "✔", "not_achieved": "✘", "no_final": "…"}
TERM_KINDS = ("target", "baseline")
OBS_KINDS = ("actual", "estimate")
CONGRESS_YEARS = 5


@dataclass(frozen=True, order=True)
class Term:
    """A term: 'start-end' years (ordered by start, then end)."""

    start: int
    end: int
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", f"{self.start}-{self.end}")

    @classmethod
    def parse(cls, text: str) -> Term:
        """A term from its label or as people write it ('nhiệm kỳ 2020 – 2025'); ValueError when it is none."""
        start, end = parse_term(text)
        return cls(start=start, end=end)

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The days the term's observations fall in: 1 January of the start year to 31 December of the end."""
        return pd.Timestamp(self.start, 1, 1), pd.Timestamp(self.end, 12, 31)

    def closed(self, today: date | None = None, terms: Sequence[Term] = ()) -> bool:
        """Over: today is after 31/12 of the end year, or one of `terms` that starts later has begun."""
        day = pd.Timestamp(today or date.today())
        return day > self.window[1] or any(o.start > self.start and day >= o.window[0] for o in terms)

    def text(self, lang: str = "vi") -> str:
        """'Nhiệm kỳ 2020–2025' / 'Term 2020–2025'."""
        return t("report_term", lang, start=self.start, end=self.end)


def verdict_label(code: str, lang: str = "vi") -> str:
    """'✔ Đạt mục tiêu' — a verdict's symbol and words."""
    words = t(f"verdict_{code}", lang)
    return f"{VERDICT_SYMBOLS[code]} {words}"


def _congress(year: pd.Series, *, opens: bool) -> pd.Series:
    """The Party Congress term holding a target year (opens=False) or opened by a baseline year (opens=True)."""
    start = (year // CONGRESS_YEARS * CONGRESS_YEARS) if opens else ((year - 1) // CONGRESS_YEARS * CONGRESS_YEARS)
    return start.astype(int).astype(str) + "-" + (start + CONGRESS_YEARS).astype(int).astype(str)


def _explicit(frame: pd.DataFrame) -> tuple[pd.Series, list[Term]]:
    """The `term` column in canonical form, and the distinct terms written there."""
    written = frame["term"].astype(str)
    labels = sorted({Term.parse(x) for x in written.unique() if x})
    return written, labels


def _from_span(kind: pd.Series, year: pd.Series, terms: list[Term]) -> pd.Series:
    """Step 2: the explicit term whose span holds a target's or a baseline's year ('' when none)."""
    out = pd.Series("", index=kind.index, dtype=object)
    for term in reversed(terms):  # the earliest term wins where two hold a year
        held = ((kind == "target") & (year > term.start) & (year <= term.end)) | (
            (kind == "baseline") & (year == term.start))
        out = out.where(~held, term.label)
    return out


def _per_series(rows: pd.DataFrame) -> pd.Series:
    """Steps 3-4 for target and baseline rows: '{baseline year}-{target year}' within the series, else the
    congress term."""
    rows = rows.assign(_sid=rows.groupby(list(SERIES), sort=False).ngroup(), _pos=np.arange(len(rows)))
    out = pd.Series("", index=rows.index, dtype=object)
    targets = rows[rows["kind"] == "target"].sort_values("_year")
    baselines = rows[rows["kind"] == "baseline"].sort_values("_year")
    if len(targets) and len(baselines):
        keys = ["_year", "_sid", "_pos"]
        before = pd.merge_asof(targets[keys], baselines[["_year", "_sid"]].assign(_other=baselines["_year"]),
                               on="_year", by="_sid", allow_exact_matches=False, direction="backward")
        after = pd.merge_asof(baselines[keys], targets[["_year", "_sid"]].assign(_other=targets["_year"]),
                              on="_year", by="_sid", allow_exact_matches=False, direction="forward")
        for found, baseline_first in ((before, True), (after, False)):
            found = found.dropna(subset=["_other"])
            own, other = found["_year"].astype(int).astype(str), found["_other"].astype(int).astype(str)
            spans = (other + "-" + own) if baseline_first else (own + "-" + other)
            out.iloc[found["_pos"].to_numpy(dtype=np.int64)] = spans.to_numpy(dtype=object)  # type: ignore[call-overload]
    rest = out == ""
    is_base = rows["kind"] == "baseline"
    out[rest & ~is_base] = _congress(rows.loc[rest & ~is_base, "_year"], opens=False)
    out[rest & is_base] = _congress(rows.loc[rest & is_base, "_year"], opens=True)
    return out


def _merge_by_end(derived: pd.Series, kind: pd.Series, explicit: list[Term]) -> pd.Series:
    """Derived terms with the same end year are one: the explicit term with that end, else the commonest
    start among their target rows (the earliest on a tie)."""
    if derived.empty:
        return derived
    parts = derived.str.split("-", expand=True).astype(int)
    start, end = parts[0], parts[1]
    named = {term.end: term.label for term in explicit}
    chosen: dict[int, str] = {}
    for year in (int(y) for y in end.unique()):
        if year in named:
            chosen[year] = named[year]
            continue
        pool = start[(end == year) & (kind == "target")]
        pool = pool if len(pool) else start[end == year]
        counts = pool.value_counts().sort_index()
        chosen[year] = f"{int(counts.index[int(np.argmax(counts.to_numpy()))])}-{year}"
    return end.map(chosen)


def row_terms(frame: pd.DataFrame, terms: Sequence[Term] | None = None) -> pd.Series:
    """Each row's term label, by the rule in the module docstring ('' for an observation without one).

    `terms` are the dataset's explicit terms when the caller knows them (step 2); None reads them from
    the frame."""
    written, explicit = _explicit(frame)
    if terms is not None:
        explicit = sorted({*explicit, *terms})
    out = written.copy()
    kind = frame["kind"]
    todo = (out == "") & kind.isin(TERM_KINDS)
    if todo.any():
        year = frame.loc[todo, "period_end"].dt.year
        spans = _from_span(kind[todo], year, explicit)
        out.loc[spans.index[spans != ""]] = spans[spans != ""]
        todo = (out == "") & kind.isin(TERM_KINDS)
    if todo.any():  # every target and baseline of a series is looked at; only the rows still without a term change
        both = kind.isin(TERM_KINDS)
        rows = frame.loc[both, list(SERIES) + ["kind"]].assign(_year=frame.loc[both, "period_end"].dt.year)
        derived = _per_series(rows)[todo[both]]
        out.loc[derived.index] = _merge_by_end(derived, kind[derived.index], explicit)
    return out.astype(object)


def terms_of(frame: pd.DataFrame, labels: pd.Series | None = None) -> list[Term]:
    """The dataset's terms, explicit and derived, sorted by start (`labels`: `row_terms(frame)`, when known)."""
    labels = row_terms(frame) if labels is None else labels
    return sorted({Term.parse(x) for x in pd.unique(labels) if x})


def term_rows(frame: pd.DataFrame, term: Term, labels: pd.Series) -> np.ndarray:
    """Positions of the term's rows: its targets and baselines, and every observation in its window that is
    not written down for another term."""
    kind = frame["kind"]
    first, last = term.window
    ends = frame["period_end"]
    own = labels.to_numpy() == term.label
    obs = kind.isin(OBS_KINDS).to_numpy() & (ends >= first).to_numpy() & (ends <= last).to_numpy()
    return np.flatnonzero((kind.isin(TERM_KINDS).to_numpy() & own) | (obs & ((labels == "").to_numpy() | own)))


def judge(result: pd.DataFrame) -> pd.DataFrame:
    """A closed term's verdict per series with a target (see the module docstring), and its final figure."""
    out = result.copy()
    if out.empty:
        return _unjudged(out)
    d = np.where(out["direction"].to_numpy(dtype=object) == "decrease", -1.0, 1.0)
    final = out["latest_value"].to_numpy(dtype=float)
    target = out["target_value"].to_numpy(dtype=float)
    has_target = ~np.isnan(target)
    has_final = ~np.isnan(final)
    with np.errstate(invalid="ignore"):
        reached = has_target & has_final & (d * (final - target) >= 0)
    due = has_target & has_final & (out["latest_date"].dt.year >= out["target_date"].dt.year).to_numpy(dtype=bool)
    out["verdict"] = np.select([reached, due, has_target], list(VERDICTS), default="")
    out["final_value"] = out["latest_value"]
    out["final_date"] = out["latest_date"]
    out["final_period"] = out["latest_period"]
    out["final_qualifier"] = out["latest_qualifier"]
    return out


def term_progress(frame: pd.DataFrame, term: Term, today: date | None = None, *,
                  labels: pd.Series | None = None, terms: Sequence[Term] | None = None) -> pd.DataFrame:
    """`compute_progress` over the term's rows; a closed term adds verdict, final_value, final_date,
    final_period and final_qualifier (empty when the term is open, so every result has the same columns).

    `labels` (row_terms of the frame) and `terms` (terms_of) may be given when already known."""
    labels = row_terms(frame) if labels is None else labels
    terms = terms_of(frame, labels) if terms is None else terms
    result = judge(compute_progress(frame.take(term_rows(frame, term, labels))))
    return result if term.closed(today, terms) else _unjudged(result)


def _unjudged(result: pd.DataFrame) -> pd.DataFrame:
    """The verdict columns, empty: an open term has none."""
    no_date = pd.Series(pd.NaT, index=result.index, dtype="datetime64[ns]")
    return result.assign(verdict="", final_value=np.nan, final_date=no_date, final_period="", final_qualifier="")

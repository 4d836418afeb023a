"""One version of the dataset as every output shows it: the pages, presentation mode, the deck, the brief, the CLI.

    view = load_view(store, 3)              # a stored version (the pages cache it per version id)
    view = view_of(load_csv(path))          # a file outside the store (`indicators report --data`)
    view.main_area, view.as_of              # 'Huyện Kim Sơn', Timestamp('2023-10-31')
    value_text(row, "vi")                   # '23/23 xã' — the latest value of a result row
    view.slide_plan("vi")                   # the slides of presentation mode and the order of the deck
    view.terms, view.default_term()         # (Term('2020-2025'), …) — progress/terms.py holds the rules
    s = view.scope("Xã Kim Hải", "2025-2030")  # one area in one term: s.frame, s.result, s.closed, s.as_of

A `VersionView` is immutable and computed once per version: the rows (with the roll-up rows the area
register allows, `indicators.areas`), their terms, their progress (`compute_progress`), the main area and
the "as of" date, each by the one rule written below. What a page shows is a `Scope` — one area in one
term — built on demand and cached on the view: it takes the area's rows by their positions (an index made
once per version), so a commune's page never copies a 250,000-row province; a term's progress of every
series is computed once (`term_result`). Everything an output says about
the version is derived from it here or in `model.prepare(view, lang)`, so the screen and the handouts
cannot disagree. It lives in `present/` because all of its readers are outputs; it reads the store and the
progress engine, which sit upstream, and nothing upstream reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import pandas as pd

from indicators.areas import Register, default_crosswalk, default_register, rollup
from indicators.frame import SERIES
from indicators.present import model
from indicators.present.narrative import value_text as _value_text
from indicators.progress.engine import compute_progress, progress_as_of
from indicators.progress.terms import TERM_KINDS, Term, row_terms, term_progress, terms_of

if TYPE_CHECKING:
    from indicators.store.versions import Store


def main_area(frame: pd.DataFrame) -> str:
    """The area the term's targets are about — the dataset's main area; every other area is a sub-area.

    Rule: the area with the most target rows; in a dataset without targets, the area with the most rows;
    a tie goes to the area met first in the file; '' for an empty dataset.
    """
    if frame.empty:
        return ""
    targets = frame.loc[frame["kind"] == "target", "area"]
    pool = targets if len(targets) else frame["area"]
    counts = pool.groupby(pool, sort=False).size()  # in order of first appearance: idxmax takes the first
    return str(counts.idxmax())


def data_date(frame: pd.DataFrame) -> pd.Timestamp | None:
    """The date of the data: the latest actual or estimated observation, in any area."""
    observed = frame.loc[frame["kind"].isin(["actual", "estimate"]), "period_end"]
    return None if observed.empty else pd.Timestamp(observed.max())


def as_of_date(frame: pd.DataFrame, result: pd.DataFrame, area: str) -> pd.Timestamp | None:
    """The date the figures speak for ("Tiến độ tính đến 31/10/2023").

    Rule: the latest observation among the main area's series with a target (a later context figure does
    not move it); else the main area's latest observation; else the dataset's latest observation
    (`data_date`); None when nothing has been observed.
    """
    return progress_as_of(result, area) or data_date(frame)


def value_text(row: pd.Series, lang: str = "vi") -> str:
    """The latest value of a `compute_progress` row as every output writes it: '667 đảng viên',
    '23/23 xã' (with its denominator), 'trên 7.000 tỷ đồng', 'đạt chuẩn' (a yes/no unit); '—' when none."""
    return _value_text(row["latest_value"], row["latest_qualifier"], row["unit"], lang, row["latest_of_total"])


T = TypeVar("T")
LEVEL_RANK = {"province": 0, "district": 1, "commune": 2}


def _level_rank(register: Register | None, name: str) -> int:
    """Higher levels first: province 0, district 1, commune 2, unknown 3."""
    level = register.level_of(name) if register is not None else None
    return LEVEL_RANK.get(level or "", len(LEVEL_RANK))


@dataclass(frozen=True, eq=False)
class Scope:
    """What a page shows about one area in one term: the area's rows (its history, the term's targets and
    baselines) and the term's progress of the area's series. Read-only, cached on the view."""

    area: str
    term: Term | None
    closed: bool
    result: pd.DataFrame  # term_result rows of the area (indexed as in term_result)
    frame: pd.DataFrame  # the area's rows: every observation, the targets and baselines of the term
    as_of: pd.Timestamp | None

    @cached_property
    def totals(self) -> pd.DataFrame:
        """One series per indicator where breakdowns exist: the total (breakdown ''), or every breakdown
        series of an indicator published without a total."""
        r = self.result
        total = r["breakdown"] == ""
        return r[total | ~r["indicator_id"].isin(r.loc[total, "indicator_id"])]

    def row(self, index: int) -> pd.Series:
        return cast(pd.Series, self.result.loc[index])

    def series_rows(self, row: pd.Series) -> pd.DataFrame:
        """The rows of one series (a result row's indicator and breakdown), in file order."""
        f = self.frame
        return f[(f["indicator_id"] == row["indicator_id"]) & (f["breakdown"] == row["breakdown"])]


@dataclass(frozen=True, eq=False)
class VersionView:
    """One version, read once: treat its frames as read-only (the pages share one per version id)."""

    version: int | None  # the store's version id; None for a file outside the store
    created_at: datetime | None
    frame: pd.DataFrame  # the rows, in file order
    result: pd.DataFrame  # compute_progress(frame) over every term: one row per series
    main_area: str  # default_area(default_term()): what old callers call the main area
    as_of: pd.Timestamp | None  # as_of_date(frame, result, main_area)
    label: str = ""  # how the outputs name the version: the id, or a file's given label
    terms: tuple[Term, ...] = ()  # terms_of(rows), by start
    register: Register | None = None  # the areas the rows name (indicators.areas); None only for a bare view
    computed: pd.DataFrame = field(default_factory=pd.DataFrame)  # roll-up rows (indicators.areas.rollup)
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # frame + computed: what progress reads
    labels: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))  # row_terms(rows)
    today: date | None = None  # the day terms are judged on (None: the real today)
    _cache: dict[tuple[str, Hashable, Hashable], Any] = field(default_factory=dict, init=False, repr=False)

    @property
    def key(self) -> str:
        """'v3': the version as caches and file names know it."""
        return f"v{self.version}"

    @cached_property
    def main(self) -> pd.DataFrame:
        """The series of the main area, in file order."""
        return self.result[self.result["area"] == self.main_area]

    def row(self, index: int) -> pd.Series:
        """One series' result row by its index in `result`."""
        return cast(pd.Series, self.result.loc[index])

    def series_id(self, index: int) -> str:
        """A series' stable name for links: 'dang_vien_moi', or 'ty_le@Xã Đồng Hướng' outside the main area."""
        row = self.row(index)
        return str(row["indicator_id"]) if row["area"] == self.main_area else f"{row['indicator_id']}@{row['area']}"

    def series_rows(self, row: pd.Series) -> pd.DataFrame:
        """The dataset rows of one series (a result row's indicator and area)."""
        f = self.frame
        return f[(f["indicator_id"] == row["indicator_id"]) & (f["area"] == row["area"])]

    # --- terms and areas ---------------------------------------------------------------------------------
    def term(self, label: str | None) -> Term | None:
        """The term of that label; None when the version has no such term."""
        return next((x for x in self.terms if x.label == label), None)

    def closed(self, term: Term) -> bool:
        return term.closed(self.today, self.terms)

    @cached_property
    def _positions(self) -> dict[Hashable, np.ndarray]:
        """Per area, the positions of its rows in `rows`: a scope takes them instead of scanning every row."""
        if not len(self.rows):
            return {}
        return {area: np.asarray(at) for area, at in self.rows.groupby("area", sort=False).indices.items()}

    def _targets_in(self, term: Term | None) -> pd.Series:
        """The areas of the target rows of a term (every target when term is None)."""
        targets = self.rows["kind"] == "target"
        if term is not None:
            targets &= self.labels == term.label
        return self.rows.loc[targets, "area"]

    def _memo(self, key: tuple[str, Hashable, Hashable], make: Callable[[], T]) -> T:
        """`make()` once per key (a page's every rerun asks for its defaults again)."""
        if key not in self._cache:
            self._cache.setdefault(key, make())
        return cast(T, self._cache[key])

    def default_term(self, area: str | None = None) -> Term | None:
        """The term a page opens on: of the terms with a target for `area` (every term when None), else of the
        terms whose window holds one of its observations, else of every term — the latest that has begun,
        else the earliest."""
        return self._memo(("default_term", area, None), lambda: self._default_term(area))

    def _default_term(self, area: str | None) -> Term | None:
        pool = list(self.terms)
        if area and area in self._positions:
            at = self._positions[area]
            kind = self.rows["kind"].take(at).to_numpy()
            held = set(self.labels.take(at)[kind == "target"])
            ends = self.rows["period_end"].take(at)[np.isin(kind, ("actual", "estimate"))]
            seen = [x for x in self.terms if ((ends >= x.window[0]) & (ends <= x.window[1])).any()]
            pool = [x for x in self.terms if x.label in held] or seen or pool
        if not pool:
            return None
        day = pd.Timestamp(self.today or date.today())
        begun = [x for x in pool if x.window[0] <= day]
        return begun[-1] if begun else pool[0]

    def default_area(self, term: Term | None = None) -> str:
        """The area a page opens on: among the areas with targets in the term, the highest level (province,
        district, commune), then the most target rows, then the first in the file; without targets, the
        `main_area` rule over the rows."""
        return self._memo(("default_area", term.label if term else None, None), lambda: self._default_area(term))

    def _default_area(self, term: Term | None) -> str:
        pool = self._targets_in(term)
        if pool.empty:
            return main_area(self.rows)
        counts = pool.groupby(pool, sort=False).size()
        names = [str(a) for a in counts.index]
        ranked = sorted(range(len(names)), key=lambda i: (_level_rank(self.register, names[i]),
                                                          -int(counts.iloc[i]), i))
        return names[ranked[0]]

    def areas(self) -> list[str]:
        """Every area of the rows, in file order."""
        return [str(a) for a in self._positions]

    def areas_by_level(self) -> list[str]:
        """Every area, higher levels first (province, district, commune, unknown), then by name."""
        return self._memo(("areas_by_level", None, None),
                          lambda: sorted(self.areas(), key=lambda a: (_level_rank(self.register, a), a)))

    def sub_areas(self, area: str) -> list[str]:
        """The areas of the rows under `area`: its children in the register on the day of the data (as_of of
        the area's default term), in file order; without a register or children, the dataset's other areas
        when `area` is the main area (the rule before areas had a hierarchy)."""
        named = self.areas()
        if self.register is not None:
            term = self.default_term(area)
            on = self.scope(area, term.label if term else None).as_of
            kids = set(self.register.children_of(area, on.date() if on is not None else None))
            found = [a for a in named if a in kids]
            if found:
                return found
        return [a for a in named if a != area] if area == self.main_area else []

    def rows_of(self, areas: list[str]) -> pd.DataFrame:
        """The rows of some areas (by their positions), in file order within each area."""
        found = [self._positions[a] for a in areas if a in self._positions]
        return self.rows.take(np.concatenate(found) if found else np.empty(0, dtype=np.int64))

    def predecessor_rows(self, area: str, indicator_id: str) -> pd.DataFrame:
        """One indicator's rows of the units merged into `area` (`Crosswalk.under_successor`: each relabelled
        with its `predecessor`, for showing beside the successor, never summed)."""
        crosswalk = default_crosswalk()
        names: list[str] = []
        frontier = [area]
        while frontier:  # the units it was formed from, theirs, …
            for name, _ in crosswalk.predecessors(frontier.pop()):
                if name not in names and name != area:
                    names.append(name)
                    frontier.append(name)
        rows = self.rows_of(names)
        rows = rows[rows["indicator_id"] == indicator_id]
        return crosswalk.under_successor(rows, area) if len(rows) else rows.assign(predecessor="")

    def merger_dates(self, area: str) -> list[pd.Timestamp]:
        """The days the unit of that name changed (the crosswalk's break dates): a series under the name is
        not comparable across them."""
        return [pd.Timestamp(d) for d in default_crosswalk().break_dates(area)]

    def term_result(self, label: str) -> pd.DataFrame:
        """The term's progress of every series, all areas (`term_progress`), computed once per term."""
        key = ("term", label, None)
        if key not in self._cache:
            term = self.term(label)
            if term is None:
                raise KeyError(label)
            result = term_progress(self.rows, term, self.today, labels=self.labels, terms=self.terms)
            result["computed"] = _computed_series(result, self.computed)
            self._cache.setdefault(key, result)
        return cast(pd.DataFrame, self._cache[key])

    def scope(self, area: str, term_label: str | None) -> Scope:
        """One area in one term (None or an unknown label: the whole history), computed once per pair.

        Only that area's rows are taken (by their positions): a page about a commune never copies the
        province."""
        key = ("scope", area, term_label)
        if key not in self._cache:
            term = self.term(term_label)
            part = self.rows.take(self._positions.get(area, np.empty(0, dtype=np.int64)))
            if term is None:
                result = _with_computed(self.result[self.result["area"] == area], self.computed)
            else:
                labels = self.labels.take(self._positions.get(area, np.empty(0, dtype=np.int64)))
                other = part["kind"].isin(TERM_KINDS) & (labels != term.label)
                part = part[~other.to_numpy()]
                whole = self.term_result(term.label)
                result = whole[whole["area"] == area]
            as_of = progress_as_of(result, area) or data_date(part)
            scope = Scope(area=area, term=term, closed=term is not None and self.closed(term), result=result,
                          frame=part, as_of=as_of)
            self._cache.setdefault(key, scope)
        return cast(Scope, self._cache[key])

    def report(self, lang: str = "vi", area: str | None = None, term: str | None = None) -> model.ReportModel:
        """What the deck, the brief and presentation mode say, in one language, about one area and term
        (the defaults when None)."""
        return model.prepare(self, lang, area=area, term=term)

    def slide_plan(self, lang: str = "vi", area: str | None = None, term: str | None = None) -> list[model.Slide]:
        """The one slide plan: presentation mode shows it slide by slide, the deck follows its order."""
        return model.slide_plan(self.report(lang, area, term))

    def value_texts(self, lang: str = "vi") -> pd.Series:
        """`value_text` of every series, indexed like `result`."""
        return pd.Series([value_text(r, lang) for _, r in self.result.iterrows()], index=self.result.index,
                         dtype=object)


def _computed_series(result: pd.DataFrame, computed: pd.DataFrame) -> np.ndarray:
    """Per result row: is its series made of roll-up rows (computed from the children)?"""
    if computed.empty or result.empty:
        return np.zeros(len(result), dtype=bool)
    keys = pd.MultiIndex.from_frame(computed[list(SERIES)].astype(str)).unique()
    return pd.MultiIndex.from_frame(result[list(SERIES)].astype(str)).isin(keys)


def _with_computed(result: pd.DataFrame, computed: pd.DataFrame) -> pd.DataFrame:
    return result.assign(computed=_computed_series(result, computed))


def _areas_of(frame: pd.DataFrame) -> tuple[Register, pd.DataFrame]:
    """The register of the areas the rows name, and the roll-up rows it allows (indicators.areas)."""
    register = default_register().with_frame(frame)
    return register, rollup(frame, register)


def view_of(frame: pd.DataFrame, *, version: int | None = None, created_at: datetime | None = None,
            label: str | int | None = None, today: date | None = None) -> VersionView:
    """The view of a dataset frame: its terms, areas, roll-ups, progress, main area and date computed once
    (`today`: the day terms are judged on, for tests; None is the real today)."""
    register, computed = _areas_of(frame)
    extra = [c for c in ("computed", "reported", "expected") if c in computed]
    rows = frame if computed.empty else pd.concat([frame, computed[[*frame.columns, *extra]]], ignore_index=True)
    if rows is not frame:  # the stored rows as a slice of `rows`, so a province's frame is not held twice
        frame = rows.iloc[: len(frame), : len(frame.columns)]
    labels = row_terms(rows)
    terms = tuple(terms_of(rows, labels))
    result = compute_progress(frame)
    shown = label if label is not None else version
    view = VersionView(version=version, created_at=created_at, frame=frame, result=result, main_area="",
                       as_of=None, label="" if shown is None else str(shown), terms=terms, register=register,
                       computed=computed, rows=rows, labels=labels, today=today)
    area = view.default_area(view.default_term()) if len(frame) else ""
    object.__setattr__(view, "main_area", area)  # the one field that needs the view's own rules
    object.__setattr__(view, "as_of", as_of_date(frame, result, area))
    return view


def load_view(store: Store, version: int, *, today: date | None = None) -> VersionView:
    """The view of one stored version (raises VersionNotFound for an unknown id)."""
    info = store.version(version)
    return view_of(store.load(info.version), version=info.version, created_at=info.created_at, today=today)

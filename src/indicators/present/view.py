"""One version of the dataset as every output shows it: the pages, presentation mode, the deck, the brief, the CLI.

    view = load_view(store, 3)              # a stored version (the pages cache it per version id)
    view = view_of(load_csv(path))          # a file outside the store (`indicators report --data`)
    view.main_area, view.as_of              # 'Huyện Kim Sơn', Timestamp('2023-10-31')
    value_text(row, "vi")                   # '23/23 xã' — the latest value of a result row
    view.slide_plan("vi")                   # the slides of presentation mode and the order of the deck

A `VersionView` is immutable and computed once per version: the rows, their progress (`compute_progress`),
the main area and the "as of" date, each by the one rule written below. Everything an output says about
the version is derived from it here or in `model.prepare(view, lang)`, so the screen and the handouts
cannot disagree. It lives in `present/` because all of its readers are outputs; it reads the store and the
progress engine, which sit upstream, and nothing upstream reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, cast

import pandas as pd

from indicators.present import model
from indicators.present.narrative import value_text as _value_text
from indicators.progress.engine import compute_progress, progress_as_of

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


@dataclass(frozen=True, eq=False)
class VersionView:
    """One version, read once: treat its frames as read-only (the pages share one per version id)."""

    version: int | None  # the store's version id; None for a file outside the store
    created_at: datetime | None
    frame: pd.DataFrame  # the rows, in file order
    result: pd.DataFrame  # compute_progress(frame): one row per series (indicator and area)
    main_area: str  # main_area(frame)
    as_of: pd.Timestamp | None  # as_of_date(frame, result, main_area)
    label: str = ""  # how the outputs name the version: the id, or a file's given label

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

    def report(self, lang: str = "vi") -> model.ReportModel:
        """What the deck, the brief and presentation mode say, in one language."""
        return model.prepare(self, lang)

    def slide_plan(self, lang: str = "vi") -> list[model.Slide]:
        """The one slide plan: presentation mode shows it slide by slide, the deck follows its order."""
        return model.slide_plan(self.report(lang))

    def value_texts(self, lang: str = "vi") -> pd.Series:
        """`value_text` of every series, indexed like `result`."""
        return pd.Series([value_text(r, lang) for _, r in self.result.iterrows()], index=self.result.index,
                         dtype=object)


def view_of(frame: pd.DataFrame, *, version: int | None = None, created_at: datetime | None = None,
            label: str | int | None = None) -> VersionView:
    """The view of a dataset frame: its progress, main area and date computed once."""
    result = compute_progress(frame)
    area = main_area(frame)
    shown = label if label is not None else version
    return VersionView(version=version, created_at=created_at, frame=frame, result=result, main_area=area,
                       as_of=as_of_date(frame, result, area), label="" if shown is None else str(shown))


def load_view(store: Store, version: int) -> VersionView:
    """The view of one stored version (raises VersionNotFound for an unknown id)."""
    info = store.version(version)
    return view_of(store.load(info.version), version=info.version, created_at=info.created_at)

"""The crosswalk: which old unit became which new unit, and on what day — data, never guessed.

Each link of `data/crosswalk/*.csv` says `old_name` (code) became, or became part of, `new_name` (code)
from `effective`, on the `basis` of a legal act, citing its `source`. An old unit with several successors on
one day (a district abolished into communes) is *partial* in each. A new unit with the name of an old one
(Xã Quang Thiện) is still a new unit: its series breaks on that day (`break_dates`), and the old units'
figures are shown beside it (`under_successor`), never added up into it.

>>> cw = Crosswalk([Link("Xã A", "1", "Xã C", "3", date(2025, 7, 1)), Link("Xã C", "3", "Xã C", "3", date(2025, 7, 1)),
...                 Link("Huyện H", "9", "Xã C", "3", date(2025, 7, 1)), Link("Huyện H", "9", "Xã D", "4", date(2025, 7, 1))])
>>> [n for n, _ in cw.predecessors("Xã C")], cw.break_dates("Xã C"), cw.partial("Huyện H", date(2025, 7, 1))
(['Huyện H', 'Xã A', 'Xã C'], [datetime.date(2025, 7, 1)], True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from indicators.areas.register import csv_rows, normal_name
from indicators.paths import DATA_DIR

CROSSWALK_DIR = DATA_DIR / "crosswalk"
CROSSWALK_COLUMNS: tuple[str, ...] = ("old_name", "old_code", "new_name", "new_code", "effective", "basis",
                                      "source", "note")


@dataclass(frozen=True)
class Link:
    """One old unit -> one new unit from `effective` (the first day of the new unit)."""

    old_name: str
    old_code: str
    new_name: str
    new_code: str
    effective: date
    basis: str = ""
    source: str = ""
    note: str = ""


def read_links(path: Path) -> list[Link]:
    """The links of one crosswalk CSV; ValueError naming the file, line and field of a bad row."""
    out = []
    for where, row in csv_rows(path, CROSSWALK_COLUMNS):
        if not row["old_name"].strip() or not row["new_name"].strip():
            raise ValueError(f"{where}: a link needs old_name and new_name")
        if not row["basis"].strip() and not row["source"].strip():
            raise ValueError(f"{where}: a link cites its basis or source")
        try:
            effective = date.fromisoformat(row["effective"].strip())
        except ValueError:
            raise ValueError(f"{where}: effective '{row['effective']}' is not a date (YYYY-MM-DD)") from None
        out.append(Link(normal_name(row["old_name"]), row["old_code"].strip(), normal_name(row["new_name"]),
                        row["new_code"].strip(), effective, row["basis"].strip(), row["source"].strip(),
                        row["note"].strip()))
    return out


class Crosswalk:
    """The links, looked up by either side."""

    def __init__(self, links: Iterable[Link]) -> None:
        self.links: tuple[Link, ...] = tuple(sorted(links, key=lambda k: (k.effective, k.new_name, k.old_name)))
        self._from: dict[str, list[Link]] = {}
        self._to: dict[str, list[Link]] = {}
        for link in self.links:
            self._from.setdefault(link.old_name, []).append(link)
            self._to.setdefault(link.new_name, []).append(link)

    def __len__(self) -> int:
        return len(self.links)

    def successors(self, name: str) -> list[tuple[str, date]]:
        """The units the unit(s) of that name became, with the day."""
        return [(k.new_name, k.effective) for k in self._from.get(normal_name(name), ())]

    def predecessors(self, name: str) -> list[tuple[str, date]]:
        """The units the unit(s) of that name were formed from, with the day."""
        return [(k.old_name, k.effective) for k in self._to.get(normal_name(name), ())]

    def partial(self, old_name: str, effective: date) -> bool:
        """True when that old unit went into more than one new unit on that day (each takes a part)."""
        return sum(1 for k in self._from.get(normal_name(old_name), ()) if k.effective == effective) > 1

    def break_dates(self, name: str) -> list[date]:
        """The days the unit of that name changed (it was formed, merged or abolished): a series under the
        name is not comparable across them."""
        name = normal_name(name)
        days = {k.effective for k in (*self._from.get(name, ()), *self._to.get(name, ()))}
        return sorted(days)

    def lineage(self, name: str, *, include_partial: bool = False) -> list[tuple[str, date]]:
        """Every earlier unit whose figures belong beside `name`'s: its predecessors, theirs, … (each with
        the day it ended), nearest first. A partial predecessor (a district split into communes) is left out
        unless asked: its figures are of a larger territory."""
        out: list[tuple[str, date]] = []
        frontier = [(normal_name(name), date.max)]
        seen: set[tuple[str, date]] = set()
        while frontier:
            current, before = frontier.pop(0)
            for link in self._to.get(current, ()):
                if link.effective >= before:  # the link that formed a later unit of the same name
                    continue
                if not include_partial and self.partial(link.old_name, link.effective):
                    continue
                item = (link.old_name, link.effective)
                if item not in seen:
                    seen.add(item)
                    out.append(item)
                    frontier.append(item)
        return out

    def under_successor(self, frame: pd.DataFrame, new_name: str, *, include_partial: bool = False) -> pd.DataFrame:
        """The predecessors' rows, for showing beside `new_name`'s series: each row of an earlier unit dated
        before that unit ended, relabelled `area` = `new_name`, with `predecessor` (the old name, never "")
        and `merged_on` (the day it ended). Show them as their own series, marked broken at `merged_on`;
        never add them into the successor's figures."""
        parts = []
        for old, ended in self.lineage(new_name, include_partial=include_partial):
            rows = frame[(frame["area"] == old) & (frame["period_end"] < pd.Timestamp(ended))]
            if not rows.empty:
                rows = rows.assign(area=normal_name(new_name), predecessor=old, merged_on=pd.Timestamp(ended))
                parts.append(rows)
        if not parts:
            return frame.iloc[0:0].assign(predecessor=pd.Series(dtype="string"),
                                          merged_on=pd.Series(dtype="datetime64[ns]"))
        return pd.concat(parts, ignore_index=True)


    def mark_breaks(self, frame: pd.DataFrame) -> pd.Series:
        """`frame`'s `series_break` with `merger` where the unit of a row's area changed before it: the first
        period on or after a break date of a series (indicator, area, breakdown) that has figures before that
        date, unless the row already names a break. For the rows of a name that outlived a merger (Xã Quang
        Thiện) and for computed parents (the merged Tỉnh Ninh Bình) alike."""
        out = frame["series_break"].copy()
        if frame.empty:
            return out
        span = frame.groupby("area", sort=False, observed=True)["period_end"].agg(["min", "max"])
        named = [a for a, lo, hi in zip(span.index, span["min"], span["max"], strict=True)
                 if any(lo < pd.Timestamp(d) <= hi for d in self.break_dates(str(a)))]  # figures on both sides
        if not named:
            return out
        rows = frame.loc[frame["area"].isin(named), ["indicator_id", "area", "breakdown", "period_end", "series_break"]]
        for area, part in rows.groupby("area", sort=False):
            for day in self.break_dates(str(area)):
                when = pd.Timestamp(day)
                after = part[part["period_end"] >= when]
                before = part.loc[part["period_end"] < when, ["indicator_id", "breakdown"]].drop_duplicates()
                if after.empty or before.empty:
                    continue
                after = after.merge(before.assign(_before=True), how="left", on=["indicator_id", "breakdown"])
                after.index = part.index[part["period_end"] >= when]
                after = after[after["_before"].notna()]
                first = after.groupby(["indicator_id", "breakdown"])["period_end"].transform("min")
                hit = after.index[(after["period_end"] == first) & (after["series_break"].fillna("") == "")]
                out.loc[hit] = "merger"
        return out


@cache
def default_crosswalk() -> Crosswalk:
    """The shipped crosswalk: every `data/crosswalk/*.csv` (cached for the process)."""
    links: list[Link] = []
    for path in sorted(CROSSWALK_DIR.glob("*.csv")):
        links.extend(read_links(path))
    return Crosswalk(links)

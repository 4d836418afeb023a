"""The register of areas: which unit a name means on a given day, its level, code and parent.

A name is not a unit. "Xã Quang Thiện" was a commune of Huyện Kim Sơn until 30/06/2025 and is a merged
commune of the new Tỉnh Ninh Bình from 01/07/2025; "Tỉnh Ninh Bình" names the old province and the merged
one. So a name holds one or more `Unit`s told apart by validity, and every question takes a day (`on`):
the unit valid on a row's `period_end` is that row's unit; without a day, the latest unit answers.

>>> reg = Register([
...     Unit("Tỉnh A", "1", "province", "", None, None),
...     Unit("Huyện B", "101", "district", "Tỉnh A", None, date(2025, 6, 30)),
...     Unit("Xã C", "10101", "commune", "Huyện B", None, date(2025, 6, 30)),
...     Unit("Xã C", "10101", "commune", "Tỉnh A", date(2025, 7, 1), None)])
>>> reg.parent_of("Xã C", date(2024, 1, 1)), reg.parent_of("Xã C")
('Huyện B', 'Tỉnh A')
>>> reg.ancestors("Xã C", date(2024, 1, 1)), reg.children_of("Tỉnh A")
(['Huyện B', 'Tỉnh A'], ['Xã C'])

Units come from `data/areas/*.csv` (each row citing its source), then from the dataset itself
(`with_frame`: its `area`, `area_code`, `parent_area`); where a dataset names a unit the CSVs do not, the
maintained package (`areas.package`) gives its level, code and parent when it knows the code.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from indicators import contract
from indicators.areas import package
from indicators.paths import DATA_DIR

LEVELS: tuple[str, ...] = ("province", "district", "commune")
AREAS_DIR = DATA_DIR / "areas"
REGISTER_COLUMNS: tuple[str, ...] = ("name", "code", "level", "parent", "valid_from", "valid_to", "source")

#: Name prefixes (folded) -> level. "Thành phố" is a province only when centrally governed (the package
#: knows which: `_PROVINCE_CITIES`), else a district (a city of a province).
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("tinh ", "province"), ("huyen ", "district"), ("quan ", "district"), ("thi xa ", "district"),
    ("thanh pho ", "district"), ("xa ", "commune"), ("phuong ", "commune"), ("thi tran ", "commune"),
    ("dac khu ", "commune"), ("tt ", "commune"), ("tp ", "district"),
)


@dataclass(frozen=True)
class Unit:
    """One administrative unit over the days it existed (`valid_from`/`valid_to` inclusive, None = open)."""

    name: str
    code: str
    level: str
    parent: str
    valid_from: date | None
    valid_to: date | None
    source: str = ""

    def valid_on(self, day: date | None) -> bool:
        """True when the unit existed on `day` (any day when None)."""
        if day is None:
            return True
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def latest_on(self, day: date | None) -> bool:
        """Valid on `day`; without one, still valid at the end (open, or not closed): the latest units."""
        return self.valid_on(day) if day is not None else self.valid_to is None


def normal_name(name: str) -> str:
    """A name as the register keys it: NFC, spacing collapsed ('Xã  Kim Hải ' -> 'Xã Kim Hải')."""
    return " ".join(unicodedata.normalize("NFC", str(name)).split())


@cache
def _province_cities() -> frozenset[str]:
    return frozenset(u.name for u in package.units() if u.level == "province" and u.name.startswith("Thành phố"))


def level_from_name(name: str) -> str | None:
    """The level a name's prefix says: 'Xã Kim Hải' -> 'commune', 'Huyện Kim Sơn' -> 'district',
    'Thị trấn Phát Diệm' -> 'commune', 'Đặc khu Phú Quốc' -> 'commune', 'Kim Sơn' -> None.

    >>> level_from_name("Tỉnh Ninh Bình"), level_from_name("Phường Hoa Lư"), level_from_name("Kim Sơn")
    ('province', 'commune', None)
    """
    folded = contract.fold(name) + " "
    for prefix, level in _PREFIXES:
        if folded.startswith(prefix):
            if level == "district" and prefix in ("thanh pho ", "tp ") and normal_name(name) in _province_cities():
                return "province"
            return level
    return None


def level_from_code(code: str) -> str | None:
    """The level a zero-padded GSO code's length says ('37' province, '376' district, '14647' commune)."""
    code = code.strip()
    return package.CODE_DIGITS.get(len(code)) if code.isdigit() else None


def as_day(value: object) -> date | None:
    """A day as the register compares them: a date, a datetime, Timestamp or datetime64 (its date); None,
    NaT or NaN (a row whose period did not parse; a missing group key) -> None."""
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, datetime):  # a Timestamp too (before date: a datetime is a date)
        return None if pd.isna(value) else value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"not a day: {value!r}")


def _parse_day(text: str, where: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{where}: '{text}' is not a date (YYYY-MM-DD)") from None


def _package_units(name: str, code: str) -> list[package.PackageUnit]:
    """The package's units of that name (and code): all of them when they are one unit's old and new
    entries (same level and code), none when the name alone is ambiguous."""
    if code:
        return [u for u in package.by_code().get(package.code_key(code), ()) if u.name == name]
    found = package.by_name().get(name, ())
    return list(found) if len({(u.level, u.code) for u in found}) == 1 else []


def csv_rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[str, dict[str, str]]]:
    """The rows of one of data/'s CSV files with where each stands ('ninh_binh.csv line 7'); ValueError
    naming the file when one of `columns` is missing. (The register and the crosswalk read theirs so.)"""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path.name}: missing columns {missing}")
        for line, row in enumerate(reader, start=2):
            yield f"{path.name} line {line}", row


def read_units(path: Path) -> list[Unit]:
    """The units of one register CSV; ValueError naming the file, line and field of a bad row."""
    out = []
    for where, row in csv_rows(path, REGISTER_COLUMNS):
        level = row["level"].strip()
        if level not in LEVELS:
            raise ValueError(f"{where}: level '{level}' is not one of {', '.join(LEVELS)}")
        if not row["name"].strip() or not row["source"].strip():
            raise ValueError(f"{where}: every unit needs a name and a source")
        start, end = _parse_day(row["valid_from"], where), _parse_day(row["valid_to"], where)
        if start and end and end < start:
            raise ValueError(f"{where}: valid_to {end} is before valid_from {start}")
        out.append(Unit(normal_name(row["name"]), row["code"].strip(), level, normal_name(row["parent"]),
                        start, end, row["source"].strip()))
    return out


class Register:
    """Units by name, each name holding its units oldest first. Immutable: `with_frame` returns a new one."""

    def __init__(self, units: Iterable[Unit]) -> None:
        by_name: dict[str, list[Unit]] = {}
        for unit in units:
            by_name.setdefault(unit.name, []).append(unit)
        for items in by_name.values():
            items.sort(key=lambda u: (u.valid_from or date.min, u.valid_to or date.max))
        self._by_name = by_name
        self._children: dict[str, list[Unit]] = {}
        for items in by_name.values():
            for unit in items:
                if unit.parent:
                    self._children.setdefault(unit.parent, []).append(unit)
        self._codes: dict[str, list[Unit]] = {}
        for items in by_name.values():
            for unit in items:
                if unit.code:
                    self._codes.setdefault(package.code_key(unit.code), []).append(unit)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_name.values())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normal_name(name) in self._by_name

    def units(self) -> list[Unit]:
        """Every unit, by name then validity."""
        return [u for items in self._by_name.values() for u in items]

    def unit(self, name: str, on: date | None = None) -> Unit | None:
        """The unit of that name valid on `on` (the latest when None); None when there is none."""
        items = self._by_name.get(normal_name(name))
        if not items:
            return None
        on = as_day(on)
        if on is None:
            return items[-1]
        valid = [u for u in items if u.valid_on(on)]
        return valid[-1] if valid else None

    def level_of(self, name: str, on: date | None = None) -> str | None:
        unit = self.unit(name, on)
        return unit.level if unit else None

    def parent_of(self, name: str, on: date | None = None) -> str | None:
        unit = self.unit(name, on)
        return unit.parent or None if unit else None

    def children_of(self, name: str, on: date | None = None) -> list[str]:
        """The names of the units whose parent was this area on `on` (without a day: those of the latest
        unit's last day, so an abolished district's children are its last communes, a province's today's)."""
        on = as_day(on)
        parent = self.unit(name, on)
        if parent is None:
            return []
        day = on if on is not None else parent.valid_to
        names = {u.name for u in self._children.get(parent.name, ()) if u.latest_on(day)}
        return sorted(names)

    def ancestors(self, name: str, on: date | None = None) -> list[str]:
        """The area's parent, its parent's parent, … (nearest first), each as it was on that day."""
        on = as_day(on)
        unit = self.unit(name, on)
        out: list[str] = []
        day = on if on is not None else (unit.valid_to if unit else None)
        while unit is not None and unit.parent and unit.parent not in out and unit.parent != unit.name:
            out.append(unit.parent)
            unit = self.unit(unit.parent, day) or self.unit(unit.parent)
        return out

    def names(self, level: str | None = None, on: date | None = None) -> list[str]:
        """The areas (of a level) valid on `on` (every name when None), sorted."""
        on, out = as_day(on), []
        for name, items in self._by_name.items():
            unit = self.unit(name, on) if on is not None else items[-1]
            if unit is not None and (level is None or unit.level == level):
                out.append(name)
        return sorted(out)

    def by_code(self, code: str, on: date | None = None) -> list[Unit]:
        """The register's units with that code valid on `on`."""
        return [u for u in self._codes.get(package.code_key(code), ()) if u.valid_on(as_day(on))]

    def with_frame(self, frame: pd.DataFrame) -> Register:
        """This register plus the areas a dataset names that it does not know. Where the maintained package
        knows the name (with the row's `area_code`, or by the name alone when only one unit bears it), its
        units come in with their level, code, parent and days; otherwise one open unit, its level from the
        code's length or the name's prefix, its parent from `parent_area`. A unit already known keeps its
        register entry (`check` reports disagreements)."""
        cols = [c for c in ("area", "area_code", "parent_area") if c in frame.columns]
        if "area" not in cols or frame.empty:
            return self
        seen = frame.loc[:, cols].fillna("").drop_duplicates()
        added: dict[str, list[Unit]] = {}
        for rec in seen.itertuples(index=False):
            name = normal_name(str(rec.area))
            if not name or name in self._by_name or name in added:
                continue
            code = str(getattr(rec, "area_code", "") or "").strip()
            parent = normal_name(getattr(rec, "parent_area", "") or "")
            known = _package_units(name, code)
            if known:
                added[name] = [Unit(name, u.code, u.level, parent or u.parent, u.valid_from, u.valid_to,
                                    package.citation()) for u in known]
            else:
                level = level_from_code(code) or level_from_name(name) or ""
                added[name] = [Unit(name, code, level, parent, None, None, "dataset")]
        if not added:
            return self
        return Register([*self.units(), *(u for units in added.values() for u in units)])

    def check(self, frame: pd.DataFrame) -> list[tuple[int, str, dict[str, str]]]:
        """Warnings for rows whose `area_code` or `parent_area` disagree with the register on the row's day:
        (frame position, code, params) with codes `area_code_mismatch`, `area_code_unknown`,
        `parent_mismatch` (messages: i18n `check_<code>`). A name the register does not know is not an issue
        (the dataset may name its own areas); a code nobody knows is."""
        cols = [c for c in ("area", "area_code", "parent_area") if c in frame.columns]
        if "area" not in cols or len(cols) == 1 or frame.empty:
            return []
        keys = pd.DataFrame({c: frame[c].fillna("").astype(str).str.strip().to_numpy() for c in cols})
        for c in ("area_code", "parent_area"):
            if c not in keys.columns:
                keys[c] = ""
        keys["period_end"] = frame["period_end"].to_numpy() if "period_end" in frame.columns else pd.NaT
        keys = keys[(keys["area_code"] != "") | (keys["parent_area"] != "")]
        issues: list[tuple[int, str, dict[str, str]]] = []
        by = ["area", "area_code", "parent_area", "period_end"]
        for combo, positions in keys.groupby(by, sort=False, dropna=False).indices.items():
            name, code, parent, end = cast(tuple[str, str, str, pd.Timestamp], combo)
            found = self._check_one(name, code, parent, as_day(end))
            if found:
                issues.extend((int(keys.index[p]), found[0], found[1]) for p in positions)
        issues.sort(key=lambda i: i[0])
        return issues

    def _check_one(self, name: str, code: str, parent: str, day: date | None) -> tuple[str, dict[str, str]] | None:
        name, parent = normal_name(name), normal_name(parent)
        unit = self.unit(name, day)
        if code:
            if unit is not None and unit.code and package.code_key(unit.code) != package.code_key(code):
                return "area_code_mismatch", {"area": name, "area_code": code, "expected": unit.code}
            if (unit is None or not unit.code) and not self.by_code(code) \
                    and not package.by_code().get(package.code_key(code)):
                return "area_code_unknown", {"area": name, "area_code": code}
        if parent and unit is not None and unit.parent:
            allowed = {contract.loose(a) for a in self.ancestors(name, day)}
            if contract.loose(parent) not in allowed:
                return "parent_mismatch", {"area": name, "parent": parent, "expected": unit.parent}
        return None


def is_register_file(path: Path) -> bool:
    """A CSV of `data/areas/` whose header names `valid_from` is a register file (read_units checks the rest);
    another (a tile layout of the map) is not the register's."""
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    return "valid_from" in (h.strip() for h in header)


@cache
def default_register() -> Register:
    """The shipped register: every register file of `data/areas/` (cached for the process; they are data)."""
    units: list[Unit] = []
    for path in sorted(AREAS_DIR.glob("*.csv")):
        if is_register_file(path):
            units.extend(read_units(path))
    return Register(units)


def check_areas(frame: pd.DataFrame) -> list[tuple[int, str, dict[str, str]]]:
    """The register's warnings for a validated frame (`Register.check` on the shipped register), for
    validation to report: [(frame position, issue code, params)]."""
    return default_register().check(frame)


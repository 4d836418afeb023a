"""The maintained package of Vietnam's administrative units, read without importing it.

`vietnamadminunits` (docs/areas-package.md says why this one) ships a SQLite file of the 63-province units
(province, district, commune, as they stood just before 1 July 2025) and of the 34-province units after it.
Importing the package loads its address parser (shapely, geopy and 4 MB of JSON: about 1.5 s), which a page
rerun must not pay, so this module finds the package's folder with `importlib.util.find_spec` (that does
not run its `__init__`) and reads the SQLite file read-only, once per process.

Codes are GSO codes kept as text; `code_key` compares them without the zero padding ("037" = "37").
"""

from __future__ import annotations

import importlib.util
import sqlite3
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGE = "vietnamadminunits"
#: The first day of the 34-province units; the package's "legacy" units are the ones of the day before.
REORGANISED = date(2025, 7, 1)
LAST_LEGACY_DAY = date(2025, 6, 30)


@dataclass(frozen=True)
class PackageUnit:
    """One unit as the package knows it: `valid_from`/`valid_to` say which of its two lists it is in."""

    name: str
    code: str
    level: str
    parent: str
    parent_code: str
    valid_from: date | None
    valid_to: date | None


def code_key(code: str) -> str:
    """A GSO code without its zero padding, for comparing: '037' -> '37', '00004' -> '4', '' -> ''."""
    code = code.strip()
    return code.lstrip("0") or ("0" if code else "")


def version() -> str:
    """The installed version of the package ('' when it is not installed)."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return ""


def citation() -> str:
    """How a row taken from the package cites it: 'vietnamadminunits 1.0.4 (PyPI)'."""
    return f"{PACKAGE} {version()} (PyPI)"


def _database() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "data" / "dataset.db"
    return path if path.is_file() else None


_LEGACY = """
SELECT DISTINCT province, provinceCode, district, districtCode, ward, wardCode FROM admin_units_legacy
"""
_NEW = "SELECT DISTINCT province, provinceCode, ward, wardCode FROM admin_units"


@cache
def units() -> tuple[PackageUnit, ...]:
    """Every unit of both lists: the legacy ones valid to 30/06/2025, the new ones from 01/07/2025.
    Empty when the package is not installed (the register then knows only data/areas/)."""
    path = _database()
    if path is None:
        return ()
    out: dict[tuple[str, str, date | None], PackageUnit] = {}

    def add(unit: PackageUnit) -> None:
        if (unit.level, unit.code, unit.valid_to) not in out:
            out[unit.level, unit.code, unit.valid_to] = unit

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        legacy, new = conn.execute(_LEGACY).fetchall(), conn.execute(_NEW).fetchall()
    # an island district has no commune: its row's ward is NULL
    for prov, pcode, dist, dcode, ward, wcode in legacy:
        add(PackageUnit(prov, pcode, "province", "", "", None, LAST_LEGACY_DAY))
        add(PackageUnit(dist, dcode, "district", prov, pcode, None, LAST_LEGACY_DAY))
        if ward and wcode:
            add(PackageUnit(ward, wcode, "commune", dist, dcode, None, LAST_LEGACY_DAY))
    for prov, pcode, ward, wcode in new:
        add(PackageUnit(prov, pcode, "province", "", "", REORGANISED, None))
        if ward and wcode:
            add(PackageUnit(ward, wcode, "commune", prov, pcode, REORGANISED, None))
    return tuple(out.values())


@cache
def by_code() -> dict[str, tuple[PackageUnit, ...]]:
    """code_key -> the units with that code (a code may name a province, a district and a commune, and
    the old and the new unit that kept it)."""
    index: dict[str, list[PackageUnit]] = {}
    for unit in units():
        index.setdefault(code_key(unit.code), []).append(unit)
    return {k: tuple(v) for k, v in index.items()}


@cache
def by_name() -> dict[str, tuple[PackageUnit, ...]]:
    """name -> the units of that name (many communes share a name across provinces)."""
    index: dict[str, list[PackageUnit]] = {}
    for unit in units():
        index.setdefault(unit.name, []).append(unit)
    return {k: tuple(v) for k, v in index.items()}


def valid_on(unit: PackageUnit, day: date | None) -> bool:
    if day is None:
        return True
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or day <= unit.valid_to)


#: The digits of a zero-padded GSO code by level: 2 for a province, 3 for a district, 5 for a commune.
CODE_DIGITS = {2: "province", 3: "district", 5: "commune"}


def lookup(name: str, code: str = "", day: date | None = None, level: str | None = None) -> PackageUnit | None:
    """The package's unit of this code and name valid on `day` (the latest of them without a day), or of
    this code alone when its level (asked, or said by the padded code's length) leaves only one; without a
    code, the one unit of that name. None when it knows none or cannot tell which."""
    if code:
        level = level or (CODE_DIGITS.get(len(code.strip())) if code.strip().isdigit() else None)
        found = [u for u in by_code().get(code_key(code), ()) if valid_on(u, day)
                 and (level is None or u.level == level)]
        named = [u for u in found if u.name == name]
        if named and len({u.level for u in named}) == 1:
            return named[-1]
        if len(found) == 1 and level is not None:
            return found[0]
        return None
    found = [u for u in by_name().get(name, ()) if valid_on(u, day) and (level is None or u.level == level)]
    return found[0] if len(found) == 1 else None

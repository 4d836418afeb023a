"""DHIS2 data value sets (JSON, XML or CSV, as `/api/dataValueSets` writes them) -> contract rows.

Each data value names a data element, a period, an organisation unit, a category option combo (the
breakdown: sex, age…), an attribute option combo, the value, and maybe a comment. Ids are DHIS2 UIDs;
a mapping file turns them into names (`read_names`: a CSV `kind,id,name[,unit]`, or DHIS2 metadata JSON
with `dataElements`, `organisationUnits`, `categoryOptionCombos`, `dataSets` lists of `id` + `name`);
without one the ids are kept as names and a warning says so (`ids_not_named`).

The data element is the indicator (matched to the store's catalogue by name or id: its id, unit, group and
direction are reused), the organisation unit the area, the period a contract period (2024 -> "2024",
202401 -> "2024-01", 2024Q1 -> "2024-03", 2024S1 -> "2024-06", 2024W1 -> the week's Sunday, 2024April ->
"2025-03"…; one the contract cannot hold is an error `period_not_supported`), the comment the note, the data
set (or the file name) the source. The category option combo is the breakdown: the default one (or one named
a total) is "" (the total); another, by its name (the mapping file's, else its id), is the known dimensions when
every part of its name says one ("Female, 15-49y" -> "sex=Female; age_group=15-49y"), else `coc=<name>`;
a non-default attribute option combo adds `aoc=<name>`. The "what was found" line says how many breakdown
series were kept. Deleted values are left out.

Where a row came from: CSV rows keep their cells; a JSON or XML value is named by its record number (the
n-th data value of the file) as the row, with no cell — `Issue.row` is that number.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from indicators.contract import fold
from indicators.i18n import pair
from indicators.ingest.adapters import Converted, Options
from indicators.ingest.adapters.peer_common import (
    Rows,
    breakdown_of,
    cell_name,
    check_size,
    contract_period,
    is_total,
    issue_at,
    known_parts,
    no_figure,
    no_figures,
)
from indicators.ingest.grid import read_grid
from indicators.ingest.limits import Limits
from indicators.ingest.reading import ReadError

__all__ = ["convert", "read_names", "sniff", "sniff_header"]

#: The UID DHIS2 gives its default category option combo (dhis-api `UID.isDefault`).
DEFAULT_COMBO = "HllvX50cXC0"
_FIELDS = ("dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value", "comment",
           "deleted", "dataSet")
_BY_FOLDED = {f.lower(): f for f in _FIELDS}
_METADATA_KINDS = ("dataElements", "organisationUnits", "categoryOptionCombos", "attributeOptionCombos",
                   "dataSets", "categoryOptions")


def sniff(data: bytes, filename: str) -> bool:
    """A DHIS2 JSON (`"dataValues"` near the start) or XML (`<dataValueSet`) data value set."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return b'"dataValues"' in head
    if head.startswith(b"<"):
        return b"<dataValueSet" in head
    return False


def sniff_header(header: list[str]) -> bool:
    """A DHIS2 CSV: dataelement, period, orgunit and value columns (any case)."""
    folded = {h.strip().lower().replace(" ", "") for h in header if h}
    return {"dataelement", "period", "orgunit", "value"} <= folded


@dataclass
class _Record:
    fields: dict[str, str]
    row: int  # CSV: the sheet row; JSON/XML: the record number
    columns: dict[str, int]  # CSV: field -> column (1-based); JSON/XML: empty


def _damaged(kind: str, reason: tuple[str, str]) -> ReadError:
    return ReadError("peer_file_damaged", format=f"DHIS2 {kind}", reason=reason)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _json_records(data: bytes, limits: Limits) -> tuple[Iterator[_Record], dict[str, str]]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _damaged("JSON", pair("reason_json", error=str(exc)[:120])) from None
    values = document.get("dataValues") if isinstance(document, dict) else None
    if not isinstance(values, list):
        raise _damaged("JSON", pair("reason_no_data_values"))
    _bound(len(values), limits)
    top = {k: _text(document.get(k)) for k in ("dataSet", "period", "orgUnit", "attributeOptionCombo")}

    def records() -> Iterator[_Record]:
        for number, item in enumerate(values, start=1):
            item = item if isinstance(item, dict) else {}
            fields = {name: _text(item.get(name)) for name in _FIELDS}
            yield _Record(_inherit(fields, top), number, {})
    return records(), top


def _xml_records(data: bytes, limits: Limits) -> tuple[Iterator[_Record], dict[str, str]]:
    """The data values of an XML data value set, read as a stream (a large export is never one tree in
    memory) by defusedxml: no DTD, no entities, no external references."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    top: dict[str, str] = {}
    fields_of: list[dict[str, str]] = []
    try:
        for event, element in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                if not top and tag != "dataValueSet":
                    raise _damaged("XML", pair("reason_no_data_values"))
                if tag == "dataValueSet":
                    top = {k: _text(element.get(k)) for k in ("dataSet", "period", "orgUnit", "attributeOptionCombo")}
                    top["root"] = "1"
                continue
            if tag != "dataValue":
                continue
            fields = {name: _text(element.get(name)) for name in _FIELDS}
            if not fields["value"]:  # <dataValue …><value>12</value></dataValue> is also written
                child = next((c for c in element if c.tag.rsplit("}", 1)[-1] == "value"), None)
                fields["value"] = _text(child.text) if child is not None else ""
            element.clear()
            fields_of.append(fields)
            _bound(len(fields_of), limits)
    except DefusedXmlException:
        raise _damaged("XML", pair("reason_xml_forbidden")) from None
    except ParseError as exc:
        raise _damaged("XML", pair("reason_xml", error=str(exc)[:120])) from None
    top.pop("root", None)

    def records() -> Iterator[_Record]:
        for number, fields in enumerate(fields_of, start=1):
            yield _Record(_inherit(fields, top), number, {})
    return records(), top


def _inherit(fields: dict[str, str], top: dict[str, str]) -> dict[str, str]:
    """A data value without its own period / org unit / attribute combo takes the data value set's."""
    for key in ("period", "orgUnit", "attributeOptionCombo", "dataSet"):
        if not fields.get(key) and top.get(key):
            fields[key] = top[key]
    return fields


def _bound(n: int, limits: Limits) -> None:
    if n > limits.rows:
        raise ReadError("too_many_rows", where=pair("where_file"), last_row=f"{n:,}", limit=f"{limits.rows:,}",
                        setting=Limits.setting("rows"))


def _csv_records(data: bytes, filename: str, options: Options) -> tuple[Iterator[_Record], str]:
    grid = read_grid(data, filename, sheet=options.sheet, limits=options.limits)
    columns = {_BY_FOLDED[h.strip().lower().replace(" ", "")]: j + 1 for j, h in enumerate(grid.rows[0])
               if h.strip().lower().replace(" ", "") in _BY_FOLDED}

    def records() -> Iterator[_Record]:
        for r in range(2, grid.height + 1):
            if not any(grid.rows[r - 1]):
                continue
            yield _Record({name: grid.cell(r, j) for name, j in columns.items()}, r, columns)
    return records(), grid.sheet


def read_names(data: bytes, filename: str = "") -> dict[str, str]:
    """A DHIS2 id -> name mapping from a CSV (`kind,id,name[,unit]`; a unit is kept as "unit:<id>") or
    DHIS2 metadata JSON (`{"dataElements": [{"id": …, "name": …}], "organisationUnits": […]}`)."""
    text = data.decode("utf-8-sig", errors="replace")
    names: dict[str, str] = {}
    if text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            return names
        for kind in _METADATA_KINDS:
            for item in document.get(kind, []) if isinstance(document, dict) else []:
                if isinstance(item, dict) and item.get("id") and (item.get("displayName") or item.get("name")):
                    names[str(item["id"])] = str(item.get("displayName") or item.get("name"))
        return names
    rows = list(csv.reader(io.StringIO(text)))
    header = [fold(h) for h in rows[0]] if rows else []
    start = 1 if "id" in header else 0
    at = {name: header.index(name) for name in ("id", "name", "unit") if name in header}
    i, n, u = at.get("id", 1), at.get("name", 2), at.get("unit", 3)
    for row in rows[start:]:
        if len(row) > max(i, n) and row[i].strip() and row[n].strip():
            names[row[i].strip()] = row[n].strip()
            if len(row) > u and row[u].strip():
                names[f"unit:{row[i].strip()}"] = row[u].strip()
    return names


def _default(combo: str, names: dict[str, str]) -> bool:
    return not combo or combo == DEFAULT_COMBO or is_total(names.get(combo, combo))


def combo_breakdown(name: str, field: str = "categoryOptionCombo") -> list[tuple[str, str]]:
    """The (dimension, value) pairs of a non-default combo's name: sex, residence, age_group when every part
    of it says one (DHIS2 joins a combo's options with ", "); else the whole name under `coc` (an attribute
    option combo: `aoc`).

    >>> combo_breakdown("Female, 15-49y"), combo_breakdown("Nữ"), combo_breakdown("Fixed, <1y")
    ([('sex', 'Female'), ('age_group', '15-49y')], [('sex', 'Nữ')], [('coc', 'Fixed, <1y')])
    """
    if field == "attributeOptionCombo":
        return [("aoc", name)]
    return known_parts(name) or [("coc", name)]


def convert(data: bytes, filename: str, options: Options) -> Converted:
    limits = options.limits or Limits.from_env()
    check_size(data, limits)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    sheet = ""
    if head.startswith(b"{"):
        records, _ = _json_records(data, limits)
        kind = "JSON"
    elif head.startswith(b"<"):
        records, _ = _xml_records(data, limits)
        kind = "XML"
    else:
        records, sheet = _csv_records(data, filename, options)
        kind = "CSV"
    names = read_names(options.companion[1], options.companion[0]) if options.companion else {}
    rows = Rows(options.catalogue)
    unnamed: dict[str, None] = {}  # in the order met
    combos: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (field, combo) -> its breakdown pairs
    periods: dict[str, str | None] = {}
    blank, first_blank, bad, n_records = 0, None, [], 0

    def where(record: _Record, field: str) -> tuple[int, int]:
        return record.row, record.columns.get(field, 0)

    def name_of(uid: str) -> str:
        if uid in names:
            return names[uid]
        if uid and uid not in unnamed:
            unnamed[uid] = None
        return uid

    def pairs_of(field: str, combo: str) -> list[tuple[str, str]]:
        found = combos.get((field, combo))
        if found is None:
            found = combos[(field, combo)] = [] if _default(combo, names) else combo_breakdown(name_of(combo), field)
        return found

    for record in records:
        n_records += 1
        f = record.fields
        pairs = [*pairs_of("categoryOptionCombo", f.get("categoryOptionCombo", "")),
                 *pairs_of("attributeOptionCombo", f.get("attributeOptionCombo", ""))]
        if f.get("deleted", "").lower() == "true" or no_figure(f.get("value", "")):
            blank += 1
            first_blank = first_blank or where(record, "value")
            continue
        text = f.get("period", "")
        period = periods[text] if text in periods else periods.setdefault(text, contract_period(text))
        if period is None:
            r, c = where(record, "period")
            bad.append(issue_at("period_not_supported", cell_name(r, c), row=r, sheet=sheet, column="period",
                                value=f.get("period", "")))
            continue
        element = f.get("dataElement", "")
        data_set = f.get("dataSet", "")
        source = options.source or " — ".join(p for p in (name_of(data_set) if data_set else "", filename) if p)
        at = {key: where(record, field) for key, field in (("indicator", "dataElement"),
                                                           ("indicator_id", "dataElement"), ("area", "orgUnit"),
                                                           ("period", "period"), ("note", "comment"),
                                                           ("breakdown", "categoryOptionCombo"))
              if field in record.columns}
        rows.add(name=name_of(element), unit=names.get(f"unit:{element}", ""), area=name_of(f.get("orgUnit", "")),
                 period=period, value=f.get("value", ""), row=record.row, column=record.columns.get("value", 0),
                 source=source, note=f.get("comment", ""), code=element, breakdown=breakdown_of(pairs), at=at)
    issues = no_figures(blank, first_blank, sheet) + bad[:50]
    named_in_store = {uid for uid in unnamed if options.catalogue.match(uid)}
    unnamed_ids = [uid for uid in unnamed if uid not in named_in_store]
    if unnamed_ids:
        issues.append(issue_at("ids_not_named", value=unnamed_ids[0], n=len(unnamed_ids)))
    detected = pair("detected_dhis2", format=kind, records=n_records, rows=len(rows))
    return rows.converted("dhis2", detected, issues, filename=filename, sha256=hashlib.sha256(data).hexdigest(),
                          sheet=sheet)

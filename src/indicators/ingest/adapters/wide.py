"""Wide report tables ("biểu"): indicators (or areas) as rows, periods and kinds as columns -> contract rows.

    converted = convert(data, "bieu_01.xlsx", Options(area="Xã Kim Chính"))
    converted.mapping.columns   # what each column is: stt, label, unit, value (period, kind), derived…
    converted.mapping.rows      # what each row is: indicator (matched or new), heading, area, total, skip

The conversion is a `Mapping`, proposed from the layout (`wide_layout`: title, header, body, footer) and the
words of the headers (`wide_header`), which the analyst may correct on the upload page and save as a named
profile; `convert` then applies it exactly. The rules it proposes by:

- **Columns**: `STT`, `Chỉ tiêu`, `ĐVT`, `Ghi chú` by name; a derived column ("So sánh (%)", "Tăng/giảm",
  "% so với KH", "(9)=(7)/(6)") is left out; every other column with figures is a value column whose period
  and kind come from its header ("Ước TH năm 2023" -> 2023 estimate, "KH 2025" -> 2025 target, "Năm 2023 /
  TH" -> 2023 actual), else from the title ("… năm 2023"), else `Options.period`; the kind is actual unless
  the header says otherwise. A column headed by an area ("Xã Kim Chính") holds that area's figures.
- **Rows**: a row with figures is an indicator; a row without figures is a heading — a Roman-numbered (I,
  II) or capital-letter one names the group of the rows below it. A sub-item (STT 1.1, a, -, +) under a
  numbered row is named "<parent> — <child>" (its own words, "Nữ", "Trong đó: xã đạt chuẩn", are rarely a
  name on their own); a "Tổng số" sub-item is its parent's own figure. When the label column holds areas
  ("Xã Kim Chính", "Thị trấn Phát Diệm": a yearbook table by commune), each row is an area, the indicator is
  the table's (its title, "Dân số trung bình phân theo xã" -> "Dân số trung bình") or each column's (its
  header, "Diện tích (km²)"); a totals row ("TỔNG SỐ", "Toàn huyện") is the table area's figure when
  `--area`, the letterhead or the title names it, else it is left out with a warning.
- **Indicators** are matched to the store (`Catalogue.match`: id, name, saved alias — by the row's name, then
  its label as written) and take its id, name, unit, group and direction (a different unit in the file is a
  warning `unit_differs`); a new one gets a proposed id (its folded name) and no direction (asked, never
  guessed). `Mapping.aliases` lists the labels the analyst tied to stored indicators, to save as aliases.
- **Area**: the row's or column's, else `Options.area`, else the letterhead ("UBND XÃ KIM CHÍNH") or title
  ("… huyện Kim Sơn"); else an error `table_without_area` (give `--area`). **Source**: the "Nguồn:" line,
  else `Options.source`, else the title and the file's name. Cell forms: see `wide_cells`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.contract import ID_PATTERN, fold
from indicators.i18n import pair
from indicators.ingest.adapters import Catalogue, Converted, Options, Origin, contract_table
from indicators.ingest.adapters import wide_header as wh
from indicators.ingest.adapters.peer_common import breakdowns_kept, with_kept
from indicators.ingest.adapters.wide_cells import NO_FIGURE, read_cells
from indicators.ingest.adapters.wide_layout import FIGURE, Layout, find_layout
from indicators.ingest.grid import Grid
from indicators.ingest.reading import TEXT, ReadError
from indicators.ingest.report import Issue, make_issue
from indicators.ingest.xlsx import column_letters

__all__ = ["COLUMN_ROLES", "ROW_ROLES", "Mapping", "convert", "propose"]

COLUMN_ROLES = ("stt", "label", "unit", "value", "derived", "note", "area", "skip")
ROW_ROLES = ("indicator", "area", "heading", "total", "skip")
COLUMN_FIELDS = ("column", "header", "role", "period", "kind", "area", "indicator_id", "breakdown")
ROW_FIELDS = ("row", "stt", "label", "role", "indicator_id", "match", "indicator", "unit", "group", "direction",
              "area")
#: Table-level fields a profile keeps (the rest — title, area, period, source — is read from each file).
PROFILE_TABLE = ("header_rows", "indicator", "indicator_id", "unit", "group")


@dataclass(eq=False)
class Mapping:
    """What each column and each row of a report table is. The page edits `columns` and `rows`
    (st.data_editor) and passes the edited Mapping back in Options(mapping=...); convert then applies it
    exactly (no guessing). See /work/briefs/i9-mapping-api.md for every field."""

    columns: pd.DataFrame
    rows: pd.DataFrame
    table: dict[str, str]
    signature: str  # the proposed layout's fingerprint (header texts and proposed column roles, no figures)
    sheet: str = ""

    def __eq__(self, other: object) -> bool:
        """Same tables, cell for cell (a dataclass's own == would ask a DataFrame for its truth value)."""
        if not isinstance(other, Mapping):
            return NotImplemented
        return (self.signature, self.sheet, self.table) == (other.signature, other.sheet, other.table) and \
            self.columns.equals(other.columns) and self.rows.equals(other.rows)

    __hash__ = None  # type: ignore[assignment]  # mutable: the page edits it

    def to_profile(self, name: str) -> dict[str, Any]:
        """JSON-able: name, signature, sheet, columns, table — not the rows (re-matched on each file)."""
        columns = self.columns.astype({"column": str}).to_dict("records")
        return {"name": name, "signature": self.signature, "sheet": self.sheet,
                "columns": [{k: str(v) for k, v in c.items()} for c in columns],
                "table": {k: str(self.table.get(k, "")) for k in PROFILE_TABLE}}

    def aliases(self, catalogue: Catalogue) -> dict[str, str]:
        """{label as written: indicator_id} for the indicator rows the analyst tied to a stored indicator
        that their label does not already match (what the page saves with `store.save_aliases`)."""
        found: dict[str, str] = {}
        for role, label, indicator_id, name in zip(self.rows["role"], self.rows["label"], self.rows["indicator_id"],
                                                   self.rows["indicator"], strict=True):
            label, indicator_id = str(label).strip(), str(indicator_id).strip()
            if role != "indicator" or not label or catalogue.get(indicator_id) is None:
                continue
            matched = catalogue.match(str(name)) or catalogue.match(label)
            if matched is None or matched[0] != indicator_id:
                found[label] = indicator_id
        return found

    @classmethod
    def from_profile(cls, body: dict[str, Any], grid: Grid, options: Options | None = None) -> Mapping:
        """The saved columns and table applied to a grid; the rows proposed again (aliases make them stick)."""
        options = options or Options()
        layout = _layout(grid)
        saved = _header_rows(str(body.get("table", {}).get("header_rows", "")))
        if saved and saved[1] - saved[0] != layout.header[1] - layout.header[0]:  # as many header rows as saved
            layout = _layout(grid, (layout.header[0], layout.header[0] + saved[1] - saved[0]))
        columns = pd.DataFrame(body.get("columns", []), columns=list(COLUMN_FIELDS)).fillna("").astype(str)
        saved_headers = columns["header"].tolist()
        columns["header"] = [layout.header_text(_column_index(c)) for c in columns["column"]]
        # next year's form: the same layout with its years moved on; each column's period moves with them
        columns["period"] = [_shift_years(period, old, new) for period, old, new
                             in zip(columns["period"], saved_headers, columns["header"], strict=True)]
        table = _table(grid, layout, options)
        table.update({k: str(v) for k, v in body.get("table", {}).items() if k in PROFILE_TABLE[1:] and v})
        rows = _propose_rows(grid, layout, columns, table, options)
        # the signature stays the proposed layout's (not the corrected roles'): the profile is found by it
        return cls(columns, rows, table, str(body.get("signature") or _signature(columns)), grid.sheet)


def _column_index(letters: str) -> int:
    index = 0
    for char in letters.strip().upper():
        index = index * 26 + ord(char) - 64
    return index


def _header_rows(text: str) -> tuple[int, int] | None:
    match = re.match(r"^(\d+)-(\d+)$", text.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def _layout(grid: Grid, header: tuple[int, int] | None = None) -> Layout:
    layout = find_layout(grid, header)
    if layout is None or layout.body[1] < layout.body[0]:
        raise ReadError("not_a_table", reason=pair("reason_wide_no_header"))
    return layout


_YEARS = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _signature(columns: pd.DataFrame) -> str:
    """The layout's fingerprint: each column's letter, header words (years left out: next year's form is the
    same form) and role."""
    text = "|".join(f"{c}:{_YEARS.sub('#', wh.words(h))}:{r}" for c, h, r in zip(columns["column"], columns["header"],
                                                                                  columns["role"], strict=True))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _shift_years(period: str, saved_header: str, header: str) -> str:
    """A saved column's period moved by as many years as its header moved ("Ước TH năm 2023" saved as
    2023, now "Ước TH năm 2024": 2024); unchanged when either header names no year.

    >>> _shift_years("2023-06", "6 tháng đầu năm 2023", "6 tháng đầu năm 2024"), _shift_years("2025", "KH", "KH")
    ('2024-06', '2025')
    """
    old, new = _YEARS.search(saved_header or ""), _YEARS.search(header or "")
    if not period or old is None or new is None or old.group() == new.group():
        return period
    delta = int(new.group()) - int(old.group())
    return _YEARS.sub(lambda m: str(int(m.group()) + delta), period)


def propose(grid: Grid, options: Options | None = None) -> Mapping:
    """The mapping read from the layout and the header's words (see the module docstring)."""
    return _propose(grid, options or Options())[0]


def _propose(grid: Grid, options: Options) -> tuple[Mapping, Layout]:
    layout = _layout(grid)
    table = _table(grid, layout, options)
    columns = _propose_columns(grid, layout, table, options)
    rows = _propose_rows(grid, layout, columns, table, options)
    return Mapping(columns, rows, table, _signature(columns), grid.sheet), layout


def _table(grid: Grid, layout: Layout, options: Options) -> dict[str, str]:
    title_area = next((a for a in (wh.area_in(p.text) for p in layout.title_lines) if a), None)
    area = options.area or (layout.letterhead_area.text if layout.letterhead_area else "") or title_area or ""
    period = next((p for p in (wh.period_of(wh.words(t.text)) for t in layout.title_lines) if p), "")
    indicator = re.sub(r"(?i)^biểu(\s*số)?\s*[\w.-]*\s*[:.-]\s*", "", layout.title)
    indicator = re.split(r"(?i)\s+(phân theo|chia theo)\s+", indicator)[0]
    indicator = re.sub(r"(?i)\s*(năm|giai đoạn)?\s*(19|20)\d\d(\s*[-–]\s*(19|20)\d\d)?\s*$", "", indicator).strip()
    return {"header_rows": layout.header_rows(), "body": f"{layout.body[0]}-{layout.body[1]}",
            "title": layout.title, "indicator": indicator, "indicator_id": "",
            "unit": layout.unit.text if layout.unit else "", "area": area, "period": period or options.period or "",
            "source": layout.source.text if layout.source else "", "group": ""}


def _body_figures(grid: Grid, layout: Layout) -> np.ndarray:
    """figures[i, j]: body row i, table column j holds a figure-like text (one vectorised regex pass)."""
    first, last = layout.body
    width = layout.last - layout.first + 1
    flat = pa.array([c for row in grid.rows[first - 1:last] for c in row[layout.first - 1:layout.last]], TEXT)
    found = pc.match_substring_regex(flat, FIGURE.pattern).to_numpy(zero_copy_only=False)
    return np.asarray(found, dtype=bool).reshape(max(last - first + 1, 0), width)


def _propose_columns(grid: Grid, layout: Layout, table: dict[str, str], options: Options) -> pd.DataFrame:
    figures = _body_figures(grid, layout)
    records: list[dict[str, str]] = []
    numbers = grid.rows[layout.numbers_row - 1] if layout.numbers_row else []
    for j in range(layout.first, layout.last + 1):
        header = layout.header_text(j)
        role, period, kind, marker = wh.meaning(header)
        kind = wh.kind_of(wh.words(layout.notes.get(marker, ""))) or kind  # "2019 (*)", "(*) Năm gốc …"
        if j == layout.stt:
            role = "stt"
        elif j == layout.label:
            role = "label"
        elif role in ("stt", "label"):
            role = "skip"
        if role == "value" and j - 1 < len(numbers) and "=" in numbers[j - 1]:
            role = "derived"
        has_figures = bool(figures[:, j - layout.first].any()) if figures.size else False
        if role == "value" and not has_figures and not (period or kind):
            role = "skip"
        if role == "skip" and not header and has_figures:
            role = "value"
        area = ""
        last = layout.parts[j][-1].text if layout.parts.get(j) else ""
        if role == "value" and (wh.is_area_name(last) or wh.is_total(last)):
            area = (table["area"] if wh.is_total(last) else last.strip())
            role = "value" if area else "skip"
        records.append({"column": column_letters(j), "header": header, "role": role, "period": period,
                        "kind": kind, "area": area, "indicator_id": "",
                        "breakdown": wh.breakdown_in(header) if role == "value" else "",
                        "_total": str(wh.is_total(last)),
                        "_previous": str(wh.is_previous_year(wh.words(header)))})
    named_areas = any(r["area"] and r["_total"] == "False" for r in records)
    periods = [r["period"] for r in records if r["role"] == "value" and r["period"][:4].isdigit()]
    latest = max(periods) if periods else ""
    for record in records:
        if record.pop("_total") == "True" and not named_areas:  # "Tổng số" over "Nam | Nữ": not an area
            record["area"], record["role"] = "", "value" if record["role"] in ("value", "skip") else record["role"]
        if record.pop("_previous") == "True" and latest:  # the same period a year before the latest
            record["period"] = f"{int(latest[:4]) - 1}{latest[4:]}"
        if record["role"] == "value":
            record["period"] = record["period"] or table["period"]
            record["kind"] = record["kind"] or "actual"
    columns = pd.DataFrame(records, columns=list(COLUMN_FIELDS))
    _areas_as_rows(grid, layout, columns, table, options)
    return columns


def _areas_as_rows(grid: Grid, layout: Layout, columns: pd.DataFrame, table: dict[str, str],
                   options: Options) -> None:
    """A label column of area names (a yearbook table by commune) becomes the area column; value columns
    without a period then name indicators ("Diện tích (km²)")."""
    labels = [grid.cell(r, layout.label) for r in range(layout.body[0], layout.body[1] + 1)]
    labels = [t for t in labels if t]
    areas = sum(wh.is_area_name(t) or wh.is_total(t) for t in labels)
    if not labels or (areas * 2 < len(labels) and not wh.names_areas(table["title"])):
        return
    columns.loc[columns["column"] == column_letters(layout.label), "role"] = "area"
    values = columns.index[columns["role"] == "value"]
    headers = columns["header"].astype(str)
    named = [i for i in values if not wh.period_of(wh.words(headers[i]))]
    if len(named) > 1 or (named and not table["indicator"]):
        taken: set[str] = set()
        for i in named:
            name, _unit = wh.split_unit(headers[i].split(" / ")[-1])
            columns.at[i, "indicator_id"] = _match_or_slug(name, options, taken)[0]
    elif table["indicator"]:
        table["indicator_id"] = _match_or_slug(table["indicator"], options, set())[0]


def _match_or_slug(name: str, options: Options, taken: set[str]) -> tuple[str, str]:
    """(indicator_id, how): the stored indicator's id, or a new unique id ("new")."""
    return options.catalogue.match(name) or _new_id(name, options, taken)


def _new_id(name: str, options: Options, taken: set[str]) -> tuple[str, str]:
    base = wh.slug(name)
    candidate, n = base, 2
    while candidate in taken or options.catalogue.get(candidate) is not None:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate, "new"


def _sentence_case(text: str) -> str:
    return text[:1] + text[1:].lower() if text.isupper() else text


def _propose_rows(grid: Grid, layout: Layout, columns: pd.DataFrame, table: dict[str, str],
                  options: Options) -> pd.DataFrame:
    roles = dict(zip(columns["column"].map(_column_index), columns["role"], strict=True))
    value_cols = [j for j, r in roles.items() if r == "value"]
    stt_col = next((j for j, r in roles.items() if r == "stt"), 0)
    label_col = next((j for j, r in roles.items() if r in ("label", "area")), 0)
    unit_col = next((j for j, r in roles.items() if r == "unit"), 0)
    by_area = "area" in roles.values()
    group, stack = table.get("group", ""), list[tuple[int, str]]()
    names: dict[str, str] = {}  # proposed name -> id (one id per distinct new name)
    taken: set[str] = set()
    records = []
    for r in range(layout.body[0], layout.body[1] + 1):
        stt, label = grid.cell(r, stt_col) if stt_col else "", grid.cell(r, label_col) if label_col else ""
        if not stt_col or (not label and len(stt) > 6):
            stt, label = wh.split_stt(label or stt)
        label = " ".join(label.split())  # a line break inside the cell
        figures = any(grid.cell(r, j) not in NO_FIGURE for j in value_cols)
        if not label and not figures:
            continue
        level = wh.stt_level(stt)
        record: dict[str, Any] = dict.fromkeys(ROW_FIELDS, "")
        record.update(row=r, stt=stt, label=label, unit=grid.cell(r, unit_col) if unit_col else "")
        if by_area:
            total = wh.is_total(label)
            record["role"] = ("total" if total else "area") if figures else "heading"
            record["area"] = (table["area"] if total else label.strip())
            records.append(record)
            continue
        if not figures:
            record["role"] = "heading"
            if level == 0 or (level < 0 and label.isupper()):
                group, stack = _sentence_case(wh.clean_label(label)), []
            else:
                stack = [s for s in stack if s[0] < max(level, 1)] + [(max(level, 1), wh.clean_label(label))]
            record["group"] = group
            records.append(record)
            continue
        level = max(level, 1) if level >= 0 else (4 if label.lstrip()[:1] in "-+•" else 1)
        stack = [s for s in stack if s[0] < level]
        child = wh.clean_label(label)
        parent = stack[-1][1] if stack else ""
        name = parent if parent and wh.is_total(child) else (f"{parent} — {child}" if parent else child)
        stack.append((level, name))
        found = options.catalogue.match(name) or (options.catalogue.match(label) if label != name else None)
        if found:
            indicator_id, how = found
        elif name in names:
            indicator_id, how = names[name], "new"
        else:
            indicator_id, how = _new_id(name, options, taken)
            names[name] = indicator_id
        stored = options.catalogue.get(indicator_id) if how != "new" else None
        record.update(role="indicator", indicator_id=indicator_id, match=how, indicator=name, group=group,
                      unit=record["unit"] or table["unit"])
        if stored:
            record.update(indicator=str(stored.get("indicator", name)), unit=str(stored.get("unit", "")) or record["unit"],
                          group=str(stored.get("group", "")) or group, direction=str(stored.get("direction", "")))
        records.append(record)
    frame = pd.DataFrame(records, columns=list(ROW_FIELDS))
    return frame.astype({**{name: str for name in ROW_FIELDS}, "row": int})


def convert(data: bytes, filename: str, options: Options) -> Converted:
    """A report table -> contract rows: the analyst's mapping, else the given profile, else a saved profile
    with the layout's signature, else a proposed mapping (see the module docstring)."""
    grid = options.grid(data, filename, options.sheet)
    profile, layout = None, None
    if options.mapping is not None:
        mapping = options.mapping
    elif options.profile:
        mapping, profile = Mapping.from_profile(options.profile, grid, options), str(options.profile.get("name", ""))
    else:
        mapping, layout = _propose(grid, options)
        for body in options.profiles or []:
            if body.get("signature") == mapping.signature:
                mapping, profile, layout = Mapping.from_profile(body, grid, options), str(body.get("name", "")), None
                break
    return apply(grid, mapping, options, profile=profile, layout=layout)


@dataclass
class _Cells:
    """The figure cells of the mapping, one per contract row: sheet row and column, and what they hold."""

    rows: np.ndarray
    columns: np.ndarray
    row_index: np.ndarray  # into the mapping's rows
    column_index: np.ndarray  # into the value columns
    value: pa.Array
    of_total: pa.Array
    note: pa.Array
    numeric: np.ndarray


def apply(grid: Grid, mapping: Mapping, options: Options, *, profile: str | None = None,
          layout: Layout | None = None) -> Converted:
    """Contract rows from the grid exactly as the mapping says; every row's Origin names its cells."""
    layout = layout or _layout(grid, _header_rows(mapping.table.get("header_rows", "")))
    columns = _texts(mapping.columns, COLUMN_FIELDS)
    values = columns[columns["role"] == "value"].reset_index(drop=True)
    value_cols = np.array([_column_index(c) for c in values["column"]], dtype=np.int64)
    roles = dict(zip(columns["column"].map(_column_index), columns["role"], strict=True))
    label_col = next((j for j, r in roles.items() if r in ("label", "area")), 0)
    unit_col = next((j for j, r in roles.items() if r == "unit"), 0)
    by_area = "area" in roles.values()
    issues: list[Issue] = list(grid.issues)
    rows = _texts(mapping.rows, ROW_FIELDS)
    rows["row"] = pd.to_numeric(rows["row"], errors="coerce").fillna(0).astype(int)
    for i in np.flatnonzero((rows["role"] == "indicator").to_numpy() & (rows["indicator"] == "").to_numpy()):
        rows.at[i, "indicator"] = wh.clean_label(str(rows.at[i, "label"]))
    taken = set(rows["indicator_id"])
    for i in np.flatnonzero((rows["role"] == "indicator").to_numpy() & (rows["indicator_id"] == "").to_numpy()):
        rows.at[i, "indicator_id"] = _match_or_slug(str(rows.at[i, "indicator"]), options, taken)[0]
    wanted = np.array(rows["role"].isin(("indicator", "area", "total")), dtype=bool)
    for i in np.flatnonzero(rows["role"].eq("total").to_numpy() & rows["area"].eq("").to_numpy()):
        issues.append(_issue("total_left_out", grid, int(str(rows.at[i, "row"])), label_col, str(rows.at[i, "label"])))
        wanted[i] = False
    rows = rows[wanted].reset_index(drop=True)
    area_columns = bool(values["area"].astype(bool).any())
    for column, header in zip(columns["column"], columns["header"], strict=True):
        written, j = str(header), _column_index(column)
        if not written or roles[j] != "skip":
            continue
        if area_columns and wh.is_total(written.split(" / ")[-1]):
            row, col = _period_cell(layout, j)
            issues.append(_issue("total_left_out", grid, row, col, written))
    markers = [wh.meaning(str(h))[3] for h in values["header"]]
    header_notes = [f"{m} {layout.notes[m]}" if m in layout.notes else "" for m in markers]
    decreasing = (rows["direction"] == "decrease").to_numpy(dtype=bool)
    if by_area:
        decreasing = np.zeros(len(rows), dtype=bool)
    cells = _figures(grid, rows["row"].to_numpy(dtype=np.int64), value_cols, layout, issues, header_notes,
                     decreasing)
    table = mapping.table
    n = len(cells.rows)
    by_column, by_row = cells.column_index, cells.row_index
    if by_area:
        ids = [c or table.get("indicator_id", "") for c in values["indicator_id"]]
        headers = [str(h) for h in values["header"]]
        units = [wh.split_unit(h.split(" / ")[-1])[1] if c else "" for h, c in zip(headers, values["indicator_id"],
                                                                                      strict=True)]
        text: dict[str, Any] = {
            "indicator_id": _spread(ids, by_column),
            "indicator": _spread([_column_name(h, c, table, options) for h, c in zip(headers, ids, strict=True)],
                                 by_column),
            "group": _spread([_stored(options, i, "group") or table.get("group", "") for i in ids], by_column),
            "unit": _spread([_stored(options, i, "unit") or u or table.get("unit", "") for i, u in
                             zip(ids, units, strict=True)], by_column),
            "direction": _spread([_stored(options, i, "direction") for i in ids], by_column)}
    else:
        text = {name: _spread(rows[name].tolist(), by_row)
                for name in ("indicator_id", "indicator", "group", "unit", "direction")}
        _unit_differences(grid, rows, unit_col, options, issues)
    col_has = (values["area"] != "").to_numpy(dtype=bool)[by_column]
    row_has = (rows["area"] != "").to_numpy(dtype=bool)[by_row]
    area = pc.if_else(pa.array(col_has), _spread(values["area"].tolist(), by_column),
                      pc.if_else(pa.array(row_has), _spread(rows["area"].tolist(), by_row),
                                 pa.scalar(table.get("area", ""), TEXT)))
    source = table.get("source") or options.source or " — ".join(x for x in (table.get("title", ""), grid.filename) if x)
    text.update({"area": area, "period": _spread(values["period"].tolist(), by_column),
                 "kind": _spread(values["kind"].tolist(), by_column), "value": cells.value,
                 "of_total": cells.of_total, "source": _spread([source], np.zeros(n, dtype=np.int64)),
                 "note": cells.note})
    if values["breakdown"].astype(bool).any():
        text["breakdown"] = _spread(values["breakdown"].tolist(), by_column)
    if n and pc.any(pc.equal(area, "")).as_py():
        issues.append(make_issue("table_without_area"))
        if pc.all(pc.equal(area, "")).as_py():
            del text["area"]
    origin = _origin(grid, layout, mapping, cells, values, label_col, unit_col, by_area, col_has, row_has)
    raw = contract_table(text, numeric={"value": cells.numeric}, filename=grid.filename, sha256=grid.sha256,
                         encoding=grid.encoding)
    n_ind = int(pc.count_distinct(text["indicator_id"]).as_py()) if n else 0
    if profile:
        detected = pair("detected_wide_profile", name=profile, indicators=n_ind, columns=len(values), figures=n)
    else:
        detected = pair("detected_wide", indicators=n_ind, columns=len(values), figures=n)
    if "breakdown" in text:
        detected = with_kept(detected, breakdowns_kept({k: pa.array(text[k], TEXT).to_pylist()
                                                        for k in ("indicator_id", "area", "breakdown")}))
    return Converted(raw, "wide", detected, origin, issues, mapping=mapping, profile=profile, sheet=grid.sheet)


def _texts(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """A mapping table as edited on the page (None, NaN, numbers) back to text columns."""
    n = len(frame)
    columns = {name: ["" if v is None or v != v else str(v).strip() for v in frame[name].tolist()]
               if name in frame else [""] * n for name in names}  # v != v: NaN
    return pd.DataFrame(columns, columns=list(names), dtype=object)


def _spread(values: list[Any], index: np.ndarray) -> pa.Array:
    """values[index] as a text array (a few distinct texts spread over many cells: no per-cell object)."""
    return pa.array([str(v) for v in values], TEXT).take(pa.array(index, pa.int64()))


def _stored(options: Options, indicator_id: str, name: str) -> str:
    stored = options.catalogue.get(indicator_id) if indicator_id else None
    return str(stored.get(name, "") or "") if stored else ""


def _column_name(header: str, indicator_id: str, table: dict[str, str], options: Options) -> str:
    stored = _stored(options, indicator_id, "indicator")
    if stored:
        return stored
    if indicator_id and indicator_id != table.get("indicator_id"):
        return wh.split_unit(header.split(" / ")[-1])[0]
    return table.get("indicator", "")


def _issue(code: str, grid: Grid, row: int, column: int, value: str, **params: Any) -> Issue:
    issue = make_issue(code, row=row, column=None, value=value, **params)
    return replace(issue, cell=grid.ref(row, column) if column > 0 else "", sheet=grid.sheet)


def _figures(grid: Grid, sheet_rows: np.ndarray, value_cols: np.ndarray, layout: Layout,
             issues: list[Issue], header_notes: list[str], decreasing: np.ndarray) -> _Cells:
    """Every (row, value column) cell read at once (`wide_cells`); empty and no-figure cells dropped."""
    n_rows, n_cols = len(sheet_rows), len(value_cols)
    picks = (value_cols - 1).tolist()
    flat = pa.array([row[c] for r in sheet_rows.tolist() for row in (grid.rows[r - 1],) for c in picks], TEXT)
    forms = read_cells(flat)
    keep = np.flatnonzero(forms.keep)
    row_index, column_index = keep // max(n_cols, 1), keep % max(n_cols, 1)
    rows, cols = sheet_rows[row_index], value_cols[column_index]
    for bad in np.flatnonzero(forms.bad).tolist():
        r, c = int(sheet_rows[bad // n_cols]), int(value_cols[bad % n_cols])
        issues.append(_issue("unconverted_cell", grid, r, c, str(flat[bad].as_py())))
    notes = np.array(header_notes, dtype=object)[column_index] if any(header_notes) else None
    of_total = None
    for k in sorted({*forms.marker, *forms.note, *forms.of_total}):
        if not forms.keep[k]:
            continue
        at = int(np.searchsorted(keep, k))
        marker = forms.marker.get(k, "")
        parts = [forms.note.get(k, ""), f"{marker} {layout.notes[marker]}" if marker in layout.notes else marker,
                 header_notes[k % n_cols]]
        if any(parts):
            notes = np.full(len(keep), "", dtype=object) if notes is None else notes
            notes[at] = "; ".join(p for p in parts if p)
        if k in forms.of_total:
            of_total = np.full(len(keep), "", dtype=object) if of_total is None else of_total
            of_total[at] = forms.of_total[k]
    numeric = np.zeros(len(keep), dtype=bool)
    if grid.numeric:
        flags = np.zeros((n_rows, n_cols), dtype=bool)
        for j, c in enumerate(value_cols.tolist()):
            column = grid.numeric.get(c)
            if column is not None:
                flags[:, j] = column[np.minimum(sheet_rows - 1, len(column) - 1)] & (sheet_rows <= len(column))
        numeric = flags.ravel()[keep]
    empty = pa.array([""], TEXT).take(pa.array(np.zeros(len(keep), dtype=np.int64)))
    value = forms.value
    upper = [k for k in forms.ranges if decreasing[k // n_cols]]  # a decreasing indicator's range: at most
    if upper:
        mask = np.zeros(len(value), dtype=bool)
        mask[upper] = True
        value = pc.replace_with_mask(value, pa.array(mask), pa.array([f"<= {forms.ranges[k][1]}" for k in upper],
                                                                     value.type))
    return _Cells(rows.astype(np.int64), cols.astype(np.int64), row_index, column_index,
                  value.take(pa.array(keep, pa.int64())),
                  empty if of_total is None else pa.array(of_total, TEXT),
                  empty if notes is None else pa.array(notes, TEXT), numeric)


def _unit_differences(grid: Grid, rows: pd.DataFrame, unit_col: int, options: Options, issues: list[Issue]) -> None:
    """A matched indicator whose unit in the file differs from the stored one: the stored unit is used."""
    if not unit_col:
        return
    for r, how, indicator_id, unit in zip(rows["row"], rows["match"], rows["indicator_id"], rows["unit"], strict=True):
        written = grid.cell(int(r), unit_col)
        if how in ("id", "name", "alias") and written and unit and fold(written) != fold(unit):
            issues.append(_issue("unit_differs", grid, int(r), unit_col, written, stored=unit,
                                 indicator_id=indicator_id))


def _origin(grid: Grid, layout: Layout, mapping: Mapping, cells: _Cells, values: pd.DataFrame, label_col: int,
            unit_col: int, by_area: bool, col_area: np.ndarray, row_area: np.ndarray) -> Origin:
    """Each converted row's cells: `col_area`/`row_area` say whether its area came from its column/row."""
    n = len(cells.rows)
    rows, cols = cells.rows, cells.columns
    header = np.array([_period_cell(layout, _column_index(c)) for c in values["column"]], dtype=np.int64)
    header = header.reshape(len(values), 2)
    at_header = header[cells.column_index, 0]
    header_cols = header[cells.column_index, 1]
    full = np.full(n, -1, dtype=np.int64)

    def const(value: int) -> np.ndarray:
        return np.full(n, value, dtype=np.int64)

    label = (rows, const(label_col) if label_col else full)
    if by_area:
        label = (at_header, header_cols)
    if unit_col and not by_area:
        unit = (rows, const(unit_col))
    elif layout.unit is not None:
        unit = (const(layout.unit.row), const(layout.unit.column))
    else:
        unit = label
    area_rows = np.where(col_area, at_header, rows)
    area_cols = np.where(col_area, header_cols, (const(label_col) if by_area and label_col else full))
    if layout.letterhead_area is not None and not by_area:
        from_letterhead = ~col_area & ~row_area & (
            mapping.table.get("area", "") == layout.letterhead_area.text)
        area_rows = np.where(from_letterhead, layout.letterhead_area.row, area_rows)
        area_cols = np.where(from_letterhead, layout.letterhead_area.column, area_cols)
    source = (const(layout.source.row), const(layout.source.column)) if layout.source else (rows, full)
    breakdown = np.array([_breakdown_cell(layout, _column_index(c)) for c in values["column"]], dtype=np.int64)
    breakdown = breakdown.reshape(len(values), 2)[cells.column_index]
    where = {"*": (rows, cols), "indicator_id": label, "indicator": label, "group": label, "direction": label,
             "unit": unit, "period": (at_header, header_cols), "kind": (at_header, header_cols), "area": (area_rows, area_cols),
             "source": source, "breakdown": (breakdown[:, 0], breakdown[:, 1])}
    return Origin({k: v[0] for k, v in where.items()}, {k: v[1] for k, v in where.items()}, sheet=grid.sheet)


def _period_cell(layout: Layout, column: int) -> tuple[int, int]:
    """The header cell naming a column's period (else its last header cell): (row, column)."""
    parts = layout.parts.get(column, [])
    for part in reversed(parts):
        if wh.period_of(wh.words(part.text)):
            return part.row, part.column
    return (parts[-1].row, parts[-1].column) if parts else (layout.header[1], column)


def _breakdown_cell(layout: Layout, column: int) -> tuple[int, int]:
    """The header cell naming a column's breakdown ("Nữ"), else its period's cell."""
    for part in reversed(layout.parts.get(column, [])):
        if part.text.strip() in wh.BREAKDOWNS:
            return part.row, part.column
    return _period_cell(layout, column)


def valid_id(indicator_id: str) -> bool:
    return bool(ID_PATTERN.match(indicator_id))

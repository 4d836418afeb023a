"""The "biểu mẫu": an XLSX form the communes fill in with the next period's figures and send back.

    data = build_template(store.current(), areas=["Xã Kim Hải"], period="2026")

One sheet per area, laid out as a Vietnamese reporting form: the title, the area and period, a header,
then one row per indicator grouped by group (I, II… headings, 1, 2… rows): STT, id, name, group, unit,
direction, the latest figures the store holds for that area (the last three year × kind columns, "TH
2023", "Ước 2024"), the target, then the entry columns "Số liệu <period>", "Loại", "Nguồn", "Ghi chú".
Everything but the entry cells (and a direction the store does not know) is locked by sheet protection
with no password — to keep the layout, not to guard a secret — and the workbook's structure is locked too,
so the sheets keep the names `_meta` records. Drop-down lists (data validation) give the kind (thực hiện /
ước) and the direction (tăng / giảm). The "Hướng dẫn" sheet says in Vietnamese what to fill in and how;
the very hidden `_meta` sheet records where everything is (`ingest.adapters.template`), so the form that
comes back reads with no mapping.

openpyxl writes it (already a dependency: it reads and writes data validation, protection, print setup
and comments). xlsxwriter writes those too and faster, but it would be a second XLSX writer for files of a
few hundred rows. Figures are numbers (Excel shows them in the reader's locale: 57,2), a qualifier or a
total is a number format around the number ("≥ 90", "23/23"); ids and names are text cells, never formulas.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indicators.contract import BY_NAME
from indicators.i18n import pair, t
from indicators.ingest.adapters.template import META_SHEET, SheetLayout, TemplateMeta, meta_rows
from indicators.ingest.cells import parse_period
from indicators.ingest.xlsx import number_text

__all__ = ["LATEST_COLUMNS", "TemplateError", "build_template", "chosen_areas", "chosen_period", "sheet_title"]

LATEST_COLUMNS = 3  # the latest year × kind columns shown beside the entry column
_KIND_ORDER = {"baseline": 0, "actual": 1, "estimate": 2}
_QUALIFIER_FORMAT = {">": "> ", "<": "< ", ">=": "≥ ", "<=": "≤ ", "~": "~ "}
_WIDTHS = {"stt": 6, "indicator_id": 20, "indicator": 42, "group": 16, "unit": 12, "direction": 11,
           "latest": 11, "target": 11, "value": 14, "kind": 12, "source": 26, "note": 22}
_HEADER_ROW = 6
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(vertical="top", wrap_text=True)


def _styles() -> list[NamedStyle]:
    """The form's cell styles, registered once per workbook (a style per cell would be slow to write)."""
    bold = Font(bold=True)
    return [NamedStyle("form header", font=bold, fill=PatternFill("solid", fgColor="D9E1F2"), border=_BORDER,
                       alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
            NamedStyle("form group", font=bold, border=_BORDER, alignment=_WRAP),
            NamedStyle("form cell", border=_BORDER, alignment=_WRAP),
            NamedStyle("form number", border=_BORDER, alignment=Alignment(horizontal="center", vertical="top")),
            NamedStyle("form entry", border=_BORDER, alignment=_WRAP, fill=PatternFill("solid", fgColor="FFF2CC"),
                       protection=Protection(locked=False))]
_EXCEL_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


class TemplateError(ValueError):
    """A form that cannot be built (no area, a period that is not one, an unknown indicator)."""

    def __init__(self, message: tuple[str, str]) -> None:
        super().__init__(message[1])
        self.messages = message

    def message(self, lang: str = "vi") -> str:
        return self.messages[0] if lang == "vi" else self.messages[1]


def sheet_title(name: str, taken: set[str]) -> str:
    """An Excel-safe, unique (case-blind) sheet name of at most 31 characters for an area.

    >>> sheet_title("Xã Kim Hải", set()), sheet_title("A/B: [C]", set()), sheet_title("x", {"x"})
    ('Xã Kim Hải', 'A B C', 'x (2)')
    """
    text = unicodedata.normalize("NFC", name)  # as the reader gives names back
    base = " ".join(_EXCEL_FORBIDDEN.sub(" ", text).split()).strip("'").strip() or "Sheet"
    title, n = _cut(base, 31), 1
    while title.casefold() in taken or title.casefold() == "history":
        n += 1
        suffix = f" ({n})"
        title = _cut(base, 31 - len(suffix)) + suffix
    taken.add(title.casefold())
    return title


def _cut(text: str, n: int) -> str:
    """At most n characters, with no space or quote at the end (Excel refuses a name ending in ')."""
    return text[:n].rstrip(" '") or "Sheet"


def build_template(current: pd.DataFrame | None, *, areas: Sequence[str] | None = None, period: str | None = None,
                   lang: str = "vi", indicators: Sequence[str] | None = None) -> bytes:
    """The form (XLSX bytes) for `areas` (default: every area of `current`) and `period` (default: the
    year after the latest figure), listing `indicators` (default: the area's own; every indicator for an
    area the store does not hold). Raises TemplateError (a ValueError) when it cannot be built."""
    frame = current if current is not None and len(current) else None
    chosen = chosen_areas(frame, areas)
    period = chosen_period(frame, period)
    catalogue = _catalogue(frame, indicators)
    book = Workbook()
    help_sheet = book.active
    assert help_sheet is not None
    help_sheet.title = t("template_help_sheet", lang)
    for style in _styles():
        book.add_named_style(style)
    taken = {help_sheet.title.casefold(), META_SHEET.casefold()}
    layouts = []
    for area in chosen:
        sheet = book.create_sheet(sheet_title(area, taken))
        rows = _area_rows(frame, area, catalogue, indicators is not None)
        layouts.append(_write_area(sheet, area, period, rows, _latest(frame, area, rows), lang))
    _write_help(help_sheet, period, lang)
    meta = book.create_sheet(META_SHEET)
    for row, record in enumerate(meta_rows(TemplateMeta(period, lang, layouts, created=date.today().isoformat())),
                                 start=1):
        for column, value in enumerate(record, start=1):
            if isinstance(value, str):
                _text(meta, row, column, value)
            else:
                meta.cell(row, column, value)
    meta.sheet_state = "veryHidden"
    book.security = WorkbookProtection(lockStructure=True)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- what goes into the form ----------------------------------------------------------------------
def chosen_areas(frame: pd.DataFrame | None, areas: Sequence[str] | None = None) -> list[str]:
    """The areas a form has a sheet for: `areas` (stripped, once each), else every area of `frame`."""
    names = list(areas) if areas is not None else ([] if frame is None or not len(frame)
                                                    else frame["area"].unique().tolist())
    chosen = list(dict.fromkeys(a.strip() for a in names if a and a.strip()))
    if not chosen:
        raise TemplateError(pair("template_no_area"))
    return chosen


def chosen_period(frame: pd.DataFrame | None, period: str | None = None) -> str:
    """The period a form asks for: `period` (checked), else the year after the latest figure of `frame`
    (this year for an empty store)."""
    if period is not None:
        period = period.strip()
        if parse_period(period) is None:
            raise TemplateError(pair("template_bad_period", value=period))
        return period
    if frame is None or not len(frame):
        return str(date.today().year)
    figures = frame.loc[(frame["kind"] != "target") & frame["value"].notna(), "period_end"].dropna()
    return str(int(figures.max().year) + 1) if len(figures) else str(date.today().year)


def _catalogue(frame: pd.DataFrame | None, indicators: Sequence[str] | None) -> pd.DataFrame:
    """One row per indicator (id, name, group, unit, direction), in the store's order."""
    columns = ["indicator_id", "indicator", "group", "unit", "direction"]
    if frame is None:
        known = pd.DataFrame(columns=columns)
    else:  # the first row of each, its direction the first one given (a row may leave it empty)
        known = frame[columns].drop_duplicates("indicator_id").reset_index(drop=True)
        given = frame.loc[frame["direction"] != "", ["indicator_id", "direction"]].drop_duplicates("indicator_id")
        known["direction"] = known["indicator_id"].map(given.set_index("indicator_id")["direction"]).fillna("")
    if indicators is None:
        return known
    wanted = list(dict.fromkeys(i.strip() for i in indicators if i.strip()))
    unknown = [i for i in wanted if i not in set(known["indicator_id"])]
    if unknown or not wanted:
        value = ", ".join(unknown)
        raise TemplateError(pair("template_unknown_indicator", value=value))
    return known[known["indicator_id"].isin(wanted)].reset_index(drop=True)  # in the store's order


def _area_rows(frame: pd.DataFrame | None, area: str, catalogue: pd.DataFrame, chosen: bool) -> pd.DataFrame:
    """The area's indicators, grouped (groups in the order they first come, an empty group last)."""
    rows = catalogue
    if frame is not None and not chosen:
        own = set(frame.loc[frame["area"] == area, "indicator_id"])
        if own:
            rows = catalogue[catalogue["indicator_id"].isin(own)]
    order = {g: i for i, g in enumerate(dict.fromkeys(rows["group"]))}
    rank = rows["group"].map(lambda g: order[g] if g else len(order))
    return rows.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)


def _latest(frame: pd.DataFrame | None, area: str, rows: pd.DataFrame) -> dict[str, Any]:
    """The latest figures of the area: columns [(year, kind)], figures {(id, year, kind): row}, targets {id: row}."""
    if frame is None:
        return {"columns": [], "figures": {}, "targets": {}}
    total = frame["breakdown"] == "" if "breakdown" in frame.columns else True  # the form asks for totals only
    mine = frame[(frame["area"] == area) & frame["indicator_id"].isin(set(rows["indicator_id"]))
                 & frame["value"].notna() & frame["period_end"].notna() & total]
    mine = mine.assign(year=mine["period_end"].dt.year).sort_values("period_end", kind="stable")
    figures = mine[mine["kind"].isin(list(_KIND_ORDER))]
    pairs = sorted({(int(y), k) for y, k in zip(figures["year"], figures["kind"], strict=True)},
                   key=lambda p: (p[0], _KIND_ORDER[p[1]]))[-LATEST_COLUMNS:]
    last = figures.drop_duplicates(["indicator_id", "year", "kind"], keep="last")
    targets = mine[mine["kind"] == "target"].drop_duplicates("indicator_id", keep="last")
    found: list[Any] = list(last.itertuples(index=False))
    return {"columns": pairs, "figures": {(r.indicator_id, int(r.year), r.kind): r for r in found},
            "targets": {r.indicator_id: r for r in targets.itertuples(index=False)}}


# --- writing an area sheet ------------------------------------------------------------------------
def _text(sheet: Worksheet, row: int, column: int, value: str) -> Any:
    """A text cell that stays text: "=HYPERLINK(…)" is a string, never a formula."""
    cell = sheet.cell(row, column, value)
    cell.data_type = "s"
    return cell


def _latest_header(year: int, kind: str, lang: str) -> str:
    if kind == "actual":
        return t("template_latest_actual", lang, year=year)
    if kind == "estimate":
        return t("template_latest_estimate", lang, year=year)
    return t("template_latest_baseline", lang, year=year)


def _headers(latest: dict[str, Any], period: str, lang: str) -> list[tuple[str, str]]:
    """(role, header) of every column, left to right."""
    label = {name: BY_NAME[name].label_vi if lang == "vi" else BY_NAME[name].label_en
             for name in ("indicator_id", "indicator", "group", "unit", "direction", "kind", "source", "note")}
    heads = [("stt", t("template_stt", lang)), *((r, label[r]) for r in ("indicator_id", "indicator", "group",
                                                                         "unit", "direction"))]
    heads += [("latest", _latest_header(year, kind, lang)) for year, kind in latest["columns"]]
    if latest["targets"]:
        years = {int(r.year) for r in latest["targets"].values()}
        heads.append(("target", t("template_target_year", lang, year=years.pop()) if len(years) == 1
                      else t("template_target", lang)))
    heads += [("value", t("template_entry_value", lang, period=period)), ("kind", label["kind"]),
              ("source", label["source"]), ("note", label["note"])]
    return heads


def _number_format(qualifier: str, of_total: float) -> str:
    """'"≥ "General', 'General"/23"': the qualifier and the total shown around the number."""
    prefix = f'"{_QUALIFIER_FORMAT[qualifier]}"' if qualifier in _QUALIFIER_FORMAT else ""
    suffix = f'"/{number_text(of_total)}"' if isinstance(of_total, float) and math.isfinite(of_total) else ""
    return f"{prefix}General{suffix}"


def _figure(sheet: Worksheet, row: int, column: int, figure: Any, lang: str) -> None:
    cell = sheet.cell(row, column, float(figure.value))
    cell.number_format = _number_format(figure.qualifier, figure.of_total)
    if figure.period != str(int(figure.year)):
        cell.comment = Comment(t("template_period_note", lang, period=figure.period), "indicators")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _write_area(sheet: Worksheet, area: str, period: str, rows: pd.DataFrame, latest: dict[str, Any],
                lang: str) -> SheetLayout:
    heads = _headers(latest, period, lang)
    col = {role: i + 1 for i, (role, _) in reversed(list(enumerate(heads)))}  # a role's first column
    width = len(heads)
    _title(sheet, area, period, width, lang)
    for i, (role, head) in enumerate(heads, start=1):
        _text(sheet, _HEADER_ROW, i, head).style = "form header"
        sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS[role]
    kinds = _list(sheet, [t("template_kind_actual", lang), t("template_kind_estimate", lang)], lang)
    directions = _list(sheet, [t("template_direction_increase", lang), t("template_direction_decrease", lang)], lang)
    entry = {col[role] for role in ("value", "kind", "source", "note")}
    row, group, n_groups, n = _HEADER_ROW + 1, None, 0, 0
    items: list[Any] = list(rows.itertuples(index=False))
    for item in items:
        if item.group != group:
            group, n_groups, n = item.group, n_groups + 1, 0
            for c in range(1, width + 1):
                sheet.cell(row, c).style = "form group"
            _text(sheet, row, col["stt"], _roman(n_groups))
            _text(sheet, row, col["indicator"], item.group or t("template_no_group", lang))
            row += 1
        n += 1
        asked = entry | (set() if item.direction else {col["direction"]})
        for c in range(1, width + 1):
            sheet.cell(row, c).style = "form entry" if c in asked else "form cell"
        sheet.cell(row, col["stt"]).style = "form number"
        _indicator_row(sheet, row, n, item, col, latest, lang)
        kinds.add(sheet.cell(row, col["kind"]))
        if not item.direction:
            directions.add(sheet.cell(row, col["direction"]))
        row += 1
    _signatures(sheet, row + 1, col["indicator"], col["source"], lang)
    _print_setup(sheet, width)
    columns: dict[str, list[tuple[int, str]]] = {}
    for i, (role, head) in enumerate(heads, start=1):
        columns.setdefault(role, []).append((i, head))
    return SheetLayout(sheet.title, area, _HEADER_ROW, _HEADER_ROW + 1, columns)


def _indicator_row(sheet: Worksheet, row: int, n: int, item: Any, col: dict[str, int], latest: dict[str, Any],
                   lang: str) -> None:
    _text(sheet, row, col["stt"], str(n))
    for role in ("indicator_id", "indicator", "group", "unit"):
        _text(sheet, row, col[role], getattr(item, role))
    if item.direction:
        word = t("template_direction_increase" if item.direction == "increase" else "template_direction_decrease",
                 lang)
        _text(sheet, row, col["direction"], word)
    for offset, (year, kind) in enumerate(latest["columns"]):
        figure = latest["figures"].get((item.indicator_id, year, kind))
        if figure is not None:
            _figure(sheet, row, col["latest"] + offset, figure, lang)
    target = latest["targets"].get(item.indicator_id)
    if target is not None:
        _figure(sheet, row, col["target"], target, lang)


def _list(sheet: Worksheet, words: list[str], lang: str) -> DataValidation:
    """A drop-down of `words` (an entry outside it is refused, with a message)."""
    validation = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=t("template_list_error_title", lang),
                                error=t("template_list_error", lang, words=", ".join(words)))
    sheet.add_data_validation(validation)
    return validation


def _title(sheet: Worksheet, area: str, period: str, width: int, lang: str) -> None:
    for row, text, font in ((1, t("template_title", lang), Font(bold=True, size=14)),
                            (2, t("template_area", lang, area=area), Font(bold=True)),
                            (3, t("template_period", lang, period=period), Font(bold=True)),
                            (4, t("template_hint", lang), Font(italic=True))):
        cell = _text(sheet, row, 1, text)
        cell.font, cell.alignment = font, Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _signatures(sheet: Worksheet, row: int, left: int, right: int, lang: str) -> None:
    """The signature block under the table (outside the id and entry columns the reading looks at)."""
    _text(sheet, row, right, t("template_date_line", lang)).font = Font(italic=True)
    for column, text in ((left, t("template_prepared_by", lang)), (right, t("template_head_of_unit", lang))):
        _text(sheet, row + 1, column, text).font = Font(bold=True)
        _text(sheet, row + 2, column, t("template_sign", lang)).font = Font(italic=True)


def _print_setup(sheet: Worksheet, width: int) -> None:
    sheet.freeze_panes = sheet.cell(_HEADER_ROW + 1, 4)
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    # locked so the layout survives (no password: it guards the layout, not a secret); widths may change
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False


def _write_help(sheet: Worksheet, period: str, lang: str) -> None:
    lines = [t("template_help_title", lang), "", t("template_help_intro", lang, period=period),
             t("template_help_cells", lang, period=period), t("template_help_number", lang),
             t("template_help_kind", lang), t("template_help_source", lang), t("template_help_empty", lang),
             t("template_help_latest", lang), t("template_help_send", lang), t("template_help_meta", lang)]
    sheet.column_dimensions["A"].width = 110
    for row, line in enumerate(lines, start=1):
        cell = _text(sheet, row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.protection.sheet = True

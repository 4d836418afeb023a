"""Validation issues and the report that lists them — every problem found, each pointing at a cell.

An `Issue` names the Excel row (the header is row 1), the contract column, the cell's text and a stable
snake_case `code`; its messages are written in Vietnamese and English from the catalogue's `check_<code>`
messages (indicators/i18n.py), so the upload page, the CLI and the tests read the same words.

>>> log = IssueLog()
>>> log.add("bad_number", row=5, column="value", value="12,3,4", convention="")
>>> report = ValidationReport(log.finish(), rows=10)
>>> report.valid, report.errors[0].code
(False, 'bad_number')
>>> print(report.errors[0].to_line("en"))
row 5, column value: '12,3,4' — bad_number: '12,3,4' is not a number.
>>> report.summary("en")
'invalid: 10 rows, 1 error, 0 warnings'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from indicators.contract import COLUMN_NAMES
from indicators.i18n import LANGS, PARAMS, t

if TYPE_CHECKING:  # pandas is imported where a frame is built: the XLSX worker starts without it
    import numpy as np
    import pandas as pd

ERROR, WARNING = "error", "warning"
#: Issues kept per code; beyond that one summary issue says how many more rows have the same problem.
MAX_PER_CODE = 1000

#: code -> severity. Each code's message is the catalogue's `check_<code>` (indicators/i18n.py), written
#: from {row}, {column}, {value} and the parameters the checker passes; a parameter may be a (vi, en) pair.
SEVERITY: dict[str, str] = {
    "empty_file": ERROR,
    "not_a_table": ERROR,
    "bad_encoding": ERROR,
    "missing_sheet": ERROR,
    "unclosed_quote": ERROR,
    "too_many_cells": ERROR,
    "no_rows": ERROR,
    "missing_column": ERROR,
    "duplicate_column": ERROR,
    "unknown_column": WARNING,
    "blank_row": WARNING,
    "missing_indicator_id": ERROR,
    "bad_indicator_id": ERROR,
    "missing_value": ERROR,
    "bad_number": ERROR,
    "ambiguous_number": ERROR,
    "conflicting_decimal": ERROR,
    "bad_period": ERROR,
    "unknown_kind": ERROR,
    "unknown_direction": ERROR,
    "unknown_method": ERROR,
    "duplicate_key": ERROR,
    "inconsistent_indicator": ERROR,
    "target_without_direction": ERROR,
    "large_change": WARNING,
    "file_too_large": ERROR,
    "xlsx_too_large": ERROR,
    "xlsx_ratio": ERROR,
    "too_many_rows": ERROR,
    "too_many_columns": ERROR,
    "too_many_sheet_cells": ERROR,
    "needs_more_memory": ERROR,
    "workbook_damaged": ERROR,
    "bad_xlsx_cell": ERROR,
    "number_out_of_range": ERROR,
    "nul_character": ERROR,
    "mixed_encoding": ERROR,
    "structured_file": ERROR,
    "unreadable_file": ERROR,
    "hidden_sheets": WARNING,
    # --- issue 10: areas (indicators.areas.check_areas) ---
    "area_code_mismatch": WARNING,
    "area_code_unknown": WARNING,
    "parent_mismatch": WARNING,
    # --- issue 9: wide report tables (biểu) ---
    "unconverted_cell": WARNING,
    "unit_differs": WARNING,
    "table_without_area": ERROR,
    "total_left_out": WARNING,
    "breakdown_column_left_out": WARNING,
    # --- issue 9: peer formats (Open SDG, DHIS2, PX-Web adapters) ---
    "breakdown_left_out": WARNING,
    "no_figure": WARNING,
    "ids_not_named": WARNING,
    "period_not_supported": ERROR,
    "peer_file_damaged": ERROR,
    "area_assumed": WARNING,
    # --- issue 9: forms (the product's "biểu mẫu" read back: ingest/adapters/template.py) ---
    "template_meta_damaged": ERROR,
    "template_sheet_missing": ERROR,
    "template_layout_changed": ERROR,
    "template_empty": ERROR,
    "template_entry_without_value": WARNING,
    "template_value_outside": WARNING,
    # --- issue 9: store (plausibility, header matching) ---
    "header_collision": WARNING,
    "above_total": ERROR,
    "share_above_100": WARNING,
    "negative_count": ERROR,
    "ten_times_off": WARNING,
    "unit_changed": WARNING,
    # --- issue 9: upload page (batches)
    "batch_duplicate_key": ERROR,
    "batch_inconsistent_indicator": ERROR,
    # --- issue 10: contract v2
    "bad_term": ERROR,
    "unknown_series_break": ERROR,
    "unknown_rollup": ERROR,
    "bad_area_code": ERROR,
    "bad_breakdown": ERROR,
}
_COLUMN_ORDER = {name: i for i, name in enumerate(COLUMN_NAMES)}


def _pick(value: Any, index: int) -> Any:
    return value[index] if isinstance(value, tuple) else value


_WHERE = frozenset({"row", "column", "value"})


def _render(code: str, lang: str, fields: Mapping[str, Any]) -> str:
    """The message of `code` in `lang`: row, column and value where the message names them, and every
    other parameter the checker passed (the catalogue raises on one too few or too many)."""
    index, wanted = LANGS.index(lang), PARAMS[f"check_{code}"]
    return t(f"check_{code}", lang, **{name: _pick(value, index) for name, value in fields.items()
                                       if name in wanted or name not in _WHERE})


@dataclass(frozen=True)
class Issue:
    """One problem: where (Excel row, contract column), what was written, and why it is a problem."""

    row: int | None
    column: str | None
    value: str
    code: str
    message_vi: str
    message_en: str
    severity: str = ERROR
    #: where in the file the analyst sent, when the rows were converted from another layout (a report
    #: table, an Open SDG or DHIS2 file): the cell as Excel names it ("F12"), its sheet, the file's name
    cell: str = ""
    sheet: str = ""
    file: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        located = {name: getattr(self, name) for name in ("file", "sheet", "cell") if getattr(self, name)}
        return {"row": self.row, "column": self.column, "value": self.value, "code": self.code,
                "message": self.message(lang), **located}

    def to_line(self, lang: str = "vi") -> str:
        """The issue on one line: `row 5, column value: '1.234' — ambiguous_number: …`."""
        where = ", ".join(
            part for part in (
                t("check_at_file_named", lang, file=self.file) if self.file else "",
                t("check_at_sheet", lang, sheet=self.sheet) if self.sheet else "",
                t("check_at_cell", lang, cell=self.cell) if self.cell else "",
                t("check_at_row", lang, row=self.row) if self.row is not None and not self.cell else "",
                t("check_at_column", lang, column=self.column) if self.column else "",
            ) if part
        ) or t("check_at_file", lang)
        shown = f": '{self.value}'" if self.value else ""
        return f"{where}{shown} — {self.code}: {self.message(lang)}"


def make_issue(code: str, row: int | None = None, column: str | None = None, value: str = "",
               **params: Any) -> Issue:
    """Build an issue of `code`, writing both messages from the catalogue (`check_<code>`)."""
    fields = {"row": row, "column": column, "value": value, **params}
    return Issue(row, column, value, code, _render(code, "vi", fields), _render(code, "en", fields),
                 SEVERITY[code], params=params)


#: Parameters of a message that are row numbers of the checked table (moved with the row, see `located`).
ROW_PARAMS = ("row", "first_row", "other_row")


def located(issue: Issue, *, rows: Callable[[str | None, int], int | None] | None = None,
            cell: Callable[[str | None, int], str] | None = None, sheet: str = "", file: str = "") -> Issue:
    """The issue told where it is in the file the analyst sent: `rows(column, row)` maps a row number of
    the converted table to the row of the original file (None: keep it), `cell(column, row)` names the
    original cell; the messages are written again with those rows. File-level issues only gain the file."""
    if issue.row is None or rows is None:
        return replace(issue, file=file or issue.file, sheet=sheet or issue.sheet)
    params = dict(issue.params)
    for name in ROW_PARAMS[1:]:
        if isinstance(params.get(name), int):
            params[name] = rows(issue.column, params[name]) or params[name]
    row = rows(issue.column, issue.row) or issue.row
    where = cell(issue.column, issue.row) if cell else ""
    if issue.code not in SEVERITY:  # a summary ("…and N more"): nothing to write again
        return replace(issue, row=row, cell=where, sheet=sheet, file=file)
    fields = {"row": row, "column": issue.column, "value": issue.value, **params}
    return Issue(row, issue.column, issue.value, issue.code, _render(issue.code, "vi", fields),
                 _render(issue.code, "en", fields), issue.severity, where, sheet or issue.sheet,
                 file or issue.file, params)


class IssueLog:
    """Collects issues, keeping at most `limit` per code and counting the rest (see `finish`)."""

    def __init__(self, limit: int = MAX_PER_CODE) -> None:
        self.limit = limit
        self._issues: list[Issue] = []
        self._kept: Counter[str] = Counter()
        self._more: Counter[str] = Counter()

    def has(self, code: str) -> bool:
        return self._kept[code] > 0

    def room(self, code: str) -> int:
        return max(self.limit - self._kept[code], 0)

    def add(self, code: str, row: int | None = None, column: str | None = None, value: str = "",
            **params: Any) -> None:
        if self.room(code) == 0:
            self._more[code] += 1
            return
        self._kept[code] += 1
        self._issues.append(make_issue(code, row, column, value, **params))

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            if self.room(issue.code) == 0:
                self._more[issue.code] += 1
                continue
            self._kept[issue.code] += 1
            self._issues.append(issue)

    def add_cells(self, code: str, column: str | None, rows: Sequence[int] | np.ndarray, values: Sequence[str],
                  params: Sequence[Mapping[str, Any]] | None = None) -> None:
        """One issue per cell (`rows[i]`, `values[i]`, `params[i]`), only building those that are kept."""
        keep = min(len(rows), self.room(code))
        for i in range(keep):
            self.add(code, int(rows[i]), column, str(values[i]), **(params[i] if params else {}))
        self.more(code, len(rows) - keep)

    def more(self, code: str, n: int) -> None:
        """Count `n` further issues of `code` that were not built (over the limit)."""
        if n > 0:
            self._more[code] += n

    def finish(self) -> list[Issue]:
        """The issues sorted file-level first then by row, plus one "…and N more" issue per capped code."""
        issues = sorted(self._issues, key=lambda i: (i.row is not None, i.row or 0, _COLUMN_ORDER.get(i.column or "", -1)))
        for code, n in self._more.items():
            if n <= 0:
                continue
            vi, en = (t("check_more", lang, n=n, code=code) for lang in LANGS)
            issues.append(Issue(None, None, f"+{n}", code, vi, en, SEVERITY[code]))
        return issues


@dataclass
class ValidationReport:
    """Every problem found in one file (pandera-style: never only the first) and the number of data rows."""

    issues: list[Issue] = field(default_factory=list)
    rows: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def codes(self) -> set[str]:
        return {i.code for i in self.issues}

    def to_frame(self, lang: str = "vi") -> pd.DataFrame:
        """A table for the upload page: severity, row, column, value, code, message (and file, sheet and
        cell when the rows were converted from another layout)."""
        records = [{"severity": i.severity, **i.to_dict(lang)} for i in self.issues]
        import pandas as pd

        located = [name for name in ("file", "sheet", "cell") if any(getattr(i, name) for i in self.issues)]
        frame = pd.DataFrame(records, columns=["severity", *located, "row", "column", "value", "code", "message"])
        for name in located:
            frame[name] = frame[name].fillna("")
        frame["row"] = frame["row"].astype("Int64")
        frame["column"] = frame["column"].fillna("")  # a file-wide problem names no column: a blank cell
        return frame

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON shape: {"valid", "rows", "errors": [{row, column, value, code, message}], "warnings"}."""
        return {"valid": self.valid, "rows": self.rows,
                "errors": [i.to_dict(lang) for i in self.errors],
                "warnings": [i.to_dict(lang) for i in self.warnings]}

    def summary(self, lang: str = "vi") -> str:
        """'valid: 1 row, 0 errors, 1 warning' — the verdict and the counts."""
        return t("check_summary_valid" if self.valid else "check_summary_invalid", lang,
                 rows=self.rows, errors=len(self.errors), warnings=len(self.warnings))

    def to_lines(self, lang: str = "vi") -> list[str]:
        """One line per issue, then the summary line (what the CLI prints)."""
        return [i.to_line(lang) for i in self.issues] + [self.summary(lang)]

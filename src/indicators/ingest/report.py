"""Validation issues and the report that lists them — every problem found, each pointing at a cell.

An `Issue` names the Excel row (the header is row 1), the contract column, the cell's text and a stable
snake_case `code`; its messages are written in Vietnamese and English from the templates in `MESSAGES`,
declared once here so the upload page, the CLI and the tests read the same words.

>>> log = IssueLog()
>>> log.add("bad_number", row=5, column="value", value="12,3,4")
>>> report = ValidationReport(log.finish(), rows=10)
>>> report.valid, report.errors[0].code
(False, 'bad_number')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from indicators.contract import COLUMN_NAMES

if TYPE_CHECKING:  # pandas is imported where a frame is built: the XLSX worker starts without it
    import numpy as np
    import pandas as pd

ERROR, WARNING = "error", "warning"
#: Issues kept per code; beyond that one summary issue says how many more rows have the same problem.
MAX_PER_CODE = 1000

#: code -> (severity, Vietnamese template, English template). Templates use {row}, {column}, {value}
#: and the extra parameters the checker passes; a parameter may be a (vi, en) pair.
MESSAGES: dict[str, tuple[str, str, str]] = {
    "empty_file": (ERROR, "Tệp rỗng, không có dữ liệu.", "The file is empty."),
    "not_a_table": (ERROR, "Tệp không phải bảng CSV hoặc XLSX: {reason}.",
                    "The file is not a CSV or XLSX table: {reason}."),
    "bad_encoding": (ERROR, "Dòng văn bản {line} không phải UTF-8 hợp lệ: lưu lại tệp dạng CSV UTF-8.",
                     "Text line {line} is not valid UTF-8: save the file again as CSV UTF-8."),
    "missing_sheet": (ERROR, "Tệp không có trang tính '{value}' (có: {sheets}).",
                      "The workbook has no sheet '{value}' (it has: {sheets})."),
    "unclosed_quote": (ERROR, "Dấu ngoặc kép mở ở dòng {row} không được đóng: phần còn lại của tệp bị gộp vào một ô.",
                       "A quote opened in row {row} is never closed: the rest of the file would be one cell."),
    "too_many_cells": (ERROR, "Dòng có {cells} ô nhưng tiêu đề chỉ có {expected} cột (dấu phân cách không "
                              "được đặt trong ngoặc kép, ví dụ số thập phân '57,2' trong tệp phân cách bằng dấu phẩy?).",
                       "The row has {cells} cells but the header has {expected} columns (an unquoted separator, "
                       "e.g. a decimal comma '57,2' in a comma-separated file?)."),
    "no_rows": (ERROR, "Tệp có dòng tiêu đề nhưng không có dòng số liệu.", "The file has a header but no data rows."),
    "missing_column": (ERROR, "Thiếu cột bắt buộc '{column}' ({label_vi}).",
                       "The required column '{column}' ({label_en}) is missing."),
    "duplicate_column": (ERROR, "Hai cột '{other}' và '{value}' cùng là cột '{column}'.",
                         "Columns '{other}' and '{value}' both mean '{column}'."),
    "unknown_column": (WARNING, "Cột '{value}' không thuộc mẫu dữ liệu nên bị bỏ qua.",
                       "Column '{value}' is not in the data contract and is ignored."),
    "blank_row": (WARNING, "Dòng trống, được bỏ qua.", "The row is empty and is skipped."),
    "missing_indicator_id": (ERROR, "Dòng không có mã chỉ tiêu (dòng tổng cộng?): đặt mã hoặc xoá dòng.",
                             "The row has no indicator_id (a totals row?): give it an id or delete it."),
    "bad_indicator_id": (ERROR, "Mã chỉ tiêu '{value}' không hợp lệ: chỉ dùng chữ thường a–z, chữ số và dấu _.",
                         "'{value}' is not a valid indicator_id: use only lower-case a–z, digits and _."),
    "missing_value": (ERROR, "Cột bắt buộc '{column}' ({label_vi}) để trống.",
                      "The required column '{column}' ({label_en}) is empty."),
    "bad_number": (ERROR, "'{value}' không phải là số{convention}.", "'{value}' is not a number{convention}."),
    "ambiguous_number": (ERROR, "'{value}' có thể là {as_comma} (nếu dấu thập phân là dấu phẩy) hoặc {as_point} "
                                "(nếu là dấu chấm): tệp không cho biết; hãy chọn dấu thập phân ',' hoặc '.'.",
                         "'{value}' could be {as_comma} (with a decimal comma) or {as_point} (with a decimal "
                         "point): the file does not say which; choose the decimal separator ',' or '.'."),
    "conflicting_decimal": (ERROR, "'{value}' dùng dấu thập phân '{this}' nhưng {n_other} ô khác dùng '{other}' "
                                   "(ví dụ dòng {other_row}: '{other_value}'): hãy chọn một dấu thập phân.",
                            "'{value}' uses the decimal separator '{this}' but {n_other} other cells use "
                            "'{other}' (e.g. row {other_row}: '{other_value}'): choose one decimal separator."),
    "bad_period": (ERROR, "'{value}' không phải kỳ hợp lệ: dùng YYYY, YYYY-MM, YYYY-MM-DD hoặc DD/MM/YYYY.",
                   "'{value}' is not a period: use YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY."),
    "unknown_kind": (ERROR, "Loại '{value}' không hợp lệ: dùng thực hiện, ước, cơ sở hoặc mục tiêu.",
                     "'{value}' is not a kind: use actual, estimate, baseline or target."),
    "unknown_direction": (ERROR, "Chiều hướng '{value}' không hợp lệ: dùng tăng hoặc giảm.",
                          "'{value}' is not a direction: use increase or decrease."),
    "unknown_method": (ERROR, "Phương pháp '{value}' không hợp lệ: dùng linear hoặc cagr.",
                       "'{value}' is not a method: use linear or cagr."),
    "duplicate_key": (ERROR, "Dòng {row} trùng khoá (mã chỉ tiêu, địa bàn, kỳ, loại) với dòng {first_row}: {value}.",
                      "Row {row} has the same key (indicator_id, area, period, kind) as row {first_row}: {value}."),
    "inconsistent_indicator": (ERROR, "Chỉ tiêu '{indicator_id}' có {column} '{value}' ở đây nhưng '{other_value}' "
                                      "ở dòng {other_row}: mọi dòng của một chỉ tiêu phải thống nhất.",
                               "Indicator '{indicator_id}' has {column} '{value}' here but '{other_value}' in "
                               "row {other_row}: every row of one indicator must agree."),
    "target_without_direction": (ERROR, "Chỉ tiêu '{indicator_id}' có mục tiêu nhưng chưa có chiều hướng (tăng/giảm).",
                                 "Indicator '{indicator_id}' has a target but no direction (increase/decrease)."),
    "large_change": (WARNING, "Giá trị {value} chênh lệch quá một nửa so với số hiện có ({old}): hãy kiểm tra.",
                     "The value {value} differs by more than half from the current one ({old}): check it."),
    # --- issue 7: hostile files ---
    "file_too_large": (ERROR, "Tệp lớn hơn giới hạn {limit} MB ({setting}): không đọc tệp này.",
                       "The file is larger than the limit of {limit} MB ({setting}): it is not read."),
    "xlsx_too_large": (ERROR, "Tệp XLSX khi giải nén chiếm {size} MB, vượt giới hạn {limit} MB ({setting}): "
                              "không đọc tệp này.",
                       "The XLSX workbook unpacks to {size} MB, over the limit of {limit} MB ({setting}): it is "
                       "not read."),
    "xlsx_ratio": (ERROR, "Phần '{value}' của tệp XLSX nén {ratio}:1, vượt giới hạn {limit}:1 ({setting}) — "
                          "dấu hiệu của một 'bom nén': không đọc tệp này.",
                   "The part '{value}' of the workbook is compressed {ratio}:1, over the limit of {limit}:1 "
                   "({setting}) — the mark of a zip bomb: it is not read."),
    "too_many_rows": (ERROR, "{where} có dòng {last_row}, vượt giới hạn {limit} dòng ({setting}).",
                      "{where} reaches row {last_row}, over the limit of {limit} rows ({setting})."),
    "too_many_columns": (ERROR, "{where} có ô {value} ở cột thứ {n}, vượt giới hạn {limit} cột ({setting}).",
                         "{where} has the cell {value} in column {n}, over the limit of {limit} columns "
                         "({setting})."),
    "too_many_sheet_cells": (ERROR, "{where} trải trên {rows} dòng × {columns} cột = {cells} ô, vượt giới hạn "
                                    "{limit} ô ({setting}).",
                             "{where} spans {rows} rows × {columns} columns = {cells} cells, over the limit of "
                             "{limit} cells ({setting})."),
    "needs_more_memory": (ERROR, "Đọc tệp này cần nhiều bộ nhớ hơn mức cho phép ({limit} MB, {setting}): "
                                 "không đọc tệp này.",
                          "The file needs more memory than allowed ({limit} MB, {setting}): it is not read."),
    "workbook_damaged": (ERROR, "Tệp XLSX bị hỏng{where}: {reason}.", "The workbook is damaged{where}: {reason}."),
    "bad_xlsx_cell": (ERROR, "Ô {value} của trang tính '{sheet}': {reason}; dòng này bị bỏ qua.",
                      "Cell {value} of sheet '{sheet}': {reason}; the row is left out."),
    "number_out_of_range": (ERROR, "'{value}' không phải số hữu hạn (quá lớn, vô cực hoặc NaN).",
                            "'{value}' is not a finite number (too large, infinite or NaN)."),
    "nul_character": (ERROR, "Ô chứa ký tự NUL (nội dung nhị phân?): xoá ký tự này.",
                      "The cell holds a NUL character (binary content?): remove it."),
    "mixed_encoding": (ERROR, "Dòng văn bản {line} viết bằng UTF-8 nhưng các dòng trước là Windows-1258: tệp "
                              "trộn hai bảng mã; lưu lại toàn bộ tệp dạng CSV UTF-8.",
                       "Text line {line} is UTF-8 but the lines before it are Windows-1258: the file mixes two "
                       "encodings; save the whole file again as CSV UTF-8."),
    "structured_file": (ERROR, "Đây là tệp {kind}, không phải bảng: lưu số liệu dạng CSV hoặc XLSX.",
                        "This file is {kind}, not a table: save the data as CSV or XLSX."),
    "unreadable_file": (ERROR, "Không mở được tệp {value}: {reason}.", "The file {value} cannot be opened: {reason}."),
    "hidden_sheets": (WARNING, "Tệp có trang tính ẩn ({sheets}): đã đọc trang hiện đầu tiên '{value}'; "
                               "chọn trang khác nếu cần.",
                      "The workbook has hidden sheets ({sheets}): the first visible sheet '{value}' was read; "
                      "choose another sheet if needed."),
}
_COLUMN_ORDER = {name: i for i, name in enumerate(COLUMN_NAMES)}
MORE = ("…và {n} dòng khác có cùng lỗi '{code}'.", "…and {n} more rows with the same problem ({code}).")


def _pick(value: Any, index: int) -> Any:
    return value[index] if isinstance(value, tuple) else value


def _render(template: str, index: int, fields: Mapping[str, Any]) -> str:
    return template.format(**{key: _pick(value, index) for key, value in fields.items()})


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

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "code": self.code,
                "message": self.message(lang)}

    def to_line(self, lang: str = "vi") -> str:
        """The issue on one line: `row 5, column value: '1.234' — ambiguous_number: …`."""
        words = ("row", "column", "file") if lang == "en" else ("dòng", "cột", "tệp")
        where = ", ".join(
            part for part in (
                f"{words[0]} {self.row}" if self.row is not None else "",
                f"{words[1]} {self.column}" if self.column else "",
            ) if part
        ) or words[2]
        shown = f": '{self.value}'" if self.value else ""
        return f"{where}{shown} — {self.code}: {self.message(lang)}"


def make_issue(code: str, row: int | None = None, column: str | None = None, value: str = "",
               **params: Any) -> Issue:
    """Build an issue of `code`, writing both messages from the templates in `MESSAGES`."""
    severity, vi, en = MESSAGES[code]
    fields = {"row": row, "column": column, "value": value, **params}
    return Issue(row, column, value, code, _render(vi, 0, fields), _render(en, 1, fields), severity)


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
            severity = MESSAGES[code][0]
            vi, en = (t.format(n=n, code=code) for t in MORE)
            issues.append(Issue(None, None, f"+{n}", code, vi, en, severity))
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
        """A table for the upload page: severity, row, column, value, code, message."""
        records = [{"severity": i.severity, **i.to_dict(lang)} for i in self.issues]
        import pandas as pd

        frame = pd.DataFrame(records, columns=["severity", "row", "column", "value", "code", "message"])
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The JSON shape: {"valid", "rows", "errors": [{row, column, value, code, message}], "warnings"}."""
        return {"valid": self.valid, "rows": self.rows,
                "errors": [i.to_dict(lang) for i in self.errors],
                "warnings": [i.to_dict(lang) for i in self.warnings]}

    def summary(self, lang: str = "vi") -> str:
        n_err, n_warn = len(self.errors), len(self.warnings)
        if lang == "en":
            verdict = "valid" if self.valid else "invalid"
            return f"{verdict}: {self.rows} rows, {n_err} errors, {n_warn} warnings"
        verdict = "hợp lệ" if self.valid else "không hợp lệ"
        return f"{verdict}: {self.rows} dòng, {n_err} lỗi, {n_warn} cảnh báo"

    def to_lines(self, lang: str = "vi") -> list[str]:
        """One line per issue, then the summary line (what the CLI prints)."""
        return [i.to_line(lang) for i in self.issues] + [self.summary(lang)]

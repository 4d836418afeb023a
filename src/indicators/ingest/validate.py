"""Validate an analyst's file against data contract v2 (v1 files are v2 files without its optional columns): a typed DataFrame and a report of EVERY problem.

    result = validate_bytes(data, "so_lieu_2023.csv")
    if result.needs_decimal:        # a lone "1.234" and nothing in the file says which convention
        result = validate_bytes(data, "so_lieu_2023.csv", decimal=",")
    if result.report.valid:
        store.commit(result.frame, ...)

Reading (`reading.read_table`) keeps every cell as text; `validate_table` converts and checks in one pass
(`checks.RowChecks`): required columns, numbers under one decimal convention per file, periods, kind /
direction / method words, ids, one row per key, one name/unit/group/direction per indicator (an empty
cell takes the indicator's value from its other rows; two different values are an error), a direction
for every indicator with a target. Blank rows are skipped with a warning; a row without indicator_id
(a totals row) is an error. With `current` (the stored dataset), a value that moves by more than half
against the stored one for the same key is a `large_change` warning. Plausibility (`plausibility.py`,
declared in the contract): a value above its total, a negative count, a share above 100 %, a value ten
times off its series, a unit other than the stored one.

The typed frame (`frame_schema.FRAME_COLUMNS`) holds every non-blank row even when there are errors, so
the page can preview it; callers commit only when `report.valid`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from indicators.callbacks import ProgressCallback
from indicators.contract import COLUMN_NAMES, KEY
from indicators.frame import FRAME_COLUMNS
from indicators.i18n import t
from indicators.ingest.adapters import (
    Catalogue,
    Converted,
    Options,
    convert_bytes,
    convert_many,
    detect_grid,
    detect_special,
    detect_table,
)
from indicators.ingest.grid import head_grid, is_workbook
from indicators.ingest.limits import Limits
from indicators.ingest.plausibility import check_plausibility
from indicators.ingest.reading import TEXT, RawTable, ReadError, read_table
from indicators.ingest.report import Issue, IssueLog, ValidationReport
from indicators.ingest.rules import RowChecks

__all__ = ["InvalidDataError", "RawTable", "ReadError", "ValidationReport", "Issue", "Validated", "load_file",
           "read_path", "read_table", "validate_bytes", "validate_path", "validate_table"]
LARGE_CHANGE = 0.5  # a value moving by more than half of the stored one is worth a second look


@dataclass
class Validated:
    """The outcome of validating one file. `frame` is None only when the file could not be read."""

    frame: pd.DataFrame | None
    report: ValidationReport
    unreadable: bool = False
    needs_decimal: bool = False  # numbers need decimal=',' or '.' to be read
    sha256: str = ""
    filename: str = ""
    encoding: str = ""
    separator: str = ""
    decimal: str | None = None  # the convention the numbers were read with (None: not settled)
    format: str = "tidy"  # the adapter that read the file (see indicators.ingest.adapters)
    converted: Converted | None = None  # what the adapter found (detected layout, mapping, origin)

    @property
    def detected(self) -> tuple[str, str] | None:
        """(vi, en): what the adapter detected, e.g. a report table of 12 indicators × 6 columns."""
        return self.converted.detected if self.converted is not None else None


class InvalidDataError(ValueError):
    """A file that does not meet the contract; `report` lists every problem."""

    def __init__(self, report: ValidationReport, filename: str = "") -> None:
        self.report = report
        first = "; ".join(issue.to_line("en") for issue in report.errors[:5])
        more = f" (+{len(report.errors) - 5} more)" if len(report.errors) > 5 else ""
        super().__init__(f"{filename or 'data'}: {len(report.errors)} errors: {first}{more}")


def validate_table(raw: RawTable, *, decimal: str | None = None, current: pd.DataFrame | None = None) -> Validated:
    """Convert and check a raw table in one pass; every failure is listed (see the module docstring)."""
    if decimal not in (None, ",", "."):
        raise ValueError(f"decimal must be ',' or '.', not {decimal!r}")
    log = IssueLog()
    log.extend(raw.issues)
    checks = RowChecks(raw, log)
    checks.check_ids()
    checks.check_text()
    checks.check_words()
    checks.check_v2()
    period_end = checks.check_periods()
    numbers = checks.check_numbers(decimal)
    checks.check_per_indicator()
    checks.check_required()
    checks.check_targets()
    checks.check_duplicates(period_end)
    check_plausibility(checks, numbers.values, period_end, current)
    rows = int((~checks.blank).sum())
    if rows == 0 and checks.required_present():
        log.add("no_rows")
    frame = _frame(checks, numbers.values, numbers.qualifier, period_end)
    if current is not None and len(frame):
        _large_changes(frame, current, log)
    _check_areas(frame, log)
    report = ValidationReport(log.finish(), rows=rows)
    return Validated(frame, report, needs_decimal=numbers.needs_decimal, sha256=raw.sha256,
                     filename=raw.filename, encoding=raw.encoding, separator=raw.separator,
                     decimal=numbers.decimal)


def _frame(checks: RowChecks, values: dict[str, np.ndarray], qualifier: pa.Array,
           period_end: np.ndarray) -> pd.DataFrame:
    """The typed frame of frame_schema, built column by column in arrow (text is not copied)."""
    arrays: dict[str, pa.Array | pa.ChunkedArray] = {"row": pa.array(checks.rows)}
    for name in COLUMN_NAMES:
        if name in values:
            arrays[name] = pa.array(values[name], pa.float64(), from_pandas=True)
        elif name in checks.cols:
            arrays[name] = checks.cols[name].texts()
        else:
            arrays[name] = pc.fill_null(pa.nulls(checks.n, TEXT), "")
    arrays["qualifier"] = qualifier
    arrays["period_end"] = pa.array(period_end, pa.timestamp("ns"), from_pandas=True)
    table = pa.table([arrays[name] for name in FRAME_COLUMNS], names=list(FRAME_COLUMNS))
    if not checks.in_frame.all():
        table = table.filter(pa.array(checks.in_frame))
    return table.to_pandas()


def _check_areas(frame: pd.DataFrame, log: IssueLog) -> None:
    """Area codes and parents checked against the register of administrative units (warnings: a dataset may
    name its own areas). Only a file that gives codes or parents is looked at, so v1 files cost nothing."""
    given = (frame["area_code"] != "") | (frame["parent_area"] != "")
    if not given.any():
        return
    from indicators.areas import check_areas  # the register is read on first use only

    rows = frame["row"].to_numpy()
    mask = given.to_numpy()
    at_rows = np.flatnonzero(mask)  # once: per issue it made every lookup O(rows), minutes on a province
    columns = {name: frame[name].to_numpy(dtype=object) for name in ("area_code", "parent_area")}
    for position, code, params in check_areas(frame[mask].reset_index(drop=True).assign(row=rows[mask])):
        column = "parent_area" if code == "parent_mismatch" else "area_code"
        at = at_rows[position]
        log.add(code, int(rows[at]), column, str(columns[column][at]), **params)


def _large_changes(frame: pd.DataFrame, current: pd.DataFrame, log: IssueLog) -> None:
    keys = ["period_end" if k == "period" else k for k in KEY]
    old = current.loc[current["value"].notna(), [*keys, "value"]].drop_duplicates(keys)
    new = frame.loc[frame["value"].notna(), [*keys, "value", "row"]]
    both = new.merge(old, on=keys, suffixes=("", "_old"))
    jump = both[(both["value"] - both["value_old"]).abs() > LARGE_CHANGE * both["value_old"].abs()]
    log.add_cells("large_change", "value", jump["row"].tolist(), [f"{v:g}" for v in jump["value"]],
                  [{"old": f"{v:g}"} for v in jump["value_old"]])


def validate_bytes(data: bytes, filename: str, *, decimal: str | None = None, sheet: str | None = None,
                   current: pd.DataFrame | None = None,
                   progress: ProgressCallback | None = None,
                   limits: Limits | None = None, lang: str = "vi", options: Options | None = None) -> Validated:
    """Read, convert and validate a file's bytes. Never raises for bad input: an unreadable file gives a
    report with one file-level error and `unreadable=True`. `progress(fraction, message)` is told how far
    it got; `limits` bound the reading (default: from the environment, see `limits`); progress texts are in
    `lang`. `options` choose the adapter (default: detected) and what it needs (area, profile, mapping);
    `sheet` and `limits` given here win over theirs. Issues of a converted file name its original cells."""
    notify = progress or (lambda fraction, message: None)
    notify(0.0, t("progress_reading", lang))
    opts = replace(options or Options(), sheet=sheet if sheet is not None else (options.sheet if options else None),
                   limits=limits or (options.limits if options else None))
    opts = _with_catalogue(opts, current)
    try:
        raw = None
        fmt = opts.fmt
        if fmt in ("auto", "tidy"):
            special = detect_special(data, filename) if fmt == "auto" else None
            if special is not None:
                fmt = special
            elif fmt == "auto" and not is_workbook(data, filename):
                fmt = detect_grid(head_grid(data))  # a CSV: its first lines tell (a report table is not read twice)
            if fmt in ("auto", "tidy"):  # a workbook: read once as a table; a report table is read again as a grid
                raw = read_table(data, filename, sheet=opts.sheet, progress=progress, limits=opts.limits)
                fmt = detect_table(raw) if fmt == "auto" else "tidy"
        converted = convert_bytes(data, filename, replace(opts, fmt=fmt), raw=raw if fmt == "tidy" else None)
    except ReadError as exc:
        notify(1.0, t("progress_unreadable", lang))
        return Validated(None, ValidationReport([exc.issue]), unreadable=True, filename=filename,
                         sha256=_sha256(data))
    notify(0.5, t("progress_checking", lang))
    converted.raw.filename, converted.raw.sha256 = filename, converted.raw.sha256 or _sha256(data)
    result = validate_table(converted.raw, decimal=decimal, current=current)
    notify(1.0, t("progress_checked", lang))
    return relocate(result, converted)


def _with_catalogue(options: Options, current: pd.DataFrame | None) -> Options:
    """Options matching against `current`'s indicators when the caller gave no catalogue."""
    if options.catalogue.aliases or options.catalogue.indicators is not None or current is None:
        return options
    return replace(options, catalogue=Catalogue.of(current))


def validate_many(files: list[tuple[bytes, str]], *, decimal: str | None = None,
                  current: pd.DataFrame | None = None, options: Options | None = None,
                  progress: ProgressCallback | None = None, lang: str = "vi") -> list[Validated]:
    """`validate_bytes` of each of many files (the communes' forms of one round), in order; every issue
    names its file. The workbooks are read together (`adapters.convert_many`), each file is checked on its
    own (its own decimal convention); `progress` hears of each file as it is checked (i / n; the caller
    says when the whole batch is done)."""
    notify = progress or (lambda fraction, message: None)
    opts = options or Options()
    opts = _with_catalogue(opts, current)
    results: list[Validated] = []
    converted_files = convert_many(files, opts)
    for i, ((data, filename), converted) in enumerate(zip(files, converted_files, strict=True)):
        notify(i / max(len(files), 1), t("batch_checking", lang, file=filename, i=i + 1, n=len(files)))
        if isinstance(converted, ReadError):
            result = Validated(None, ValidationReport([converted.issue]), unreadable=True, filename=filename,
                               sha256=_sha256(data))
        else:
            converted.raw.filename, converted.raw.sha256 = filename, converted.raw.sha256 or _sha256(data)
            result = relocate(validate_table(converted.raw, decimal=decimal, current=current), converted)
            result.sha256 = _sha256(data)
        result.report = ValidationReport([replace(issue, file=filename) for issue in result.report.issues],
                                         rows=result.report.rows)
        results.append(result)
    return results


def relocate(result: Validated, converted: Converted) -> Validated:
    """The validation of converted rows told in the original file's terms: each issue at its original
    cell (the adapter's own issues first), the frame's `row` the original row of each value."""
    result.format, result.converted = converted.format, converted
    if converted.format == "tidy":  # the file's own cells are in the frame now: a million rows are not kept twice
        converted.raw = replace(converted.raw, cells=converted.raw.cells.schema.empty_table())
    if converted.origin is None and not converted.issues and not converted.sheet:
        return result
    issues = [converted.locate(issue) for issue in result.report.issues]
    result.report = ValidationReport([*converted.issues, *issues], rows=result.report.rows)
    if converted.origin is not None and result.frame is not None and len(result.frame):
        source = converted.source_rows()
        result.frame["row"] = source[result.frame["row"].to_numpy(dtype=np.int64) - 2]
    return result


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def read_path(path: Path, limits: Limits | None = None) -> bytes:
    """A file's bytes, reading at most the size limit (`/dev/zero` ends too); raises ReadError
    (`file_too_large`, `unreadable_file`) — the only exception — when it cannot be read."""
    limits = limits or Limits.from_env()
    cap = int(limits.file_mb * 1e6)
    try:
        with open(path, "rb") as stream:
            data = stream.read(cap + 1)
    except OSError as exc:
        raise ReadError("unreadable_file", value=str(path), reason=exc.strerror or str(exc)) from None
    if len(data) > cap:
        raise ReadError("file_too_large", limit=f"{limits.file_mb:g}", setting=Limits.setting("file_mb"))
    return data


def validate_path(path: Path, *, decimal: str | None = None, sheet: str | None = None,
                  current: pd.DataFrame | None = None, limits: Limits | None = None,
                  options: Options | None = None) -> Validated:
    """`validate_bytes` of a file on disk, read through `read_path` (never raises for bad input)."""
    path = Path(path)
    try:
        data = read_path(path, limits)
    except ReadError as exc:
        return Validated(None, ValidationReport([exc.issue]), unreadable=True, filename=path.name)
    return validate_bytes(data, path.name, decimal=decimal, sheet=sheet, current=current, limits=limits,
                          options=options)


def load_file(path: Path, *, decimal: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """The typed frame of a contract file; raises InvalidDataError (a ValueError) listing the problems."""
    path = Path(path)
    result = validate_path(path, decimal=decimal, sheet=sheet)
    if not result.report.valid or result.frame is None:
        raise InvalidDataError(result.report, path.name)
    return result.frame

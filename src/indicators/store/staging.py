"""Stage, then commit: what an analyst previewed is exactly what gets written, or nothing is.

A `Stage` is one file checked and previewed against one version of the store: the file's name and
sha256, the decimal mark and sheet asked for, the mode, the base version id, the validation result and
the dry run (counts, changes, removed rows and the dataset a commit stores). `commit` writes that dry
run's result as a new version only if the base is still current — checked inside the write transaction
— and otherwise raises ConcurrentCommitError with nothing written; the caller stages again (a new
preview) and shows it. The upload page and `indicators import` both go through here.

    staged = stage(store, data, "kim_son.csv", decimal=None, sheet=None, mode="replace")
    if staged.valid:
        staged.counts(), staged.removed, staged.removals      # what the user confirms
        info = commit(store, staged, user="lan", comment="year-end 2024")

Validation depends on the base (its `large_change` warnings compare with the stored values), so a stage
is reusable for (sha256, decimal, sheet, options, base); a change of `mode` alone re-previews without reading
the file again (`restage`). `options` (adapters.Options: the format, an area, a mapping the analyst edited…)
are part of the key through `options_key`; the store's catalogue of indicators, its aliases and its saved
mapping profiles are filled in by `stage` itself when the caller leaves them out, so they follow the base.

A batch (many files of one reporting round, `stage_batch`) is checked file by file, then as one set of rows:
a key two files both give is an error naming both. It is committed as one version (`commit_batch`) or as one
version per file (update mode, each on top of the one before; the first failure stops it, saying what was
written). Rows typed on the page (`stage_converted`: a grid of figures) go through the same validation.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from indicators.callbacks import ProgressCallback
from indicators.contract import KEY
from indicators.i18n import t
from indicators.ingest.adapters import Catalogue, Converted, Options
from indicators.ingest.report import Issue, IssueLog, ValidationReport, make_issue
from indicators.ingest.validate import Validated, relocate, validate_bytes, validate_many, validate_table
from indicators.store.diff import Preview, preview
from indicators.store.versions import Mode, Store, VersionInfo

__all__ = ["BatchStage", "BatchStopped", "FileCheck", "Stage", "StageKey", "commit", "commit_batch",
           "options_key", "restage", "sha256", "stage", "stage_batch", "stage_converted"]


class StageKey(NamedTuple):
    """What a stage was computed from; equal keys mean an equal stage."""

    sha256: str
    decimal: str | None
    sheet: str | None
    mode: str
    base: int | None
    options: str = ""  # options_key(options): "" for none


class _Previewed:
    """What a stage and a batch stage show alike: the dry run's counts and the rows a commit would drop."""

    dry_run: Preview | None

    @property
    def valid(self) -> bool:
        """Committable: the rows met the contract and were previewed."""
        return self.dry_run is not None

    def counts(self) -> dict[str, int]:
        """{"new", "changed", "unchanged", "removed"} of the dry run (zeros when not valid)."""
        if self.dry_run is None:
            return {"new": 0, "changed": 0, "unchanged": 0, "removed": 0}
        return self.dry_run.counts()

    @property
    def removed(self) -> int:
        return 0 if self.dry_run is None else self.dry_run.removed

    @property
    def removals(self) -> pd.DataFrame:
        """The base's rows a commit would drop (key and value), one line each; empty in update mode."""
        if self.dry_run is None or not self.dry_run.removed:
            return pd.DataFrame(columns=[*KEY, "old"])
        changes = self.dry_run.changes
        gone = changes[changes["change"] == "removed"]
        return gone[[*KEY, "old"]].reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class Stage(_Previewed):
    """One file, checked and previewed against version `base` (None: an empty store)."""

    filename: str
    sha256: str
    decimal: str | None  # as asked: None lets the file show its convention
    sheet: str | None
    mode: Mode
    base: int | None
    checked: Validated = field(repr=False)
    dry_run: Preview | None = field(repr=False)  # None when the file is not valid
    current: pd.DataFrame | None = field(repr=False, default=None)  # the base version's rows
    options: Options | None = field(repr=False, default=None)  # as the caller gave them
    options_key: str = ""

    @property
    def key(self) -> StageKey:
        return StageKey(self.sha256, self.decimal, self.sheet, self.mode, self.base, self.options_key)

    @property
    def report(self) -> ValidationReport:
        return self.checked.report


def _check_mode(mode: str) -> None:
    if mode not in ("replace", "update"):
        raise ValueError(f"mode must be 'replace' or 'update', not {mode!r}")


def _base(store: Store) -> tuple[int | None, pd.DataFrame | None]:
    base = store.current_version()
    return (base.version, store.load(base.version)) if base is not None else (None, None)


def stage(store: Store, data: bytes, filename: str, *, decimal: str | None = None, sheet: str | None = None,
          mode: Mode = "replace", progress: ProgressCallback | None = None, lang: str = "vi",
          options: Options | None = None) -> Stage:
    """Validate `data` and preview it against the store's current version; nothing is written.
    `options` choose the adapter and what it needs (see `with_store` for what is filled in)."""
    _check_mode(mode)
    base, current = _base(store)
    checked = validate_bytes(data, filename, decimal=decimal, sheet=sheet, current=current, progress=progress,
                             lang=lang, options=with_store(store, options, current))
    return Stage(filename, sha256(data), decimal, sheet, mode, base, checked, _dry_run(checked, current, mode),
                 current, options, options_key(options))


def stage_converted(store: Store, converted: Converted, filename: str, *, mode: Mode = "update",
                    decimal: str | None = ".") -> Stage:
    """Rows the library built itself (e.g. figures typed into the page's grid, `store.entry`), validated
    and previewed like a file; issues name the converted table's own rows through its Origin."""
    _check_mode(mode)
    base, current = _base(store)
    digest = converted.raw.sha256 or sha256(filename.encode("utf-8"))
    converted.raw.filename, converted.raw.sha256 = filename, digest
    checked = relocate(validate_table(converted.raw, decimal=decimal, current=current), converted)
    return Stage(filename, digest, decimal, None, mode, base, checked, _dry_run(checked, current, mode), current)


def with_store(store: Store, options: Options | None, current: pd.DataFrame | None) -> Options:
    """`options` with what the store knows filled in where the caller left it out: the catalogue of the
    indicators in `current` with the aliases analysts saved, and the saved mapping profiles."""
    opts = options or Options()
    if opts.catalogue.indicators is None and not opts.catalogue.aliases:
        opts = replace(opts, catalogue=Catalogue.of(current, store.aliases()))
    if opts.profiles is None:
        opts = replace(opts, profiles=store.profiles())
    return opts


def options_key(options: Options | None) -> str:
    """A fingerprint of what the caller chose in `options` (format, sheet, area, period, source, a profile,
    an edited mapping): equal choices give equal keys. The catalogue and the saved profiles are left out:
    they come from the store and follow its version."""
    if options is None:
        return ""
    chosen = {f.name: getattr(options, f.name) for f in dataclasses.fields(options)
              if f.name not in ("catalogue", "profiles", "limits", "grids")}
    text = json.dumps(_plain(chosen), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _plain(value: Any) -> Any:
    """JSON-able form of an option value: frames by their cells, dataclasses by their fields, bytes (a
    companion file) by their digest."""
    if isinstance(value, bytes | bytearray):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, pd.DataFrame):
        return {"columns": [str(c) for c in value.columns], "index": [str(i) for i in value.index],
                "cells": value.astype(str).to_numpy().tolist()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def sha256(data: bytes) -> str:
    """The hex digest a stage (and the version it becomes) records for a file."""
    return hashlib.sha256(data).hexdigest()


def restage(staged: Stage, *, mode: Mode) -> Stage:
    """The same checked file previewed in another mode against the same base (the file is not re-read)."""
    if mode == staged.mode:
        return staged
    return replace(staged, mode=mode, dry_run=_dry_run(staged.checked, staged.current, mode))


def commit(store: Store, staged: Stage, *, user: str, comment: str) -> VersionInfo:
    """Write exactly the staged dry run as a new version, if `staged.base` is still current.

    Raises ConcurrentCommitError (nothing written) when another commit moved the pointer since the
    stage was made; ValueError for a stage of an invalid file."""
    if staged.dry_run is None or staged.checked.frame is None:
        raise ValueError(f"{staged.filename}: the file is not valid; nothing to commit")
    return store.commit(staged.checked.frame, user=user, comment=comment, filename=staged.filename,
                        sha256=staged.sha256, mode=staged.mode, expected_current=staged.base,
                        dry_run=staged.dry_run)


def _dry_run(checked: Validated, current: pd.DataFrame | None, mode: Mode) -> Preview | None:
    if checked.unreadable or checked.frame is None or not checked.report.valid:
        return None
    return preview(current, checked.frame, mode)


# --- batches: the communes' forms of one reporting round ------------------------------------------------


@dataclass(frozen=True)
class FileCheck:
    """One file of a batch, checked on its own (its issues name the file)."""

    filename: str
    sha256: str
    checked: Validated = field(repr=False)

    @property
    def valid(self) -> bool:
        return not self.checked.unreadable and self.checked.frame is not None and self.checked.report.valid


@dataclass(frozen=True, eq=False)
class BatchStage(_Previewed):
    """Many files checked one by one, then as one set of rows, previewed together against version `base`.
    `per_file`: committed as one version per file (update mode), else as one version of every file."""

    files: tuple[FileCheck, ...]
    mode: Mode
    per_file: bool
    base: int | None
    report: ValidationReport = field(repr=False)  # every file's issues (each naming its file), then the batch's
    frame: pd.DataFrame | None = field(repr=False)  # the combined rows; None when a file is not valid
    dry_run: Preview | None = field(repr=False)
    decimal: str | None = None
    options_key: str = ""

    @property
    def key(self) -> tuple[Any, ...]:
        return (tuple((f.filename, f.sha256) for f in self.files), self.decimal, self.mode, self.per_file,
                self.base, self.options_key)

    @property
    def filenames(self) -> list[str]:
        return [f.filename for f in self.files]


class BatchStopped(Exception):
    """A per-file batch commit stopped at `filename`: `committed` versions were written before it (each
    whole), the rest were not. `cause` is the store's error."""

    def __init__(self, committed: list[VersionInfo], filename: str, cause: Exception) -> None:
        super().__init__(f"stopped at {filename} after {len(committed)} committed versions: {cause}")
        self.committed, self.filename, self.cause = committed, filename, cause


def stage_batch(store: Store, files: Sequence[tuple[str, bytes]], *, options: Options | None = None,
                mode: Mode = "replace", per_file: bool = False, decimal: str | None = None,
                progress: ProgressCallback | None = None, lang: str = "vi") -> BatchStage:
    """Check every file (`[(name, bytes)]`) against the store's current version, then the combined rows
    (a key given by two files is an error naming both); preview them together. Nothing is written.
    One version per file (`per_file`) is always an update (each file adds its rows)."""
    _check_mode(mode)
    mode = "update" if per_file else mode
    notify = progress or (lambda share, message: None)
    base, current = _base(store)
    opts = with_store(store, options, current)
    # every workbook of the batch is read ahead by one capped worker (validate_many), not one process each
    checked_files = validate_many([(data, name) for name, data in files], decimal=decimal, current=current,
                                  options=opts, progress=progress, lang=lang)
    checks = [FileCheck(name, sha256(data), checked)
              for (name, data), checked in zip(files, checked_files, strict=True)]
    notify(1.0, t("batch_checked", lang, n=len(files)))
    issues = [issue for check in checks for issue in check.checked.report.issues]
    rows = sum(check.checked.report.rows for check in checks)
    frame = None
    if checks and all(check.valid for check in checks):
        frame, more = _combined(checks)
        issues += more
    report = ValidationReport(issues, rows=rows)
    dry_run = preview(current, frame, mode) if frame is not None and report.valid else None
    return BatchStage(tuple(checks), mode, per_file, base, report, frame, dry_run, decimal, options_key(options))


def _combined(checks: list[FileCheck]) -> tuple[pd.DataFrame, list[Issue]]:
    """The files' rows as one frame, and the issues of the set: a key (indicator_id, area, period, kind)
    two files give, an indicator whose name, unit, group or direction differs between files."""
    frames = [check.checked.frame for check in checks if check.checked.frame is not None]
    frame = pd.concat(frames, ignore_index=True)
    rows = frame["row"].to_numpy(dtype=np.int64)
    names = pd.Series(np.repeat(np.array([c.filename for c in checks], dtype=object), [len(f) for f in frames]))
    log = IssueLog()
    key_columns = ["period_end" if k == "period" else k for k in KEY]  # "2023" = "31/12/2023"
    key = [frame[k] for k in key_columns]
    first_row = frame["row"].groupby(key, sort=False).transform("first").to_numpy(dtype=np.int64)
    first_file = names.groupby(key, sort=False).transform("first")

    def duplicate(i: int) -> Issue:
        value = " | ".join(str(frame[c].iat[i]) for c in KEY if c in ("indicator_id", "area", "period", "kind")
                           or frame[c].iat[i] != "")
        return make_issue("batch_duplicate_key", int(rows[i]), None, value, first_file=first_file.iat[i],
                          first_row=int(first_row[i]))

    _add(log, names, np.flatnonzero(frame.duplicated(key_columns).to_numpy()),
         duplicate)
    by_indicator = names.groupby(frame["indicator_id"], sort=False).transform("first")
    for column in ("indicator", "unit", "group", "direction"):
        expected = frame.groupby("indicator_id", sort=False)[column].transform("first")

        def differs(i: int, column: str = column, expected: pd.Series = expected) -> Issue:
            return make_issue("batch_inconsistent_indicator", int(rows[i]), column,
                              str(frame[column].iat[i]), indicator_id=str(frame["indicator_id"].iat[i]),
                              other_value=str(expected.iat[i]), other_file=by_indicator.iat[i])

        _add(log, names, np.flatnonzero((frame[column] != expected).to_numpy()), differs)
    return frame, log.finish()


def _add(log: IssueLog, names: pd.Series, positions: np.ndarray, build: Callable[[int], Issue]) -> None:
    """The issues `build(i)` of the combined rows at `positions`, each naming its file, up to the log's
    limit per code (the rest counted)."""
    if not positions.size:
        return
    code = build(int(positions[0])).code
    room = log.room(code)
    log.extend([replace(build(int(i)), file=str(names.iat[i])) for i in positions[:room]])
    log.more(code, positions.size - min(positions.size, room))


def commit_batch(store: Store, batch: BatchStage, *, user: str, comment: str,
                 progress: ProgressCallback | None = None, lang: str = "vi") -> list[VersionInfo]:
    """Write the batch: one version holding every file (exactly the previewed dry run, if `batch.base`
    is still current), or one version per file in update mode, each on top of the one before.

    ConcurrentCommitError (nothing written) when someone committed since the preview. Per file, a failure
    after the first version raises BatchStopped with the versions written so far (each one whole)."""
    if batch.dry_run is None or batch.frame is None:
        raise ValueError("the batch is not valid; nothing to commit")
    if not batch.per_file:
        digest = hashlib.sha256("".join(f.sha256 for f in batch.files).encode("ascii")).hexdigest()
        return [store.commit(batch.frame, user=user, comment=comment, filename=", ".join(batch.filenames),
                             sha256=digest, mode=batch.mode, expected_current=batch.base, dry_run=batch.dry_run)]
    notify = progress or (lambda share, message: None)
    committed: list[VersionInfo] = []
    expected = batch.base
    for i, check in enumerate(batch.files):
        notify(i / len(batch.files), t("batch_committing", lang, file=check.filename, i=i + 1, n=len(batch.files)))
        assert check.checked.frame is not None
        try:
            info = store.commit(check.checked.frame, user=user, comment=comment, filename=check.filename,
                                sha256=check.sha256, mode="update", expected_current=expected)
        except Exception as exc:
            if not committed:
                raise
            raise BatchStopped(committed, check.filename, exc) from exc
        committed.append(info)
        expected = info.version
    notify(1.0, t("batch_committed", lang, n=len(committed)))
    return committed

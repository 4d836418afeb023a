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
is reusable for (sha256, decimal, sheet, base); a change of `mode` alone re-previews without reading the
file again (`restage`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from indicators.callbacks import ProgressCallback
from indicators.ingest.report import ValidationReport
from indicators.ingest.validate import Validated, validate_bytes
from indicators.store.diff import Preview, preview
from indicators.store.versions import Mode, Store, VersionInfo

__all__ = ["Stage", "StageKey", "commit", "restage", "sha256", "stage"]


class StageKey(NamedTuple):
    """What a stage was computed from; equal keys mean an equal stage."""

    sha256: str
    decimal: str | None
    sheet: str | None
    mode: str
    base: int | None


@dataclass(frozen=True, eq=False)
class Stage:
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

    @property
    def key(self) -> StageKey:
        return StageKey(self.sha256, self.decimal, self.sheet, self.mode, self.base)

    @property
    def report(self) -> ValidationReport:
        return self.checked.report

    @property
    def valid(self) -> bool:
        """Committable: the file met the contract and was previewed."""
        return self.dry_run is not None

    def counts(self) -> dict[str, int]:
        """{"new", "changed", "unchanged", "removed"} of the dry run (zeros for an invalid file)."""
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
            return pd.DataFrame(columns=["indicator_id", "area", "period", "kind", "old"])
        changes = self.dry_run.changes
        gone = changes[changes["change"] == "removed"]
        return gone[["indicator_id", "area", "period", "kind", "old"]].reset_index(drop=True)


def stage(store: Store, data: bytes, filename: str, *, decimal: str | None = None, sheet: str | None = None,
          mode: Mode = "replace", progress: ProgressCallback | None = None, lang: str = "vi") -> Stage:
    """Validate `data` and preview it against the store's current version; nothing is written."""
    if mode not in ("replace", "update"):
        raise ValueError(f"mode must be 'replace' or 'update', not {mode!r}")
    base = store.current_version()
    current = store.load(base.version) if base is not None else None
    checked = validate_bytes(data, filename, decimal=decimal, sheet=sheet, current=current, progress=progress,
                             lang=lang)
    return Stage(filename, sha256(data), decimal, sheet, mode, base.version if base else None, checked,
                 _dry_run(checked, current, mode), current)


def sha256(data: bytes) -> str:
    """The hex digest a stage (and the version it becomes) records for a file."""
    return hashlib.sha256(data).hexdigest()


def restage(staged: Stage, *, mode: Mode) -> Stage:
    """The same checked file previewed in another mode against the same base (the file is not re-read)."""
    if mode == staged.mode:
        return staged
    return Stage(staged.filename, staged.sha256, staged.decimal, staged.sheet, mode, staged.base, staged.checked,
                 _dry_run(staged.checked, staged.current, mode), staged.current)


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

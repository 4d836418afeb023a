"""Scoped writes and approval (issue 10, DHIS2's data approval): who may write which areas, and commits that
wait for a reviewer.

An account limited to areas (`Account.scope`) writes only rows *inside* its scope: a row is inside when its
area, or one of the area's ancestors on the row's period_end (the areas register), is in the scope. A commit
holding a row outside is refused before anything is written, naming the rows; a scoped account may not
replace the dataset (that would remove other areas' rows), only update it. An account that needs approval
submits instead of committing: its rows wait in `submissions` / `submission_rows` (nothing changes in the
current version) until a reviewer approves them — one transaction makes the new version, the current one
updated by key with the submission's rows, even if the current version moved since — or returns them with
a comment. A reviewer is an analyst or admin who needs no approval, is not the submitter, and whose scope
covers every row of the submission.

    delivered = deliver(store, staged, user, comment="Quý 3")       # commits, or submits (`.submission`)
    review = review_preview(store, delivered.submission)            # the diff against current, and overwritten
    approve(store, delivered.submission, "tinh", expected_current=review.current)   # -> the new version id
    send_back(store, other_id, "tinh", "Thiếu nguồn số liệu")

The page (app_pages/upload.py, review.py) and the command line (`import --user`, `submissions …`) both go
through `deliver`, `approve` and `send_back`, which re-read the accounts from the store.
"""

from __future__ import annotations

import difflib
import importlib.util
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, insert, select, update

from indicators.contract import KEY
from indicators.frame import FLOAT_COLUMNS, FRAME_COLUMNS, conform, empty_frame
from indicators.i18n import pair, t
from indicators.store.accounts import User, canonical_name, find_user
from indicators.store.diff import CHANGE_COLUMNS, Preview, compare_versions, preview
from indicators.store.tables import STATUSES, submission_rows, submissions

if TYPE_CHECKING:
    from indicators.store.staging import BatchStage, Stage
    from indicators.store.versions import Store, VersionInfo

__all__ = ["NAMED_ROWS", "STATUSES", "Delivered", "FrameAreas", "Hierarchy", "Review", "Submission",
           "SubmissionError", "WriteRefused", "approve", "approvals", "area_register", "check_write", "deliver",
           "inside", "known_areas", "may_review", "out_of_scope", "pending_count", "review_preview", "rows", "send_back", "staged_rows",
           "submission", "submissions_list", "submit"]

NAMED_ROWS = 20  # rows a refusal names (the rest are counted)
REFUSED_COLUMNS = ("row", "area", "indicator_id", "period", "kind")
_LOCK_KEY = 0x1D1C_5AB0  # PostgreSQL advisory lock: a submission's rows are written with it


# --- the areas register ---------------------------------------------------------------------------------
class Hierarchy(Protocol):
    """What a scope needs of the areas register (indicators.areas.Register has it)."""

    def ancestors(self, name: str, on: date | None = None) -> list[str]: ...

    def names(self, level: str | None = None, on: date | None = None) -> list[str]: ...


class FrameAreas:
    """The hierarchy datasets give by themselves: each area under the `parent_area` its rows name (the newest
    row's, when rows differ; the first frame that gives one wins, as the register keeps what it knows, so a
    file cannot move a stored area under another). What `area_register` answers without the areas register."""

    def __init__(self, *frames: pd.DataFrame | None) -> None:
        self.parent: dict[str, str] = {}
        self._names: list[str] = []
        for frame in frames:
            if frame is None or not len(frame):
                continue
            for area in frame["area"].unique():
                if area not in self._names:
                    self._names.append(str(area))
            if "parent_area" in frame.columns:
                pairs = frame.loc[frame["parent_area"] != "", ["area", "parent_area", "period_end"]]
                given: dict[str, str] = {}
                for area, parent in pairs.sort_values("period_end", kind="stable")[["area", "parent_area"]].values:
                    given[str(area)] = str(parent)
                for area, parent in given.items():
                    if self.parent.setdefault(area, parent) == parent and parent not in self._names:
                        self._names.append(parent)

    def ancestors(self, name: str, on: date | None = None) -> list[str]:
        out: list[str] = []
        while (parent := self.parent.get(name)) is not None and parent not in out and parent != name:
            out.append(parent)
            name = parent
        return out

    def names(self, level: str | None = None, on: date | None = None) -> list[str]:
        return list(self._names)


def area_register(*frames: pd.DataFrame | None) -> Hierarchy:
    """The areas register with the areas `frames` name: `indicators.areas` (the maintained units and the
    crosswalk) where this build has it, else the datasets' own hierarchy (`FrameAreas`). Give the stored
    rows first, then the file's: an area already known keeps its parent, so a file's `parent_area` places
    only areas nobody knew (a scoped account cannot bring another commune inside its scope by naming it)."""
    if importlib.util.find_spec("indicators.areas") is None:
        return FrameAreas(*frames)
    from indicators.areas import default_register

    register = default_register()
    for frame in frames:
        if frame is not None and len(frame):
            register = register.with_frame(frame)
    return register


def known_areas(names: Sequence[str], frame: pd.DataFrame | None, register: Hierarchy) -> tuple[str, ...]:
    """`names` as the data writes them (a different case or spacing is taken as the known name);
    ValueError naming each unknown one and the nearest known names."""
    known = list(dict.fromkeys([*register.names(), *(frame["area"].unique() if frame is not None else ())]))
    by_fold = {canonical_name(str(k)): str(k) for k in known}
    out, unknown = [], []
    for name in names:
        found = name if name in known else by_fold.get(canonical_name(name))
        if found is None:
            near = difflib.get_close_matches(name, [str(k) for k in known], n=3, cutoff=0.6)
            unknown.append(f"{name!r}" + (f" ({', '.join(near)}?)" if near else ""))
        elif found not in out:
            out.append(found)
    if unknown:
        raise WriteRefused(pair("scope_unknown_areas", areas="; ".join(unknown)))
    return tuple(out)


def inside(frame: pd.DataFrame, scope: Iterable[str], register: Hierarchy) -> np.ndarray:
    """Per row: its area, or an ancestor of it on the row's period_end, is in `scope` (an empty scope: all)."""
    wanted = set(scope)
    if not wanted:
        return np.ones(len(frame), dtype=bool)
    pairs = frame[["area", "period_end"]].drop_duplicates()  # the register is asked once per area and day
    pairs["held"] = [area in wanted or bool(wanted.intersection(register.ancestors(
                         str(area), on=None if pd.isna(end) else pd.Timestamp(end).date())))
                     for area, end in pairs.itertuples(index=False)]
    held = frame[["area", "period_end"]].merge(pairs, on=["area", "period_end"], how="left")["held"]
    return held.fillna(False).to_numpy(dtype=bool)


def out_of_scope(frame: pd.DataFrame, scope: Iterable[str], register: Hierarchy) -> pd.DataFrame:
    """The rows of `frame` outside `scope` (all its columns; none for an empty scope)."""
    return frame[~inside(frame, scope, register)]


# --- refusals -------------------------------------------------------------------------------------------
class WriteRefused(ValueError):
    """An account may not write this (nothing was written): `texts` is the reason (vi, en), `rows` the first
    NAMED_ROWS rows concerned and `count` all of them."""

    def __init__(self, texts: tuple[str, str], rows: pd.DataFrame | None = None) -> None:
        named = rows if rows is not None else empty_frame()
        self.texts, self.count = texts, len(named)
        self.rows = named.loc[:, list(REFUSED_COLUMNS)].head(NAMED_ROWS).reset_index(drop=True)
        super().__init__(texts[1])

    def message(self, lang: str = "vi") -> str:
        return self.texts[1] if lang == "en" else self.texts[0]

    def lines(self, lang: str = "vi") -> list[str]:
        """The named rows, one line each ("row 12: Xã Kim Hải · ho_ngheo · 2024 · actual"), then how many more."""
        out = [t("scope_row", lang, row=int(row), what=" · ".join(str(v) for v in rest))
               for row, *rest in self.rows.itertuples(index=False, name=None)]
        if self.count > len(self.rows):
            out.append(t("scope_more_rows", lang, n=self.count - len(self.rows)))
        return out


def check_write(user: User, frame: pd.DataFrame, mode: str, register: Hierarchy) -> None:
    """Raise WriteRefused when `user` may not write `frame` in `mode`: a disabled or reader account, replace
    by a scoped account (or one that needs approval: it submits updates), a row outside the scope."""
    if not user.can_commit:
        raise WriteRefused(pair("scope_not_writer", name=user.name))
    if mode == "replace" and (user.scope or user.needs_approval):
        raise WriteRefused(pair("scope_no_replace", name=user.name))
    outside = out_of_scope(frame, user.scope, register)
    if len(outside):
        raise WriteRefused(pair("scope_refused", n=len(outside), name=user.name, scope=", ".join(user.scope)),
                           outside)


# --- submissions ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Submission:
    """One submission as the review page and `submissions list` show it."""

    id: int
    created_at: datetime  # aware, UTC
    user: str
    comment: str
    filename: str
    sha256: str
    base_version: int | None
    status: str
    rows: int
    reviewer: str | None = None
    reviewed_at: datetime | None = None
    review_comment: str = ""
    version_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["created_at"] = self.created_at.isoformat()
        out["reviewed_at"] = self.reviewed_at.isoformat() if self.reviewed_at else None
        return out


class SubmissionError(ValueError):
    """No such submission, one already reviewed, a return without a comment (nothing was written); `texts`
    says which (vi, en)."""

    def __init__(self, texts: tuple[str, str]) -> None:
        self.texts = texts
        super().__init__(texts[1])

    def message(self, lang: str = "vi") -> str:
        return self.texts[1] if lang == "en" else self.texts[0]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def submit(store: Store, frame: pd.DataFrame, user: str, comment: str, filename: str, sha256: str,
           base_version: int | None) -> int:
    """Keep `frame` (a checked file's rows) as a pending submission, in one transaction: its id. Nothing
    changes in the versions. The caller checked the account (`deliver` does)."""
    frame = conform(frame)
    with store.serialised(_LOCK_KEY) as conn:
        made = conn.execute(insert(submissions).values(
            created_at=_now(), user=user, comment=comment, filename=filename, sha256=sha256,
            base_version=base_version, status="pending", review_comment="", rows=len(frame),
        ))
        new_id = int(made.inserted_primary_key[0])  # type: ignore[index]
        if len(frame):
            conn.execute(insert(submission_rows), _records(frame, int(new_id)))
    return int(new_id)


def _records(frame: pd.DataFrame, submission_id: int) -> list[dict[str, Any]]:
    """The frame's rows as values to bind: NaN as NULL, period_end as a date."""
    out = frame.astype(object).where(frame.notna(), None)
    out["period_end"] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in frame["period_end"]]
    return [{str(k): v for k, v in record.items()} | {"submission_id": submission_id}
            for record in out.to_dict("records")]


def rows(store: Store, submission_id: int) -> pd.DataFrame:
    """The dataset frame of a submission's rows, in the file's order."""
    columns = [submission_rows.c[name] for name in FRAME_COLUMNS]
    with store.engine.connect() as conn:
        fetched = conn.execute(select(*columns).where(submission_rows.c.submission_id == submission_id)
                               .order_by(submission_rows.c.id)).all()
    if not fetched:
        return empty_frame()
    frame = pd.DataFrame([tuple(r) for r in fetched], columns=list(FRAME_COLUMNS))
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    for name in FLOAT_COLUMNS:
        frame[name] = pd.to_numeric(frame[name]).astype("float64")
    return conform(frame)


def submissions_list(store: Store, status: str | None = None, *, user: str | None = None) -> list[Submission]:
    """Submissions, newest first; only those of `status` / submitted by `user` when given."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    store.ensure_schema()
    query = select(submissions).order_by(submissions.c.id.desc())
    if status is not None:
        query = query.where(submissions.c.status == status)
    with store.engine.connect() as conn:
        found = [_submission(r) for r in conn.execute(query).mappings()]
    if user is not None:
        found = [s for s in found if canonical_name(s.user) == canonical_name(user)]
    return found


def submission(store: Store, submission_id: int) -> Submission:
    store.ensure_schema()
    with store.engine.connect() as conn:
        row = conn.execute(select(submissions).where(submissions.c.id == submission_id)).mappings().first()
    if row is None:
        raise SubmissionError(pair("submission_not_found", id=submission_id))
    return _submission(row)


def approvals(store: Store) -> dict[int, Submission]:
    """{version id: the approved submission that made it}, for the history."""
    return {s.version_id: s for s in submissions_list(store, "approved") if s.version_id is not None}


def _submission(row: Any) -> Submission:
    reviewed = row["reviewed_at"]
    return Submission(
        id=row["id"], created_at=row["created_at"].replace(tzinfo=UTC), user=row["user"], comment=row["comment"],
        filename=row["filename"], sha256=row["sha256"], base_version=row["base_version"], status=row["status"],
        rows=row["rows"], reviewer=row["reviewer"], reviewed_at=reviewed.replace(tzinfo=UTC) if reviewed else None,
        review_comment=row["review_comment"], version_id=row["version_id"],
    )


# --- writing as an account ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Delivered:
    """What a write as an account did: the versions it committed, or the submission it made."""

    versions: tuple[VersionInfo, ...] = ()
    submission: int | None = None


def deliver(store: Store, staged: Stage | BatchStage, user: User, comment: str,
            register: Hierarchy | None = None) -> Delivered:
    """Write a previewed stage (a file or a batch) as `user`: refused (WriteRefused, nothing written) when
    the account may not write its rows; submitted when it needs approval; else committed exactly as
    previewed (staging.commit / commit_batch, with their ConcurrentCommitError)."""
    from indicators.store import staging

    frame = staged_rows(staged)
    if register is None:
        current = staged.current if isinstance(staged, staging.Stage) else None
        if current is None and staged.base is not None:
            current = store.load(staged.base)
        register = area_register(current, frame)
    check_write(user, frame, staged.mode, register)
    if user.needs_approval:
        if isinstance(staged, staging.Stage):
            name, digest = staged.filename, staged.sha256
        else:
            name, digest = ", ".join(staged.filenames), staging.sha256("".join(f.sha256 for f in staged.files)
                                                                           .encode("ascii"))
        return Delivered(submission=submit(store, frame, user.name, comment, name, digest, staged.base))
    if isinstance(staged, staging.Stage):
        return Delivered(versions=(staging.commit(store, staged, user=user.name, comment=comment),))
    return Delivered(versions=tuple(staging.commit_batch(store, staged, user=user.name, comment=comment)))


def staged_rows(staged: Stage | BatchStage) -> pd.DataFrame:
    """The rows a stage would write (the file's, or the batch's together); ValueError when it is not valid."""
    from indicators.store import staging

    frame = staged.checked.frame if isinstance(staged, staging.Stage) else staged.frame
    if staged.dry_run is None or frame is None:
        raise ValueError("the file is not valid; nothing to write")
    return frame


# --- reviewing ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Review:
    """A pending submission previewed against the current version: `dry_run` is what approving it would
    change (update mode); `overwritten` the changes made since its base version to the keys it holds
    (CHANGE_COLUMNS), which approving it overwrites."""

    submission: Submission
    frame: pd.DataFrame
    current: int | None
    dry_run: Preview
    overwritten: pd.DataFrame


def review_preview(store: Store, submission_id: int,
                   current: tuple[int | None, pd.DataFrame | None] | None = None) -> Review:
    """What approving the submission would do now. `current` is (the current version's id, its rows) when
    the caller holds them (a page's cached view), else they are read."""
    sub = submission(store, submission_id)
    frame = rows(store, submission_id)
    if current is None:
        info = store.current_version()
        current = (info.version, store.load(info.version)) if info is not None else (None, None)
    version, rows_now = current
    dry_run = preview(rows_now, frame, "update")
    overwritten = pd.DataFrame(columns=list(CHANGE_COLUMNS))
    if version is not None and version != sub.base_version:
        base = store.load(sub.base_version) if sub.base_version is not None else empty_frame()
        between = compare_versions(base, rows_now if rows_now is not None else empty_frame()).changes
        keys = frame[list(KEY)].astype("str").drop_duplicates()
        overwritten = between.merge(keys, on=list(KEY), how="inner")
    return Review(sub, frame, version, dry_run, overwritten)


def may_review(reviewer: User | None, sub: Submission, frame: pd.DataFrame, register: Hierarchy) -> None:
    """Raise WriteRefused unless `reviewer` may approve or return `sub`: an enabled analyst or admin who
    needs no approval, is not its submitter, and whose scope covers every row of it."""
    if reviewer is None or not reviewer.can_commit:
        raise WriteRefused(pair("review_not_writer", name=reviewer.name if reviewer else "—"))
    if reviewer.needs_approval:
        raise WriteRefused(pair("review_needs_approval", name=reviewer.name))
    if canonical_name(reviewer.name) == canonical_name(sub.user):
        raise WriteRefused(pair("review_own", name=reviewer.name))
    outside = out_of_scope(frame, reviewer.scope, register)
    if len(outside):
        raise WriteRefused(pair("review_out_of_scope", n=len(outside), name=reviewer.name,
                                scope=", ".join(reviewer.scope)), outside)


def _reviewed(store: Store, submission_id: int, reviewer: str,
              register: Hierarchy | None) -> tuple[Submission, pd.DataFrame, User]:
    sub = submission(store, submission_id)
    if sub.status != "pending":
        raise SubmissionError(pair("submission_closed", id=submission_id))
    frame = rows(store, submission_id)
    account = find_user(store, reviewer)
    if register is None:
        info = store.current_version()
        register = area_register(store.load(info.version) if info is not None else None, frame)
    may_review(account, sub, frame, register)
    assert account is not None
    return sub, frame, account


def _close(conn: Connection, submission_id: int, status: str, reviewer: str, comment: str,
           version_id: int | None = None) -> None:
    """Mark a pending submission reviewed; SubmissionError (the caller's transaction rolls back) when another
    reviewer got there first."""
    done = conn.execute(update(submissions).where(submissions.c.id == submission_id,
                                                  submissions.c.status == "pending").values(
        status=status, reviewer=reviewer, reviewed_at=_now(), review_comment=comment, version_id=version_id))
    if done.rowcount != 1:
        raise SubmissionError(pair("submission_closed", id=submission_id))


def approve(store: Store, submission_id: int, reviewer: str, comment: str = "", *,
            expected_current: int | None | Literal["latest"] = "latest", register: Hierarchy | None = None) -> int:
    """Make the new version — the current one updated by key with the submission's rows — and mark the
    submission approved, in one transaction: the new version's id. WriteRefused when `reviewer` may not,
    SubmissionError when it is not pending, ConcurrentCommitError when the current version is no longer
    `expected_current` (the one the reviewer previewed against); nothing is written then."""
    sub, frame, account = _reviewed(store, submission_id, reviewer, register)
    text = comment.strip()

    def mark(conn: Connection, info: VersionInfo) -> None:
        _close(conn, submission_id, "approved", account.name, text, info.version)

    info = store.commit(frame, user=account.name, comment=sub.comment, filename=sub.filename, sha256=sub.sha256,
                        mode="update", expected_current=expected_current, within=mark)
    return info.version


def send_back(store: Store, submission_id: int, reviewer: str, comment: str,
              register: Hierarchy | None = None) -> None:
    """Return a pending submission to its submitter with `comment` (required: what to correct)."""
    text = comment.strip()
    if not text:
        raise SubmissionError(pair("review_comment_required"))
    _, _, account = _reviewed(store, submission_id, reviewer, register)
    with store.serialised(_LOCK_KEY) as conn:
        _close(conn, submission_id, "returned", account.name, text)


def pending_count(store: Store) -> int:
    store.ensure_schema()
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(submissions)
                                .where(submissions.c.status == "pending")).scalar() or 0)

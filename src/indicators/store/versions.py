"""The versioned store: every accepted dataset is an immutable version; "current" is a pointer.

SQLAlchemy Core over SQLite (the embedded default, WAL + synchronous=FULL) or PostgreSQL, chosen by
`INDICATORS_DATABASE_URL`. A commit is one transaction — version row, all its rows and the pointer move —
so a crash or an error leaves the previous version current and intact. Nothing in `versions` or
`version_rows` is ever updated or deleted; rollback makes a new version with old content.

    store = Store.from_env()
    base = store.current_version()
    info = store.commit(frame, user="lan", comment="year-end 2024", filename="kim_son.csv",
                        sha256=digest, expected_current=base.version if base else None)
    store.load(info.version)          # the frame, equal to what was committed
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from sqlalchemy import (
    Connection,
    Integer,
    create_engine,
    event,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError

from indicators import paths
from indicators.frame import conform
from indicators.i18n import t
from indicators.store import migrations, profiles
from indicators.store import rows as bulk
from indicators.store.diff import Preview, preview
from indicators.store.tables import current, login_failures, metadata, users, version_rows, versions

Mode = Literal["replace", "update"]
SYSTEM_USER = "system"
_SCHEMA_LOCK_KEY = 7_311_002  # pg_advisory_xact_lock key serialising schema creation and upgrades
SCHEMES = ("sqlite", "postgresql")
_log = logging.getLogger(__name__)
__all__ = ["ConcurrentCommitError", "Store", "StoreError", "StoreFull", "StoreTooNew", "StoreTooOld",
           "StoreUnavailable", "StoreUnrecognised", "VersionInfo",
           "VersionNotFound", "as_store_error", "current", "engine_url", "login_failures", "metadata", "users",
           "version_rows", "versions"]


class StoreError(Exception):
    """A problem the store reports to its caller in one line (`message(lang)` in the user's language)."""

    def message(self, lang: str = "vi") -> str:
        return str(self)


class _Translated(StoreError):
    """A store error whose message is interface text (i18n key `KEY`); `detail` is the driver's line."""

    KEY = ""

    def __init__(self, detail: str = "", **values: Any) -> None:
        self.detail, self.values = detail, values
        super().__init__(t(self.KEY, "en", **values))

    def message(self, lang: str = "vi") -> str:
        return t(self.KEY, lang, **self.values)


class StoreFull(_Translated):
    """The disk (or the database's quota) is full; the transaction was rolled back, nothing written."""

    KEY = "store_full"


class StoreUnavailable(_Translated):
    """The database cannot be reached or opened (server stopped, file unreadable, locked too long)."""

    KEY = "store_unavailable"


class StoreTooNew(_Translated):
    """The store's schema is at a revision this program does not know (a newer release upgraded it):
    it refuses to read or write it. `store` and `head` name the two revisions."""

    KEY = "store_too_new"


class StoreTooOld(_Translated):
    """The store's schema is older than this program's (`indicators db upgrade` upgrades it)."""

    KEY = "store_too_old"


class StoreUnrecognised(_Translated):
    """The database holds some of the store's tables, but not as any revision of this program made them."""

    KEY = "store_unrecognised"


def _refuse(found: migrations.SchemaState) -> None:
    """Raise the error for a store this program cannot use as it is (None when it can)."""
    if found.kind == "newer":
        raise StoreTooNew(store=found.label, head=found.head)
    if found.kind in ("older", "unstamped"):
        raise StoreTooOld(store=found.label, head=found.head)
    if found.kind == "foreign":
        raise StoreUnrecognised()


class UnsupportedDatabaseUrl(_Translated):
    """INDICATORS_DATABASE_URL / --database-url is not a sqlite:/// or postgresql:// URL."""

    KEY = "store_bad_url"


_SQLITE_FULL = 13
_FULL_SQLSTATES = {"53100", "53200"}  # disk_full, out_of_memory
_FULL_WORDS = ("database or disk is full", "no space left on device", "disk quota exceeded")
_UNREACHABLE_NAMES = {"OperationalError", "InterfaceError", "DatabaseError", "TimeoutError"}  # TimeoutError: pool


def as_store_error(exc: BaseException) -> StoreError | None:
    """The one place low-level database errors are read: SQLAlchemy's, sqlite3's or psycopg's error
    becomes StoreFull or StoreUnavailable; None when `exc` is not a database failure (a bug, bad data)."""
    if isinstance(exc, StoreError):
        return exc
    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy's DBAPIError wraps the driver's exception
    words = str(orig).lower()
    detail = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    if (getattr(orig, "sqlite_errorcode", None) == _SQLITE_FULL or getattr(orig, "sqlstate", None) in _FULL_SQLSTATES
            or any(w in words for w in _FULL_WORDS)):
        return StoreFull(detail)
    sqlstate = str(getattr(orig, "sqlstate", None) or "")
    if sqlstate.startswith(("08", "57P")):  # connection exceptions, admin/crash shutdown
        return StoreUnavailable(detail)
    names = {c.__name__ for c in type(orig).__mro__} | {c.__name__ for c in type(exc).__mro__}
    is_driver = type(orig).__module__.split(".")[0] in ("sqlite3", "psycopg", "sqlalchemy")
    if is_driver and names & _UNREACHABLE_NAMES and not names & {"IntegrityError", "ProgrammingError",
                                                                  "DataError", "NotSupportedError"}:
        return StoreUnavailable(detail)
    return None


@contextmanager
def _mapped_errors() -> Iterator[None]:
    try:
        yield
    except StoreError:
        raise
    except Exception as exc:
        mapped = as_store_error(exc)
        if mapped is None:
            raise
        raise mapped from exc


class ConcurrentCommitError(StoreError):
    """Someone else committed since the preview: the pointer no longer points at the expected version."""

    def __init__(self, expected: int | None, actual: int | None) -> None:
        super().__init__(
            f"the current version is now {actual}, not {expected} as previewed: "
            "someone else committed meanwhile; preview again and retry"
        )
        self.expected, self.actual = expected, actual


class VersionNotFound(StoreError, LookupError):
    """No such version (or no version at all yet)."""


@dataclass(frozen=True)
class VersionInfo:
    """One version as history shows it. `parent` was current when it was made."""

    version: int
    created_at: datetime  # aware, UTC
    user: str
    comment: str
    filename: str
    sha256: str
    mode: str
    rows: int
    new: int
    changed: int
    unchanged: int
    removed: int
    parent: int | None = None
    restored_from: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: {"version", "created_at" (ISO 8601 UTC), "user", "comment", "rows", "sha256", …}."""
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat()
        return out


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _parse_url(url: str) -> Any:
    """The SQLAlchemy URL of a sqlite:/// or postgresql:// URL; anything else is UnsupportedDatabaseUrl
    (naming only the scheme: a URL may hold a password)."""
    from sqlalchemy.exc import ArgumentError

    scheme = url.split(":", 1)[0] if ":" in url else url[:20]
    try:
        parsed = make_url(engine_url(url))
    except ArgumentError:
        raise UnsupportedDatabaseUrl(scheme=scheme) from None
    if parsed.get_backend_name() not in SCHEMES or parsed.get_driver_name() not in ("pysqlite", "psycopg"):
        raise UnsupportedDatabaseUrl(scheme=scheme)
    return parsed


def engine_url(url: str) -> str:
    """Map `postgresql://` (and `postgres://`) to the psycopg 3 driver; leave others as they are."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Store:
    """The versioned dataset store and the accounts table, behind one database URL."""

    def __init__(self, url: str) -> None:
        parsed = _parse_url(url)
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite" and parsed.database not in (None, "", ":memory:"):
            paths.private_sqlite_file(Path(parsed.database))  # owner-only: it holds the password hashes
        # pre-ping: a connection the server dropped (restart, failover) is replaced, never handed out
        self.engine: Engine = create_engine(parsed, pool_pre_ping=self.dialect == "postgresql")
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
        self._schema_ready = False
        self._checkpointer: threading.Thread | None = None
        self._checkpoint_lock = threading.Lock()

    @classmethod
    def from_env(cls) -> Store:
        """$INDICATORS_DATABASE_URL, else the SQLite file `<paths.var_dir()>/indicators.sqlite`."""
        url = os.environ.get("INDICATORS_DATABASE_URL")
        if not url:
            url = f"sqlite:///{paths.var_dir() / 'indicators.sqlite'}"
        return cls(url)

    def close(self) -> None:
        self.flush()
        self.engine.dispose()

    def flush(self) -> None:
        """Wait for background maintenance (SQLite's WAL checkpoint after a commit) to finish."""
        with self._checkpoint_lock:  # never a thread another writer created but has not started yet
            thread = self._checkpointer
        if thread is not None:
            thread.join()

    def _checkpoint_soon(self) -> None:
        """Copy the WAL into the database file in a background thread (SQLite only).

        A commit is durable once its WAL frames are fsynced (synchronous=FULL); copying a large
        commit's pages into the main file takes as long again, so it happens after commit() returns.
        PASSIVE never waits for readers or writers; whatever it cannot copy now, the next one will.
        """
        if self.dialect != "sqlite":
            return

        def checkpoint() -> None:
            try:
                raw = self.engine.raw_connection()
                try:
                    raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    raw.close()
            except Exception as exc:  # the commit is durable in the WAL; the next checkpoint copies it
                if as_store_error(exc) is None:
                    raise
                _log.info("WAL checkpoint deferred: %s", str(exc).splitlines()[0] if str(exc) else exc)

        with self._checkpoint_lock:  # one checkpoint at a time; writers in several threads take turns
            if self._checkpointer is not None:
                self._checkpointer.join()
            thread = threading.Thread(target=checkpoint, name="sqlite-checkpoint", daemon=True)
            thread.start()
            self._checkpointer = thread

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ----------------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot (SQLite WAL readers never wait for a writer)."""
        self.ensure_schema()
        with _mapped_errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _write(self, *, lock_pointer: bool = True) -> Iterator[Connection]:
        """A transaction holding the writer's lock: SQLite BEGIN IMMEDIATE; PostgreSQL locks the
        pointer row. Commits serialise here, so version ids and row ids are assigned without gaps."""
        if lock_pointer:
            self.ensure_schema()
        with _mapped_errors(), self.engine.connect() as conn:
            conn.execution_options(sqlite_immediate=True)
            with conn.begin():
                if lock_pointer and self.dialect == "postgresql":
                    conn.execute(select(current.c.version_id).where(current.c.id == 1).with_for_update())
                yield conn
        self._checkpoint_soon()

    @contextmanager
    def serialised(self, lock_key: int, *, check_schema: bool = True) -> Iterator[Connection]:
        """A write transaction that serialises with every other holder of `lock_key`, across processes
        (SQLite: BEGIN IMMEDIATE is already exclusive; PostgreSQL: a transaction advisory lock). Used for
        schema changes, account creation and sign-in attempts; the schema is checked first unless
        `check_schema` is False (the schema's own creation)."""
        if check_schema:
            self.ensure_schema()
        with self._write(lock_pointer=False) as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key})
            yield conn

    def _schema_write(self) -> AbstractContextManager[Connection]:
        return self.serialised(_SCHEMA_LOCK_KEY, check_schema=False)

    def ensure_schema(self) -> None:
        """Check the store's schema revision against this program's; on an empty database, create the
        schema at head (every revision from the baseline, in one transaction; safe from two processes).

        Raises StoreTooOld for a store at an older revision (or made by the release before migrations:
        `indicators db upgrade` brings it up; nothing is changed here), StoreTooNew for a revision this
        program does not know, StoreUnrecognised for a database with only some of the store's tables.
        Checked once per Store; the first read or write calls it.
        """
        if self._schema_ready:
            return
        with _mapped_errors(), self.engine.connect() as conn, conn.begin():
            found = migrations.state(conn)
        if found.kind != "current":
            # Read again under the schema lock: another process may be creating the schema right now, and a
            # read outside the lock can see its tables before its revision (PostgreSQL takes a snapshot per
            # statement), which would look like an unstamped store. Under the lock the creator has finished.
            with self._schema_write() as conn:
                found = migrations.state(conn)
                if found.kind == "empty":
                    found = migrations.upgrade(conn)[1]
        _refuse(found)
        self._schema_ready = True

    def schema_state(self) -> migrations.SchemaState:
        """Where the store's schema stands against this program's (reads only; creates nothing)."""
        with _mapped_errors(), self.engine.connect() as conn, conn.begin():
            return migrations.state(conn)

    def upgrade_schema(self) -> tuple[migrations.SchemaState, migrations.SchemaState]:
        """Bring the store to this program's schema in one transaction: (state before, state after).

        An empty database is created at head; a store of the release before migrations is stamped
        with the baseline, then upgraded. StoreTooNew or StoreUnrecognised if it cannot be (nothing
        changed). Upgrading a current store changes nothing.
        """
        with self._schema_write() as conn:
            before = migrations.state(conn)
            if before.kind in ("newer", "foreign"):
                _refuse(before)
            before, after = migrations.upgrade(conn)
        self._schema_ready = True
        return before, after

    # --- reading ---------------------------------------------------------------------------------
    def current_version(self) -> VersionInfo | None:
        """The version the pointer designates, or None while the store is empty."""
        with self._read() as conn:
            return self._current(conn)

    def history(self) -> list[VersionInfo]:
        """Every version, newest first."""
        with self._read() as conn:
            rows = conn.execute(select(versions).order_by(versions.c.id.desc())).mappings()
            return [_info(row) for row in rows]

    def version(self, version_id: int) -> VersionInfo:
        with self._read() as conn:
            return self._version(conn, version_id)

    def load(self, version_id: int | None = None) -> pd.DataFrame:
        """The dataset frame of a version (the current one when None), rows in their original order."""
        with self._read() as conn:
            info = self._current(conn) if version_id is None else self._version(conn, version_id)
            if info is None:
                raise VersionNotFound("the store has no version yet")
            return self._load_rows(conn, info.version)

    def _current(self, conn: Connection) -> VersionInfo | None:
        pointer = conn.execute(select(current.c.version_id).where(current.c.id == 1)).scalar()
        return None if pointer is None else self._version(conn, pointer)

    def _version(self, conn: Connection, version_id: int) -> VersionInfo:
        row = conn.execute(select(versions).where(versions.c.id == version_id)).mappings().first()
        if row is None:
            raise VersionNotFound(f"there is no version {version_id}")
        return _info(row)

    def _row_range(self, conn: Connection, version_id: int) -> tuple[int, int]:
        """(first id, count): the rows of a version are version_rows ids [first, first + count)."""
        first, count = conn.execute(
            select(versions.c.first_row_id, versions.c.rows).where(versions.c.id == version_id)
        ).one()
        return first, count

    def _load_rows(self, conn: Connection, version_id: int) -> pd.DataFrame:
        reader = bulk.read_postgres if self.dialect == "postgresql" else bulk.read_sqlite
        return reader(conn.connection.driver_connection, *self._row_range(conn, version_id))

    # --- mapping profiles and aliases (issue 9; store/profiles.py) -------------------------------
    def save_profile(self, name: str, body: dict[str, Any], *, user: str) -> int:
        """Save a wide-table mapping profile as a new revision of `name` (old ones are kept): the revision.
        InvalidProfile (a ValueError) for a bad name (empty, > 120 characters, control characters) or a
        body that is not a JSON object of at most 256 KB."""
        return profiles.save_profile(self, name, body, user=user)

    def profiles(self) -> list[dict[str, Any]]:
        """The latest revision of each profile, by name: its body plus "revision", "user", "saved_at"."""
        return profiles.profiles(self)

    def profile(self, name: str) -> dict[str, Any] | None:
        """The latest revision of profile `name`, or None."""
        return profiles.profile(self, name)

    def save_aliases(self, aliases: dict[str, str], *, user: str) -> int:
        """Record {label as written: indicator_id} aliases; the number of rows written (unchanged ones
        are skipped)."""
        return profiles.save_aliases(self, aliases, user=user)

    def aliases(self) -> dict[str, str]:
        """{fold(label): indicator_id}, the latest save of each folded label winning."""
        return profiles.aliases(self)

    # --- writing ---------------------------------------------------------------------------------
    def commit(
        self,
        frame: pd.DataFrame,
        *,
        user: str,
        comment: str,
        filename: str,
        sha256: str,
        mode: Mode = "replace",
        expected_current: int | None | Literal["latest"] = "latest",
        dry_run: Preview | None = None,
        within: Callable[[Connection, VersionInfo], None] | None = None,
    ) -> VersionInfo:
        """Make `frame` a new version and point "current" at it, in one transaction.

        mode "replace": the frame is the whole dataset; "update": upsert it by key onto the current
        rows. `expected_current` is the version the caller previewed against (None: an empty store);
        if another commit moved the pointer meanwhile, ConcurrentCommitError is raised and nothing is
        written. Pass the `dry_run` computed against that version to skip recomputing it. `within(conn,
        info)` is more work of the same transaction (an approval marks its submission): if it raises,
        nothing is written.
        """
        if mode not in ("replace", "update"):
            raise ValueError(f"mode must be 'replace' or 'update', not {mode!r}")
        if dry_run is not None and expected_current == "latest":
            raise ValueError("a dry_run is only valid with the expected_current it was computed against")
        return self._commit(frame, user=user, comment=comment, filename=filename, sha256=sha256,
                            mode=mode, expected_current=expected_current, dry_run=dry_run, within=within)

    def seed_if_empty(self, frame: pd.DataFrame, *, source_name: str, sha256: str) -> VersionInfo | None:
        """Make `frame` version 1 if the store has no version; None (and nothing written) otherwise."""
        try:
            return self._commit(frame, user=SYSTEM_USER, comment=f"seeded from {source_name}",
                                filename=source_name, sha256=sha256, mode="seed", expected_current=None)
        except ConcurrentCommitError:
            return None

    def rollback(self, version_id: int, *, user: str, comment: str | None = None,
                 expected_current: int | None | Literal["latest"] = "latest") -> VersionInfo:
        """A new version whose rows are a copy of `version_id`'s; the old versions stay as they were.
        With `expected_current` (the version the user saw as current), ConcurrentCommitError if it moved."""
        with self._write() as conn:
            target = self._version(conn, version_id)
            base = self._current(conn)
            if expected_current != "latest" and expected_current != (base.version if base else None):
                raise ConcurrentCommitError(expected_current, base.version if base else None)
            old = self._load_rows(conn, version_id)
            counts = preview(self._load_rows(conn, base.version) if base else None, old, "replace")
            new_id, first = self._next_ids(conn)
            info = self._insert_version(
                conn, new_id, first, user=user, comment=comment or f"rollback to version {version_id}",
                filename=target.filename, sha256=target.sha256, mode="rollback",
                parent=base.version if base else None, restored_from=version_id, counts=counts,
            )
            old_first, count = self._row_range(conn, version_id)
            key = version_rows.c.id
            copied = [c for c in version_rows.columns if c.key not in (key.key, version_rows.c.version_id.key)]
            source = select(  # copied inside the database, in order, under new ids
                (key + (first - old_first)).label(key.key), literal(new_id, Integer), *copied,
            ).where(key.between(old_first, old_first + count - 1))
            conn.execute(insert(version_rows).from_select([key, version_rows.c.version_id, *copied], source))
            self._move_pointer(conn, new_id)
            return info

    def _commit(self, frame: pd.DataFrame, *, user: str, comment: str, filename: str, sha256: str,
                mode: str, expected_current: int | None | str, dry_run: Preview | None = None,
                within: Callable[[Connection, VersionInfo], None] | None = None) -> VersionInfo:
        frame = conform(frame)
        with self._write() as conn:
            base = self._current(conn)
            base_id = base.version if base else None
            if expected_current != "latest" and expected_current != base_id:
                raise ConcurrentCommitError(expected_current, base_id)  # type: ignore[arg-type]
            if dry_run is None:
                current_frame = self._load_rows(conn, base_id) if base_id is not None else None
                dry_run = preview(current_frame, frame, "update" if mode == "update" else "replace")
            new_id, first = self._next_ids(conn)
            info = self._insert_version(conn, new_id, first, user=user, comment=comment, filename=filename,
                                        sha256=sha256, mode=mode, parent=base_id, counts=dry_run)
            writer = bulk.write_postgres if self.dialect == "postgresql" else bulk.write_sqlite
            try:
                writer(conn.connection.driver_connection, dry_run.result, version_id=new_id, first_id=first)
            except Exception as exc:
                if not _is_integrity_error(exc):
                    raise
                raise ValueError(f"the dataset breaks a store constraint: {str(exc).splitlines()[0]}") from exc
            if within is not None:
                within(conn, info)
            self._move_pointer(conn, new_id)
            return info

    def _next_ids(self, conn: Connection) -> tuple[int, int]:
        last_version = conn.execute(select(func.max(versions.c.id))).scalar() or 0
        last_row = conn.execute(select(func.max(version_rows.c.id))).scalar() or 0
        return last_version + 1, last_row + 1

    def _insert_version(self, conn: Connection, new_id: int, first_row: int, *, user: str, comment: str,
                        filename: str, sha256: str, mode: str, parent: int | None, counts: Preview,
                        restored_from: int | None = None) -> VersionInfo:
        values = dict(
            id=new_id, created_at=_utcnow(), user=user, comment=comment, filename=filename, sha256=sha256,
            mode=mode, parent_id=parent, restored_from=restored_from, rows=len(counts.result),
            first_row_id=first_row, n_new=counts.new, n_changed=counts.changed,
            n_unchanged=counts.unchanged, n_removed=counts.removed,
        )
        conn.execute(insert(versions).values(**values))
        return _info(values)

    def _move_pointer(self, conn: Connection, version_id: int) -> None:
        conn.execute(update(current).where(current.c.id == 1).values(version_id=version_id))


def _info(row: Any) -> VersionInfo:
    return VersionInfo(
        version=row["id"], created_at=row["created_at"].replace(tzinfo=UTC), user=row["user"],
        comment=row["comment"], filename=row["filename"], sha256=row["sha256"], mode=row["mode"],
        rows=row["rows"], new=row["n_new"], changed=row["n_changed"], unchanged=row["n_unchanged"],
        removed=row["n_removed"], parent=row["parent_id"], restored_from=row["restored_from"],
    )


def _is_integrity_error(exc: Exception) -> bool:
    names = {"IntegrityError", "NotNullViolation", "CheckViolation", "ForeignKeyViolation"}
    return isinstance(exc, IntegrityError) or type(exc).__name__ in names


def _journal_mode_wal(dbapi_conn: Any, wait: float = 60.0) -> None:
    """Put the database in WAL mode. Switching a file that is still in rollback-journal mode (a store
    restored from a copy, the release before) needs an exclusive lock, and SQLite answers "database is
    locked" at once instead of waiting for it, so two processes opening such a file together would fail:
    wait for the lock here, as busy_timeout does for everything else."""
    import sqlite3

    deadline = time.monotonic() + wait
    while True:
        try:
            dbapi_conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _configure_sqlite(engine: Engine) -> None:
    """WAL, synchronous=FULL, foreign keys, a busy timeout; checkpoints by the store (after each
    commit, in the background) and on closing, the WAL cut back to 64 MB afterwards; and transactions
    we begin ourselves, so a writer takes the lock up front (BEGIN IMMEDIATE) instead of failing to
    upgrade a read lock."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA busy_timeout = 60000")
        _journal_mode_wal(dbapi_conn)
        for pragma in ("synchronous = FULL", "foreign_keys = ON", "wal_autocheckpoint = 0",
                       f"journal_size_limit = {64 * 2**20}"):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

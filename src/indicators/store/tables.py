"""The store's tables (SQLAlchemy Core): versions, their rows, the current pointer, accounts.

- `versions`: one row per version — who, when, comment, file name, sha256, mode, counts; rows of
  version v are `version_rows` ids [first_row_id, first_row_id + rows), in file order.
- `version_rows`: the dataset frame's columns, plus id and version_id. Never updated or deleted. Contract
  v2's columns (`V2_COLUMNS`, migration 0004) default to '' in the rows stored before them.
- `current_version`: exactly one row; its version_id is "current".
- `users`: accounts (argon2 hashes; see auth.py). `login_attempts`: every sign-in attempt by canonical
  name and client, with its outcome, for the rate limits (see throttle.py). `login_failures` is the first
  release's per-name failure log: no longer written, kept (its rows too) in stores made by it.
- `mapping_profiles`: saved wide-table mappings (issue 9), one row per revision of a name; a save is a
  new revision, nothing is updated or deleted. `indicator_aliases`: report-row labels analysts matched
  to an indicator id; the latest row of a folded alias wins (see store/profiles.py).
- `user_areas`: the areas an account is limited to (issue 10; none = every area), and `users.needs_approval`:
  its commits become `submissions` (status pending → approved | returned) whose rows wait in
  `submission_rows` (the dataset frame's columns, `data_columns()`, as in version_rows) until a reviewer
  approves them into a version (`submissions.version_id`) or returns them (see store/submissions.py).

This is the one place table and column names are written: the row codec (rows.py) and every query use
these objects. It is the newest schema: changing it means adding a revision (store/migrations/, which says
how); tests/test_migrations.py fails until the revisions give exactly these tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from indicators.contract import V2_COLUMNS  # migration 0004: rows stored before it read '' there
from indicators.frame import FLOAT_COLUMNS, TEXT_COLUMNS

MODES = ("seed", "replace", "update", "rollback")

_RowId = BigInteger().with_variant(Integer(), "sqlite")  # INTEGER PRIMARY KEY = SQLite's rowid

metadata = MetaData()
versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("created_at", DateTime, nullable=False),  # naive UTC
    Column("user", String(128), nullable=False),
    Column("comment", Text, nullable=False),
    Column("filename", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("mode", String(16), CheckConstraint(f"mode IN {MODES}"), nullable=False),
    Column("parent_id", Integer, ForeignKey("versions.id")),
    Column("restored_from", Integer, ForeignKey("versions.id")),
    Column("rows", Integer, nullable=False),
    Column("first_row_id", BigInteger, nullable=False),
    Column("n_new", Integer, nullable=False),
    Column("n_changed", Integer, nullable=False),
    Column("n_unchanged", Integer, nullable=False),
    Column("n_removed", Integer, nullable=False),
)


def data_columns() -> list[Column[Any]]:
    """The dataset frame's columns as a table of rows stores them (version_rows, submission_rows): one
    definition, new Column objects on each call (a Column belongs to one table)."""
    return [
        Column("row", BigInteger, nullable=False),
        *(Column(name, Text, nullable=False, server_default="" if name in V2_COLUMNS else None)
          for name in TEXT_COLUMNS if name != "qualifier"),
        *(Column(name, Double) for name in FLOAT_COLUMNS),
        Column("qualifier", Text, nullable=False),
        Column("period_end", Date),
    ]


version_rows = Table(
    "version_rows", metadata,
    Column("id", _RowId, primary_key=True, autoincrement=False),
    # No foreign key here on purpose: rows are written only in the transaction that inserts their
    # version, and PostgreSQL's per-row foreign-key trigger would cost ~40% of a million-row COPY.
    Column("version_id", Integer, nullable=False),
    *data_columns(),
)
current = Table(
    "current_version", metadata,
    Column("id", Integer, CheckConstraint("id = 1"), primary_key=True, autoincrement=False),
    Column("version_id", Integer, ForeignKey("versions.id")),
)
users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), CheckConstraint("role IN ('analyst', 'admin')"), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("last_login_at", DateTime),
    Column("needs_approval", Boolean, nullable=False, server_default=false()),  # issue 10: commits are submitted
)
login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_login_failures_name_at", "name", "at"),
)
login_attempts = Table(
    "login_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),  # naive UTC
    Column("name_key", String(64), nullable=False),  # canonical name (credentials.canonical_name)
    Column("client", String(64), nullable=False),  # the client's address ('' in a name-only unlock)
    Column("outcome", String(8), CheckConstraint("outcome IN ('pending', 'failed', 'ok', 'unlock')"),
           nullable=False),
    Index("ix_login_attempts_name_at", "name_key", "at"),
    Index("ix_login_attempts_client_at", "client", "at"),
    Index("ix_login_attempts_at", "at"),
)
mapping_profiles = Table(
    "mapping_profiles", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("signature", String(128), nullable=False),  # the layout's fingerprint ('' when the body has none)
    Column("body", Text, nullable=False),  # a JSON object (≤ 256 KB)
    Column("user", String(128), nullable=False),
    Column("saved_at", DateTime, nullable=False),  # naive UTC
    UniqueConstraint("name", "revision", name="uq_mapping_profiles_name_revision"),
    Index("ix_mapping_profiles_signature", "signature"),
)
indicator_aliases = Table(
    "indicator_aliases", metadata,
    Column("id", Integer, primary_key=True),  # the order of saves: the latest row of an alias_key wins
    Column("alias", Text, nullable=False),  # as written in the report
    Column("alias_key", Text, nullable=False),  # contract.fold(alias)
    Column("indicator_id", String(128), nullable=False),
    Column("user", String(128), nullable=False),
    Column("saved_at", DateTime, nullable=False),  # naive UTC
    Index("ix_indicator_aliases_key", "alias_key", "id"),
)

# --- issue 10: scoped accounts and submissions (store/accounts.py, store/submissions.py) -----------------
STATUSES = ("pending", "approved", "returned")
user_areas = Table(  # an account's scope: one row per area (none = every area); names as in the data
    "user_areas", metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("area", Text, primary_key=True),
)
submissions = Table(  # rows an account that needs approval sent, waiting for (or past) a reviewer
    "submissions", metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime, nullable=False),  # naive UTC
    Column("user", String(128), nullable=False),
    Column("comment", Text, nullable=False),
    Column("filename", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("base_version", Integer, ForeignKey("versions.id")),  # current when it was submitted
    Column("status", String(16), CheckConstraint(f"status IN {STATUSES}"), nullable=False),
    Column("reviewer", String(128)),
    Column("reviewed_at", DateTime),
    Column("review_comment", Text, nullable=False),
    Column("version_id", Integer, ForeignKey("versions.id"), unique=True),  # the version its approval made
    Column("rows", Integer, nullable=False),
    Index("ix_submissions_status", "status", "id"),
)
submission_rows = Table(  # a submission's rows, the dataset frame's columns as version_rows has them
    "submission_rows", metadata,
    Column("id", _RowId, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    *data_columns(),
    Index("ix_submission_rows_submission", "submission_id", "id"),
)

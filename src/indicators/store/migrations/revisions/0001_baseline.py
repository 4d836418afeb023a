"""Baseline: the schema of the release before migrations (commit 8f16494).

Revision ID: 0001_baseline
Revises: (none)

versions, version_rows, current_version (with its one row), users, login_failures. A store that
release made has exactly these tables and no alembic_version: `indicators db upgrade` stamps it with
this revision, then upgrades it. On an empty database this revision creates them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # INTEGER PRIMARY KEY = SQLite's rowid
_TEXT = ("indicator_id", "indicator", "indicator_en", "group", "unit", "area", "period", "kind",
         "direction", "method", "source", "note")


def upgrade() -> None:
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(16), sa.CheckConstraint("mode IN ('seed', 'replace', 'update', 'rollback')"),
                  nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("versions.id")),
        sa.Column("restored_from", sa.Integer, sa.ForeignKey("versions.id")),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("first_row_id", sa.BigInteger, nullable=False),
        sa.Column("n_new", sa.Integer, nullable=False),
        sa.Column("n_changed", sa.Integer, nullable=False),
        sa.Column("n_unchanged", sa.Integer, nullable=False),
        sa.Column("n_removed", sa.Integer, nullable=False),
    )
    op.create_table(
        "version_rows",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=False),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("row", sa.BigInteger, nullable=False),
        *(sa.Column(name, sa.Text, nullable=False) for name in _TEXT),
        sa.Column("value", sa.Double),
        sa.Column("of_total", sa.Double),
        sa.Column("qualifier", sa.Text, nullable=False),
        sa.Column("period_end", sa.Date),
    )
    pointer = op.create_table(
        "current_version",
        sa.Column("id", sa.Integer, sa.CheckConstraint("id = 1"), primary_key=True, autoincrement=False),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id")),
    )
    op.bulk_insert(pointer, [{"id": 1, "version_id": None}])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), sa.CheckConstraint("role IN ('analyst', 'admin')"), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("last_login_at", sa.DateTime),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_login_failures_name_at", "login_failures", ["name", "at"])


def downgrade() -> None:
    raise NotImplementedError("the baseline is never undone: that would drop every version")

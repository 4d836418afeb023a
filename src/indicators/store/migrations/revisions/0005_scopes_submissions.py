"""Scoped accounts and submissions awaiting approval (issue 10).

`user_areas` holds an account's scope, one row per area (a table, not a text column: an area's name may
hold any character, and "who may write Xã Kim Hải" is one indexed query); `users.needs_approval` makes an
account's commits submissions; `submissions` and `submission_rows` (the dataset frame's columns, as
version_rows has them at this revision) keep them until a reviewer approves or returns them.

Revision ID: 0005_scopes_submissions
Revises: 0004_contract_v2
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_scopes_submissions"
down_revision = "0004_contract_v2"
branch_labels = None
depends_on = None

#: version_rows' text columns at this revision, in the frame's order (qualifier comes after the numbers)
TEXTS = ("indicator_id", "indicator", "indicator_en", "group", "unit", "area", "area_code", "parent_area",
         "breakdown", "period", "kind", "term", "direction", "method", "rollup", "series_break", "source", "note")
V2 = ("area_code", "parent_area", "breakdown", "term", "rollup", "series_break")  # '' by default, as in 0004


def upgrade() -> None:
    op.add_column("users", sa.Column("needs_approval", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "user_areas",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("area", sa.Text, primary_key=True),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("base_version", sa.Integer, sa.ForeignKey("versions.id")),
        sa.Column("status", sa.String(16), sa.CheckConstraint("status IN ('pending', 'approved', 'returned')"),
                  nullable=False),
        sa.Column("reviewer", sa.String(128)),
        sa.Column("reviewed_at", sa.DateTime),
        sa.Column("review_comment", sa.Text, nullable=False),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), unique=True),
        sa.Column("rows", sa.Integer, nullable=False),
    )
    op.create_index("ix_submissions_status", "submissions", ["status", "id"])
    op.create_table(
        "submission_rows",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("row", sa.BigInteger, nullable=False),
        *(sa.Column(name, sa.Text, nullable=False, server_default="" if name in V2 else None) for name in TEXTS),
        sa.Column("value", sa.Double),
        sa.Column("of_total", sa.Double),
        sa.Column("qualifier", sa.Text, nullable=False),
        sa.Column("period_end", sa.Date),
    )
    op.create_index("ix_submission_rows_submission", "submission_rows", ["submission_id", "id"])


def downgrade() -> None:
    op.drop_table("submission_rows")
    op.drop_table("submissions")
    op.drop_table("user_areas")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("needs_approval")

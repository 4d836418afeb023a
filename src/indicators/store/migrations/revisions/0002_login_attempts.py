"""login_attempts: every sign-in attempt by canonical name and client, for the rate limits (issue 7).

Revision ID: 0002_login_attempts
Revises: 0001_baseline

Stores made by the development code between issue 7 and migrations already have the table (it was
made by create_all then): it is created only where it is missing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_login_attempts"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("login_attempts"):
        return
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(8), sa.CheckConstraint("outcome IN ('pending', 'failed', 'ok', 'unlock')"),
                  nullable=False),
    )
    op.create_index("ix_login_attempts_name_at", "login_attempts", ["name_key", "at"])
    op.create_index("ix_login_attempts_client_at", "login_attempts", ["client", "at"])
    op.create_index("ix_login_attempts_at", "login_attempts", ["at"])


def downgrade() -> None:
    op.drop_table("login_attempts")

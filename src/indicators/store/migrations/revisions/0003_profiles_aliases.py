"""mapping_profiles and indicator_aliases: saved wide-table mappings and row-label aliases (issue 9).

Revision ID: 0003_profiles_aliases
Revises: 0002_login_attempts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_profiles_aliases"
down_revision = "0002_login_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mapping_profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("name", "revision", name="uq_mapping_profiles_name_revision"),
    )
    op.create_index("ix_mapping_profiles_signature", "mapping_profiles", ["signature"])
    op.create_table(
        "indicator_aliases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("alias", sa.Text, nullable=False),
        sa.Column("alias_key", sa.Text, nullable=False),
        sa.Column("indicator_id", sa.String(128), nullable=False),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("saved_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_indicator_aliases_key", "indicator_aliases", ["alias_key", "id"])


def downgrade() -> None:
    op.drop_table("indicator_aliases")
    op.drop_table("mapping_profiles")

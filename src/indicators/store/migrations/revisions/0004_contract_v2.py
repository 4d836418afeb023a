"""Contract v2 (issue 10): the rows' area code, parent area, breakdown, term, roll-up and series break.

Revision ID: 0004_contract_v2
Revises: 0003_profiles_aliases

Every row stored before reads '' in the new columns: a v1 row is a v2 row without them (no breakdown: the
total; no term: the term is derived from its period; no roll-up declared; no series break).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_contract_v2"
down_revision = "0003_profiles_aliases"
branch_labels = None
depends_on = None

COLUMNS = ("area_code", "parent_area", "breakdown", "term", "rollup", "series_break")


def upgrade() -> None:
    for name in COLUMNS:  # SQLite adds a column in place (a NOT NULL column needs its default)
        op.add_column("version_rows", sa.Column(name, sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("version_rows") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)

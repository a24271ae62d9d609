"""Integration keys limited to department subtrees: `api_keys.department_ids` (null: the whole
organization, as before). What a key pushes to metric observations outside them is refused
per item.

Revision ID: 0067
Revises: 0066
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0067"
down_revision: str | None = "0066"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "api_keys", sa.Column("department_ids", postgresql.ARRAY(sa.UUID()), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("api_keys", "department_ids")

"""Positions get a job family, so talent pools targeting a family rank for its vacancies.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 06:58:52.813845
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("positions", sa.Column("family", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("positions", "family")

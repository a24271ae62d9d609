"""Vacancies keep why HR cancelled them.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 07:38:11.232604
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("vacancies", sa.Column("cancel_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("vacancies", "cancel_reason")

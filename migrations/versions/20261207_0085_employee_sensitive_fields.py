"""Employees' sensitive personal fields under PIPL: the resident ID number 「身份证号」 and
the personal phone, masked in every response unless the caller may see them
(`core.masking`, docs/privacy.md). No new table: the tenant policy on `employees` covers them.

Revision ID: 0085
Revises: 0084
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0085"
down_revision: str | None = "0084"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("employees", sa.Column("id_number", sa.String(length=18), nullable=True))
    op.add_column("employees", sa.Column("personal_phone", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.drop_column("employees", "personal_phone")
    op.drop_column("employees", "id_number")

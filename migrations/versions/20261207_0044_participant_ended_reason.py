"""A participation's reason names why it ended before its last stage — a withdrawal, or an
appointment that graduated it — so `withdrawn_reason` becomes `ended_reason`.

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-07 08:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0044"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("program_participants", "withdrawn_reason", new_column_name="ended_reason")


def downgrade() -> None:
    op.alter_column("program_participants", "ended_reason", new_column_name="withdrawn_reason")

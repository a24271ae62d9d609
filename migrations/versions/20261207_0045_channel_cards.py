"""A work notice about an item is sent as a DingTalk action card: its delivery keeps the card.

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-07 09:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0045"
down_revision: str | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "channel_deliveries", sa.Column("card", postgresql.JSONB(none_as_null=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("channel_deliveries", "card")

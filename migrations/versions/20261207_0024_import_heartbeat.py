"""A running import records a heartbeat, so one whose worker died can be failed.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("imports", sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    # Imports already running start their stall clock at their last change.
    op.execute("UPDATE imports SET heartbeat_at = updated_at WHERE status = 'running'")


def downgrade() -> None:
    op.drop_column("imports", "heartbeat_at")

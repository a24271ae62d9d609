"""A DingTalk approval's start intent: when the worker first asked DingTalk to create the
instance, committed before the call, so a retry looks the instance up before creating a
second one.

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "approval_dingtalk_instances",
        sa.Column("create_requested_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("approval_dingtalk_instances", "create_requested_at")

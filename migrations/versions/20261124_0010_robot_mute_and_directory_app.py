"""channels: robot muted after DingTalk throttles it; integrations: directory app

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 00:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "notification_channels",
        sa.Column("muted_until", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "dingtalk_integrations", sa.Column("app_key", sa.String(length=128), nullable=True)
    )
    op.add_column(
        "dingtalk_integrations", sa.Column("app_secret", sa.String(length=256), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("dingtalk_integrations", "app_secret")
    op.drop_column("dingtalk_integrations", "app_key")
    op.drop_column("notification_channels", "muted_until")

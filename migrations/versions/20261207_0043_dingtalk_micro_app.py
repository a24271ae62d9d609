"""The DingTalk micro-app behind sign-in 「免登」: the corp id its auth codes belong to, its
agent id, and whether people may sign in through it. The app key and secret stay where
they are (`app_key` / `app_secret`): one enterprise-internal app serves the directory,
approvals and sign-in.

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "dingtalk_integrations"


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("corp_id", sa.String(length=64), nullable=True))
    op.add_column(TABLE, sa.Column("agent_id", sa.BigInteger(), nullable=True))
    op.add_column(
        TABLE,
        sa.Column("sign_in_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column(TABLE, "sign_in_enabled")
    op.drop_column(TABLE, "agent_id")
    op.drop_column(TABLE, "corp_id")

"""A refresh token remembers the identity provider its family signed in through (DingTalk):
a one-time password does not gate such a session.

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0047"
down_revision: str | None = "0046"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("refresh_tokens", sa.Column("method", sa.String(32), nullable=True))


def downgrade() -> None:
    op.drop_column("refresh_tokens", "method")

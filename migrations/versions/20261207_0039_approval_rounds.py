"""Approval rounds: a returned approval resubmitted by its requester starts a new round, and
each approver's part and resolved step says which round it belongs to, so the history keeps
the return. Existing rows are round 1.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07 08:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("approvals", "approval_assignments"):
        op.add_column(table, sa.Column("round", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in ("approval_assignments", "approvals"):
        op.drop_column(table, "round")

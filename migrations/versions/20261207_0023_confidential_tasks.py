"""Tasks may be confidential: a 360 rater's task is seen by the rater and HR auditors only.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "tasks",
        sa.Column("confidential", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.execute(
        "UPDATE tasks SET confidential = true FROM review_assignments a"
        " WHERE tasks.subject_type = 'review_assignment' AND tasks.subject_id = a.id"
        " AND a.relationship IN ('peer', 'subordinate')"
    )


def downgrade() -> None:
    op.drop_column("tasks", "confidential")

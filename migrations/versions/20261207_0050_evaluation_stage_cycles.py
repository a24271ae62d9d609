"""Program stages are found by their review cycle: for every result reviews publishes from a
form naming competencies, programs says whether the cycle is a supervisor evaluation (its
evidence is then of kind `program_evaluation`).

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0050"
down_revision: str | None = "0049"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_program_participant_stages_org_review_cycle",
        "program_participant_stages",
        ["org_id", "review_cycle_id"],
        postgresql_where=sa.text("review_cycle_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_program_participant_stages_org_review_cycle", table_name="program_participant_stages"
    )

"""A program stage may be a stretch assignment: the stage keeps the participant's row on the
assignment (its outcome completes the stage, found by an index) and why they could not be
put on it; the stage kind `stretch_assignment` needs a wider `kind`. The table is already
under the tenant policy.

Revision ID: 0055
Revises: 0054
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0055"
down_revision: str | None = "0054"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "program_participant_stages"


def upgrade() -> None:
    op.alter_column(TABLE, "kind", type_=sa.String(24), existing_nullable=False)
    op.add_column(TABLE, sa.Column("stretch_assignee_id", postgresql.UUID(as_uuid=True)))
    op.add_column(TABLE, sa.Column("stretch_problem", sa.Text()))
    op.create_foreign_key(
        op.f("fk_program_participant_stages_stretch_assignee_id_stretch_assignees"),
        TABLE,
        "stretch_assignees",
        ["stretch_assignee_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index(
        "ix_program_participant_stages_org_stretch_assignee",
        TABLE,
        ["org_id", "stretch_assignee_id"],
        postgresql_where=sa.text("stretch_assignee_id IS NOT NULL"),
    )


def downgrade() -> None:
    # The narrower kind cannot hold these stages: they go with the kind.
    op.execute("DELETE FROM program_participant_stages WHERE kind = 'stretch_assignment'")
    op.drop_index("ix_program_participant_stages_org_stretch_assignee", table_name=TABLE)
    op.drop_constraint(
        op.f("fk_program_participant_stages_stretch_assignee_id_stretch_assignees"),
        TABLE,
        type_="foreignkey",
    )
    op.drop_column(TABLE, "stretch_problem")
    op.drop_column(TABLE, "stretch_assignee_id")
    op.alter_column(TABLE, "kind", type_=sa.String(16), existing_nullable=False)

"""A task keeps what its submission needs and the path parameters of the operation that
completes it: clients read them on the task instead of learning them from a 422.

Program stage tasks created before get their stage's rule (the rule programs checked
until now) and decision tasks their run and participant, so every open task shows how it
completes. Other tasks keep NULL: their kind's declared rule applies.

Row-level security covers the new columns with the table's existing policy.

Revision ID: 0031
Revises: 0029
Create Date: 2026-12-07 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0031"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("submission_rule", postgresql.JSONB(), nullable=True))
    op.add_column("tasks", sa.Column("completion_params", postgresql.JSONB(), nullable=True))
    op.execute(
        "UPDATE tasks t SET submission_rule = jsonb_build_object("
        " 'required', true,"
        " 'min_text_length', greatest(coalesce((s.config #>> '{submission,min_text_length}')::int,"
        "  1), CASE WHEN t.kind = 'program.submission' THEN 1 ELSE 0 END),"
        " 'min_links', coalesce((s.config #>> '{submission,min_links}')::int, 0),"
        " 'min_attachments', coalesce((s.config #>> '{submission,min_attachments}')::int, 0))"
        " FROM program_stage_tasks st JOIN program_participant_stages s"
        " ON s.id = st.stage_id AND s.org_id = st.org_id"
        " WHERE st.task_id = t.id AND st.org_id = t.org_id"
        " AND jsonb_typeof(s.config -> 'submission') = 'object'"
    )
    op.execute(
        "UPDATE tasks t SET completion_params = jsonb_build_object("
        " 'run_id', s.run_id::text, 'participant_id', s.participant_id::text)"
        " FROM program_stage_tasks st JOIN program_participant_stages s"
        " ON s.id = st.stage_id AND s.org_id = st.org_id"
        " WHERE st.task_id = t.id AND st.org_id = t.org_id AND t.kind = 'program.decision'"
    )


def downgrade() -> None:
    op.drop_column("tasks", "completion_params")
    op.drop_column("tasks", "submission_rule")

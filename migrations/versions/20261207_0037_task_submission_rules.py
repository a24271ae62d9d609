"""A task keeps what its submission needs, the path parameters of the operation that
completes it and the employee it is about: clients read them on the task instead of
learning them from a 422 or looking each row's person up.

Program stage tasks created before get their stage's rule (the rule programs checked
until now) and decision tasks their run and participant, so every open task shows how it
completes. Other tasks keep NULL: their kind's declared rule applies.

Row-level security covers the new columns with the table's existing policy.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_ABOUT = (
    "UPDATE tasks t SET subject_employee_id = x.employee_id FROM"
    " (SELECT s.id, s.org_id, p.employee_id FROM program_participant_stages s"
    " JOIN program_participants p ON p.id = s.participant_id AND p.org_id = s.org_id) x"
    " WHERE t.subject_type = 'program_stage' AND x.id = t.subject_id AND x.org_id = t.org_id",
    "UPDATE tasks t SET subject_employee_id = x.employee_id FROM"
    " (SELECT a.id, a.org_id, p.employee_id FROM review_assignments a"
    " JOIN review_participants p ON p.id = a.participant_id AND p.org_id = a.org_id) x"
    " WHERE t.subject_type = 'review_assignment' AND x.id = t.subject_id"
    " AND x.org_id = t.org_id",
    "UPDATE tasks t SET subject_employee_id = x.employee_id FROM"
    " review_appeals x WHERE t.subject_type = 'review_appeal'"
    " AND x.id = t.subject_id AND x.org_id = t.org_id",
    "UPDATE tasks t SET subject_employee_id = x.employee_id FROM"
    " contracts x WHERE t.subject_type = 'contract'"
    " AND x.id = t.subject_id AND x.org_id = t.org_id",
    "UPDATE tasks t SET subject_employee_id = x.employee_id FROM"
    " contract_amendments x WHERE t.subject_type = 'contract_amendment'"
    " AND x.id = t.subject_id AND x.org_id = t.org_id",
    "UPDATE tasks t SET subject_employee_id = x.employee_id FROM"
    " program_participants x WHERE t.subject_type = 'program_participant'"
    " AND x.id = t.subject_id AND x.org_id = t.org_id",
)
"""Whom existing tasks are about, by their subject's type."""


def upgrade() -> None:
    op.add_column("tasks", sa.Column("submission_rule", postgresql.JSONB(), nullable=True))
    op.add_column("tasks", sa.Column("completion_params", postgresql.JSONB(), nullable=True))
    op.add_column(
        "tasks", sa.Column("subject_employee_id", postgresql.UUID(as_uuid=True), nullable=True)
    )
    for statement in _ABOUT:
        op.execute(statement)
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
    op.drop_column("tasks", "subject_employee_id")
    op.drop_column("tasks", "completion_params")
    op.drop_column("tasks", "submission_rule")

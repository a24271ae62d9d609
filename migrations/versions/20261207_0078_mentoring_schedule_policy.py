"""Mentoring's schedule per program and its catch-up: a program's reminder and escalation
policy (`mentoring_programs.reminder_policy`, null for the defaults) and when a plan's
schedule was last planned (`mentorship_plans.scheduled_at`), with the partial index the
catch-up cron reads (approved plans not planned since their approval). Both tables are under
the tenant policy already.

Revision ID: 0078
Revises: 0077
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0078"
down_revision: str | None = "0077"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "mentoring_programs",
        sa.Column("reminder_policy", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column(
        "mentorship_plans", sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute("UPDATE mentorship_plans SET scheduled_at = approved_at WHERE status = 'approved'")
    op.create_index(
        "ix_mentorship_plans_unscheduled",
        "mentorship_plans",
        ["org_id"],
        postgresql_where=sa.text(
            "status = 'approved' AND (scheduled_at IS NULL OR scheduled_at < approved_at)"
        ),
    )


def downgrade() -> None:
    op.drop_index("ix_mentorship_plans_unscheduled", table_name="mentorship_plans")
    op.drop_column("mentorship_plans", "scheduled_at")
    op.drop_column("mentoring_programs", "reminder_policy")

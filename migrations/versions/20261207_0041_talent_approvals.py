"""Talent on the approval engine: a member's history names a change made by an approval's
decision (source `approval`), a vacancy keeps an appointment awaiting its override's
approval, and a subject's approvals are found by index.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES = "'hr', 'dept_head', 'self', 'program', 'system'"


def _sources(allowed: str) -> None:
    op.drop_constraint(
        op.f("ck_talent_member_changes_source"), "talent_member_changes", type_="check"
    )
    op.create_check_constraint(
        op.f("ck_talent_member_changes_source"),
        "talent_member_changes",
        f"source IN ({allowed})",
    )


def upgrade() -> None:
    _sources(f"{SOURCES}, 'approval'")
    op.add_column(
        "vacancies",
        sa.Column("pending_appointment", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.create_index(
        op.f("ix_approvals_org_subject"), "approvals", ["org_id", "subject_id"], unique=False
    )


def downgrade() -> None:
    op.drop_column("vacancies", "pending_appointment")
    op.drop_index(op.f("ix_approvals_org_subject"), table_name="approvals")
    op.execute("UPDATE talent_member_changes SET source = 'hr' WHERE source = 'approval'")
    _sources(SOURCES)

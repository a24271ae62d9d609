"""Mentoring surveys and effectiveness: the survey request a logged session makes (one per
session, naming its task), each pairing's stored effectiveness and each mentor's explained
score. Every table is under the tenant policy.

Revision ID: 0068
Revises: 0067
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0068"
down_revision: str | None = "0067"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("mentoring_survey_requests", "mentorship_effectiveness", "mentor_effectiveness")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _org(table: str) -> tuple[sa.Column, sa.ForeignKeyConstraint]:  # type: ignore[type-arg]
    return sa.Column("org_id", sa.UUID(), nullable=False), _fk(
        table, "org_id", "organizations", "CASCADE"
    )


def _requests() -> None:
    table = "mentoring_survey_requests"
    org, org_fk = _org(table)
    op.create_table(
        table,
        sa.Column("mentorship_id", sa.UUID(), nullable=False),
        sa.Column("session_id", sa.UUID(), nullable=False),
        sa.Column("task_id", sa.UUID(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        org,
        _fk(table, "mentorship_id", "mentorships", "CASCADE"),
        org_fk,
        _fk(table, "session_id", "mentoring_sessions", "CASCADE"),
        _fk(table, "task_id", "tasks", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    op.create_index(
        "uq_mentoring_survey_requests_session", table, ["org_id", "session_id"], unique=True
    )
    op.create_index(
        "ix_mentoring_survey_requests_mentorship", table, ["org_id", "mentorship_id"], unique=False
    )


def _pairings() -> None:
    table = "mentorship_effectiveness"
    org, org_fk = _org(table)
    op.create_table(
        table,
        sa.Column("mentorship_id", sa.UUID(), nullable=False),
        sa.Column("mentor_id", sa.UUID(), nullable=False),
        sa.Column("mentor_employee_id", sa.UUID(), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("rating_before", sa.Float(), nullable=True),
        sa.Column("rating_latest", sa.Float(), nullable=True),
        sa.Column("performance_gain", sa.Float(), nullable=True),
        sa.Column("skill_first", sa.Float(), nullable=True),
        sa.Column("skill_last", sa.Float(), nullable=True),
        sa.Column("skill_gain", sa.Float(), nullable=True),
        sa.Column("goals_total", sa.Integer(), nullable=False),
        sa.Column("goals_reached", sa.Integer(), nullable=False),
        sa.Column("goals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("promoted", sa.Boolean(), nullable=False),
        sa.Column("high_performer", sa.Boolean(), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        org,
        _fk(table, "mentor_id", "mentors", "CASCADE"),
        _fk(table, "mentorship_id", "mentorships", "CASCADE"),
        org_fk,
        sa.PrimaryKeyConstraint("org_id", "mentorship_id", name=op.f(f"pk_{table}")),
    )
    op.create_index(
        "ix_mentorship_effectiveness_mentor", table, ["org_id", "mentor_id"], unique=False
    )
    op.create_index(
        "ix_mentorship_effectiveness_mentor_employee",
        table,
        ["org_id", "mentor_employee_id"],
        unique=False,
    )


def _mentors() -> None:
    table = "mentor_effectiveness"
    org, org_fk = _org(table)
    op.create_table(
        table,
        sa.Column("mentor_id", sa.UUID(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("pairings", sa.Integer(), nullable=False),
        sa.Column("parts", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        org,
        _fk(table, "mentor_id", "mentors", "CASCADE"),
        org_fk,
        sa.PrimaryKeyConstraint("org_id", "mentor_id", name=op.f(f"pk_{table}")),
    )


def upgrade() -> None:
    _requests()
    _pairings()
    _mentors()
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
            "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.drop_table(table)

"""Mentoring pairings: mentee templates (revisioned), mentorships (one running per mentee
and program), the mentor's plan, the sessions logged and the mentee's surveys. Every table is
under the tenant policy.

Revision ID: 0065
Revises: 0064
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0065"
down_revision: str | None = "0064"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "mentee_templates",
    "mentorships",
    "mentorship_plans",
    "mentoring_sessions",
    "mentoring_surveys",
)


def upgrade() -> None:
    op.create_table(
        "mentee_templates",
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("duration_months", sa.Integer(), nullable=False),
        sa.Column("goals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("checklist", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("schedule", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
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
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_mentee_templates_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentee_templates")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_mentee_templates_org_id_name")),
    )
    op.create_index(
        "ix_mentee_templates_org_id_id", "mentee_templates", ["org_id", "id"], unique=False
    )
    op.create_table(
        "mentorships",
        sa.Column("program_id", sa.UUID(), nullable=False),
        sa.Column("mentor_id", sa.UUID(), nullable=False),
        sa.Column("mentor_employee_id", sa.UUID(), nullable=False),
        sa.Column("mentee_employee_id", sa.UUID(), nullable=False),
        sa.Column("template_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("checks", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'completed', 'cancelled')",
            name=op.f("ck_mentorships_status_known"),
        ),
        sa.CheckConstraint("ends_on > starts_on", name=op.f("ck_mentorships_ends_after_start")),
        sa.CheckConstraint(
            "mentor_employee_id <> mentee_employee_id", name=op.f("ck_mentorships_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["mentee_employee_id"],
            ["employees.id"],
            name=op.f("fk_mentorships_mentee_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_employee_id"],
            ["employees.id"],
            name=op.f("fk_mentorships_mentor_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["mentors.id"],
            name=op.f("fk_mentorships_mentor_id_mentors"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_mentorships_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["mentoring_programs.id"],
            name=op.f("fk_mentorships_program_id_mentoring_programs"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["mentee_templates.id"],
            name=op.f("fk_mentorships_template_id_mentee_templates"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentorships")),
    )
    op.create_index(
        "ix_mentorships_active_mentor",
        "mentorships",
        ["org_id", "mentor_id"],
        unique=False,
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_index("ix_mentorships_org_id_id", "mentorships", ["org_id", "id"], unique=False)
    op.create_index(
        "ix_mentorships_org_id_mentee",
        "mentorships",
        ["org_id", "mentee_employee_id"],
        unique=False,
    )
    op.create_index(
        "ix_mentorships_org_id_mentor_employee",
        "mentorships",
        ["org_id", "mentor_employee_id"],
        unique=False,
    )
    op.create_index(
        "uq_mentorships_active_mentee",
        "mentorships",
        ["org_id", "program_id", "mentee_employee_id"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_table(
        "mentoring_sessions",
        sa.Column("mentorship_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("checklist_covered", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=True),
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
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'skill_test') = (score IS NOT NULL) "
            "AND (score IS NULL OR score BETWEEN 0 AND 100)",
            name=op.f("ck_mentoring_sessions_score_for_skill_tests"),
        ),
        sa.CheckConstraint(
            "kind IN ('one_on_one', 'skill_test', 'progress_report')",
            name=op.f("ck_mentoring_sessions_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["mentorship_id"],
            ["mentorships.id"],
            name=op.f("fk_mentoring_sessions_mentorship_id_mentorships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_mentoring_sessions_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_mentoring_sessions_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_sessions")),
    )
    op.create_index(
        "ix_mentoring_sessions_mentorship",
        "mentoring_sessions",
        ["org_id", "mentorship_id", "held_on"],
        unique=False,
    )
    op.create_index(
        "ix_mentoring_sessions_org_id_id", "mentoring_sessions", ["org_id", "id"], unique=False
    )
    op.create_table(
        "mentorship_plans",
        sa.Column("mentorship_id", sa.UUID(), nullable=False),
        sa.Column("template_revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("goals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("checklist", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("schedule", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
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
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'returned')",
            name=op.f("ck_mentorship_plans_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["mentorship_id"],
            ["mentorships.id"],
            name=op.f("fk_mentorship_plans_mentorship_id_mentorships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_mentorship_plans_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentorship_plans")),
    )
    op.create_index(
        "uq_mentorship_plans_mentorship",
        "mentorship_plans",
        ["org_id", "mentorship_id"],
        unique=True,
    )
    op.create_table(
        "mentoring_surveys",
        sa.Column("mentorship_id", sa.UUID(), nullable=False),
        sa.Column("session_id", sa.UUID(), nullable=True),
        sa.Column("on_time", sa.SmallInteger(), nullable=False),
        sa.Column("relevant", sa.SmallInteger(), nullable=False),
        sa.Column("solved", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
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
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "on_time BETWEEN 1 AND 5", name=op.f("ck_mentoring_surveys_on_time_range")
        ),
        sa.CheckConstraint(
            "relevant BETWEEN 1 AND 5", name=op.f("ck_mentoring_surveys_relevant_range")
        ),
        sa.CheckConstraint(
            "solved BETWEEN 1 AND 5", name=op.f("ck_mentoring_surveys_solved_range")
        ),
        sa.ForeignKeyConstraint(
            ["mentorship_id"],
            ["mentorships.id"],
            name=op.f("fk_mentoring_surveys_mentorship_id_mentorships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_mentoring_surveys_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["mentoring_sessions.id"],
            name=op.f("fk_mentoring_surveys_session_id_mentoring_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_surveys")),
    )
    op.create_index(
        "ix_mentoring_surveys_mentorship",
        "mentoring_surveys",
        ["org_id", "mentorship_id"],
        unique=False,
    )
    op.create_index(
        "ix_mentoring_surveys_org_id_id", "mentoring_surveys", ["org_id", "id"], unique=False
    )
    op.create_index(
        "uq_mentoring_surveys_session",
        "mentoring_surveys",
        ["org_id", "session_id"],
        unique=True,
        postgresql_where=sa.text("session_id IS NOT NULL"),
    )
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

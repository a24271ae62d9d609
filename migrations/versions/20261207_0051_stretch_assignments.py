"""Stretch assignments 「部门内任务」: the assignments (department, window, slots, the
competencies they develop with the level to start), the people on them with their
supervisors, and one outcome per assignee. Every table is under the tenant policy.

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-07 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0051"
down_revision: str | None = "0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("stretch_assignments", "stretch_assignees", "stretch_outcomes")


def _timestamps() -> list[sa.Column]:
    return [
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
    ]


def _org(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f(f"fk_{table}_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "stretch_assignments",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("department_id", sa.UUID(), nullable=False),
        sa.Column("team_size", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("competencies", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        *_timestamps(),
        sa.Column("version", sa.Integer(), nullable=False),
        *_org("stretch_assignments"),
        sa.CheckConstraint(
            "status IN ('open', 'assigned', 'closed')",
            name=op.f("ck_stretch_assignments_status"),
        ),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_stretch_assignments_window")),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_stretch_assignments_department_id_departments"),
            ondelete="RESTRICT",
        ),
    )
    op.create_index(
        "ix_stretch_assignments_org_id_id", "stretch_assignments", ["org_id", "id"], unique=False
    )
    op.create_index(
        "ix_stretch_assignments_org_department",
        "stretch_assignments",
        ["org_id", "department_id", "status"],
        unique=False,
    )
    op.create_table(
        "stretch_assignees",
        sa.Column("assignment_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("supervisor_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("task_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("assigned_by", sa.UUID(), nullable=True),
        *_timestamps(),
        *_org("stretch_assignees"),
        sa.CheckConstraint(
            "status IN ('active', 'completed')", name=op.f("ck_stretch_assignees_status")
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["stretch_assignments.id"],
            name=op.f("fk_stretch_assignees_assignment_id_stretch_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_stretch_assignees_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["employees.id"],
            name=op.f("fk_stretch_assignees_supervisor_id_employees"),
            ondelete="RESTRICT",
        ),
        sa.UniqueConstraint(
            "org_id",
            "assignment_id",
            "employee_id",
            name=op.f("uq_stretch_assignees_org_id_assignment_id_employee_id"),
        ),
    )
    op.create_index(
        "ix_stretch_assignees_org_employee",
        "stretch_assignees",
        ["org_id", "employee_id"],
        unique=False,
    )
    op.create_table(
        "stretch_outcomes",
        sa.Column("assignee_id", sa.UUID(), nullable=False),
        sa.Column("figures", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("competencies", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.UUID(), nullable=True),
        sa.Column("recorded_times", sa.Integer(), nullable=False),
        *_timestamps(),
        *_org("stretch_outcomes"),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["stretch_assignees.id"],
            name=op.f("fk_stretch_outcomes_assignee_id_stretch_assignees"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "org_id", "assignee_id", name=op.f("uq_stretch_outcomes_org_id_assignee_id")
        ),
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

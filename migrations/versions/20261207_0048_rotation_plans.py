"""Rotation plans 「轮岗 / 挂职」: the plans and their legs (host department, temporary post,
host supervisor, dates, allowance, the employment event and rating task made on confirmation,
the host supervisor's rating). Both tables under the tenant policy.

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("rotation_plans", "rotation_legs")


def _org_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["org_id"],
        ["organizations.id"],
        name=op.f(f"fk_{table}_org_id_organizations"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "rotation_plans",
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("confirmed_by", sa.UUID(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
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
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_rotation_plans_employee_id_employees"),
            ondelete="CASCADE",
        ),
        _org_fk("rotation_plans"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotation_plans")),
    )
    op.create_index(
        "ix_rotation_plans_org_employee", "rotation_plans", ["org_id", "employee_id", "id"]
    )
    op.create_table(
        "rotation_legs",
        sa.Column("plan_id", sa.UUID(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=False),
        sa.Column("post_title", sa.String(length=200), nullable=False),
        sa.Column("host_supervisor_id", sa.UUID(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("allowance", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("employment_event_id", sa.UUID(), nullable=True),
        sa.Column("rating_task_id", sa.UUID(), nullable=True),
        sa.Column("ratings", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("rating_note", sa.Text(), nullable=True),
        sa.Column("rated_by", sa.UUID(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["rotation_plans.id"],
            name=op.f("fk_rotation_legs_plan_id_rotation_plans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_rotation_legs_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["host_supervisor_id"],
            ["employees.id"],
            name=op.f("fk_rotation_legs_host_supervisor_id_employees"),
            ondelete="CASCADE",
        ),
        _org_fk("rotation_legs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rotation_legs")),
        sa.UniqueConstraint(
            "org_id",
            "plan_id",
            "sequence",
            name=op.f("uq_rotation_legs_org_id_plan_id_sequence"),
        ),
    )
    op.create_index("ix_rotation_legs_org_host", "rotation_legs", ["org_id", "host_supervisor_id"])
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

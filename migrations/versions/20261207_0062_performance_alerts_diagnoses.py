"""Performance decline alerts (one per employee, indicator and period, with the figures that
raised them) and diagnoses (one per department, indicator and streak below target, with the
bundle, the root cause and the action plan). Every table is under the tenant policy.

Revision ID: 0062
Revises: 0061
Create Date: 2026-12-07 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0062"
down_revision: str | None = "0061"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("performance_alerts", "performance_diagnoses")


def upgrade() -> None:
    op.create_table(
        "performance_alerts",
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("indicator_name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("scheme_id", sa.UUID(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("average", sa.Float(), nullable=False),
        sa.Column("series", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("window_size", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("decline", sa.Float(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_performance_alerts_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_performance_alerts_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["performance_schemes.id"],
            name=op.f("fk_performance_alerts_scheme_id_performance_schemes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_alerts")),
        sa.UniqueConstraint(
            "org_id",
            "employee_id",
            "indicator",
            "period",
            name=op.f("uq_performance_alerts_org_id_employee_id_indicator_period"),
        ),
    )
    op.create_index(
        "ix_performance_alerts_org_raised",
        "performance_alerts",
        ["org_id", "raised_at"],
        unique=False,
    )
    op.create_table(
        "performance_diagnoses",
        sa.Column("department_id", sa.UUID(), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("indicator_name", sa.String(length=200), nullable=False),
        sa.Column("streak_from", sa.String(length=8), nullable=False),
        sa.Column("streak_to", sa.String(length=8), nullable=False),
        sa.Column("periods", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("head_employee_id", sa.UUID(), nullable=True),
        sa.Column("task_id", sa.UUID(), nullable=True),
        sa.Column("bundle", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("root_cause_category", sa.String(length=32), nullable=True),
        sa.Column("root_cause", sa.Text(), nullable=True),
        sa.Column("action_plan", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.UUID(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_performance_diagnoses_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["head_employee_id"],
            ["employees.id"],
            name=op.f("fk_performance_diagnoses_head_employee_id_employees"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_performance_diagnoses_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_diagnoses")),
        sa.UniqueConstraint(
            "org_id",
            "department_id",
            "indicator",
            "streak_from",
            name="uq_performance_diagnoses_streak",
        ),
    )
    op.create_index(
        "ix_performance_diagnoses_org_status",
        "performance_diagnoses",
        ["org_id", "status", "opened_at"],
        unique=False,
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
    op.drop_index("ix_performance_diagnoses_org_status", table_name="performance_diagnoses")
    op.drop_table("performance_diagnoses")
    op.drop_index("ix_performance_alerts_org_raised", table_name="performance_alerts")
    op.drop_table("performance_alerts")

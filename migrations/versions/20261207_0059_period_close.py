"""Performance period close and calibration: the periods closed (or reopened), each closed
period's results per employee (the frozen score, the calibrated one beside it, the rating
written) and each organization's rating policy. Every table is under the tenant policy.

Revision ID: 0059
Revises: 0058
Create Date: 2026-12-07 13:57:28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0059"
down_revision: str | None = "0058"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("performance_periods", "performance_rating_policies", "performance_period_results")


def upgrade() -> None:
    op.create_table(
        "performance_periods",
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.UUID(), nullable=True),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopened_by", sa.UUID(), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
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
            "state IN ('open', 'closed')", name=op.f("ck_performance_periods_state")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_performance_periods_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_periods")),
        sa.UniqueConstraint("org_id", "period", name=op.f("uq_performance_periods_org_id_period")),
    )
    op.create_table(
        "performance_rating_policies",
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            name=op.f("fk_performance_rating_policies_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_rating_policies")),
        sa.UniqueConstraint("org_id", name=op.f("uq_performance_rating_policies_org_id")),
    )
    op.create_table(
        "performance_period_results",
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("overall", sa.Float(), nullable=False),
        sa.Column("calibrated", sa.Float(), nullable=True),
        sa.Column("calibration_reason", sa.Text(), nullable=True),
        sa.Column("calibrated_by", sa.UUID(), nullable=True),
        sa.Column("calibrated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("original_letter", sa.String(length=1), nullable=False),
        sa.Column("letter", sa.String(length=1), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
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
            "letter IN ('A', 'B', 'C', 'D')", name=op.f("ck_performance_period_results_letter")
        ),
        sa.CheckConstraint(
            "original_letter IN ('A', 'B', 'C', 'D')",
            name=op.f("ck_performance_period_results_original_letter"),
        ),
        sa.CheckConstraint(
            "(calibrated IS NULL) = (calibration_reason IS NULL)",
            name=op.f("ck_performance_period_results_calibration_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_performance_period_results_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_performance_period_results_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_period_results")),
        sa.UniqueConstraint(
            "org_id",
            "period",
            "employee_id",
            name=op.f("uq_performance_period_results_org_id_period_employee_id"),
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
    op.drop_table("performance_period_results")
    op.drop_table("performance_rating_policies")
    op.drop_table("performance_periods")

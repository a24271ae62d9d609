"""Training incentives: the organization's incentive rules, the evaluations of ended periods
(one per organization and period) and the incentives they wrote (one per period, kind and
employee). Every table under the tenant policy.

Revision ID: 0077
Revises: 0076
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0077"
down_revision: str | None = "0076"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("incentive_rules", "incentive_evaluations", "incentives")


def _entity_columns() -> list[sa.Column[object]]:
    return [
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
    ]


def _org_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["org_id"],
        ["organizations.id"],
        name=op.f(f"fk_{table}_org_id_organizations"),
        ondelete="CASCADE",
    )


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="SET NULL"
    )


def upgrade() -> None:
    op.create_table(
        "incentive_rules",
        sa.Column("top_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("top_coefficient", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("competition_points", sa.Integer(), nullable=False),
        sa.Column("benefits_points", sa.Integer(), nullable=False),
        sa.Column("excellent_points", sa.Integer(), nullable=False),
        sa.Column("promotion_points", sa.Integer(), nullable=False),
        sa.Column("promotion_plan_percent", sa.Integer(), nullable=False),
        sa.Column("bonus_step_points", sa.Integer(), nullable=False),
        sa.Column("bonus_step_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("bonus_cap_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        *_entity_columns(),
        _org_fk("incentive_rules"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incentive_rules")),
    )
    op.create_index("uq_incentive_rules_org_id", "incentive_rules", ["org_id"], unique=True)
    op.create_table(
        "incentive_evaluations",
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("requested_by", sa.UUID(), nullable=True),
        sa.Column("incentives", sa.Integer(), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True),
        *_entity_columns(),
        sa.CheckConstraint(
            "status IN ('queued', 'done')", name=op.f("ck_incentive_evaluations_status_known")
        ),
        _org_fk("incentive_evaluations"),
        _user_fk("incentive_evaluations", "requested_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incentive_evaluations")),
    )
    op.create_index(
        "uq_incentive_evaluations_org_id_period",
        "incentive_evaluations",
        ["org_id", "period"],
        unique=True,
    )
    op.create_table(
        "incentives",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("reasons", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("granted_by", sa.UUID(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('bonus_coefficient', 'bonus_percent', 'competition_eligible',"
            " 'benefits_eligible', 'promotion_eligible', 'excellent_eligible')",
            name=op.f("ck_incentives_kind_known"),
        ),
        sa.CheckConstraint(
            "status IN ('owed', 'granted', 'not_met')", name=op.f("ck_incentives_status_known")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_incentives_employee_id_employees"),
            ondelete="CASCADE",
        ),
        _org_fk("incentives"),
        _user_fk("incentives", "granted_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incentives")),
    )
    op.create_index(
        "uq_incentives_org_id_period_kind_employee",
        "incentives",
        ["org_id", "period", "kind", "employee_id"],
        unique=True,
    )
    op.create_index("ix_incentives_org_id_employee", "incentives", ["org_id", "employee_id"])
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
            "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.drop_index("ix_incentives_org_id_employee", table_name="incentives")
    op.drop_index("uq_incentives_org_id_period_kind_employee", table_name="incentives")
    op.drop_table("incentives")
    op.drop_index("uq_incentive_evaluations_org_id_period", table_name="incentive_evaluations")
    op.drop_table("incentive_evaluations")
    op.drop_index("uq_incentive_rules_org_id", table_name="incentive_rules")
    op.drop_table("incentive_rules")

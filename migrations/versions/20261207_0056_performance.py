"""Performance management 「绩效」: schemes (a revisioned template kind), metric
observations (a correction is the next revision of a source's external id) and live scores
(one row per employee and period). Every table is under the tenant policy.

Revision ID: 0056
Revises: 0055
Create Date: 2026-12-07 12:13:06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0056"
down_revision: str | None = "0055"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("performance_schemes", "metric_observations", "performance_scores")


def upgrade() -> None:
    op.create_table(
        "performance_schemes",
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("position_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("department_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("indicators", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("department_overrides", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            name=op.f("fk_performance_schemes_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_schemes")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_performance_schemes_org_id_name")),
    )
    op.create_index(
        "ix_performance_schemes_org_id_id", "performance_schemes", ["org_id", "id"], unique=False
    )
    op.create_table(
        "metric_observations",
        sa.Column("employee_id", sa.UUID(), nullable=True),
        sa.Column("department_id", sa.UUID(), nullable=True),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.UUID(), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "(employee_id IS NULL) <> (department_id IS NULL)",
            name=op.f("ck_metric_observations_one_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_metric_observations_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_metric_observations_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_metric_observations_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_observations")),
        sa.UniqueConstraint(
            "org_id",
            "source",
            "external_id",
            "revision",
            name=op.f("uq_metric_observations_org_id_source_external_id_revision"),
        ),
    )
    op.create_index(
        "ix_metric_observations_department",
        "metric_observations",
        ["org_id", "department_id", "observed_at"],
        unique=False,
    )
    op.create_index(
        "ix_metric_observations_employee",
        "metric_observations",
        ["org_id", "employee_id", "observed_at"],
        unique=False,
    )
    op.create_table(
        "performance_scores",
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("scheme_id", sa.UUID(), nullable=False),
        sa.Column("scheme_revision", sa.Integer(), nullable=False),
        sa.Column("overall", sa.Float(), nullable=False),
        sa.Column("indicators", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_performance_scores_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_performance_scores_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["performance_schemes.id"],
            name=op.f("fk_performance_scores_scheme_id_performance_schemes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_performance_scores")),
        sa.UniqueConstraint(
            "org_id",
            "employee_id",
            "period",
            name=op.f("uq_performance_scores_org_id_employee_id_period"),
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
    op.drop_table("performance_scores")
    op.drop_index("ix_metric_observations_employee", table_name="metric_observations")
    op.drop_index("ix_metric_observations_department", table_name="metric_observations")
    op.drop_table("metric_observations")
    op.drop_index("ix_performance_schemes_org_id_id", table_name="performance_schemes")
    op.drop_table("performance_schemes")

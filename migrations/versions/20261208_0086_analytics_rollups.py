"""Analytics' derived store: facts (one person counted in one step of a figure, with the
reason), rollups per step, dimension, department and month, the stale marks the refresh job
reads, and when each figure was last refreshed. All under the tenant policy.

Revision ID: 0086
Revises: 0085
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0086"
down_revision: str | None = "0085"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("analytics_facts", "analytics_rollups", "analytics_stale", "analytics_refreshes")


def _org_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["org_id"],
        ["organizations.id"],
        name=op.f(f"fk_{table}_org_id_organizations"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "analytics_facts",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("figure", sa.String(length=40), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("dimension", sa.String(length=80), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(14, 4), nullable=True),
        sa.Column("reason_key", sa.String(length=200), nullable=False),
        sa.Column(
            "reason_params",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        _org_fk("analytics_facts"),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_analytics_facts_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_analytics_facts_department_id_departments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_facts")),
    )
    op.create_index(
        "uq_analytics_facts_subject",
        "analytics_facts",
        ["org_id", "figure", "subject_type", "subject_id", "step", "dimension"],
        unique=True,
    )
    op.create_index(
        "ix_analytics_facts_drill",
        "analytics_facts",
        ["org_id", "figure", "step", "occurred_on", "id"],
    )
    op.create_index(
        "ix_analytics_facts_employee", "analytics_facts", ["org_id", "figure", "employee_id"]
    )
    op.create_table(
        "analytics_rollups",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("figure", sa.String(length=40), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("dimension", sa.String(length=80), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("value_sum", sa.Numeric(18, 4), nullable=True),
        _org_fk("analytics_rollups"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_rollups")),
    )
    op.create_index(
        "uq_analytics_rollups_cell",
        "analytics_rollups",
        ["org_id", "figure", "step", "dimension", "department_id", "month"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.create_table(
        "analytics_stale",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("figure", sa.String(length=40), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=True),
        sa.Column(
            "since", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        _org_fk("analytics_stale"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_stale")),
    )
    op.create_index("ix_analytics_stale_org_figure", "analytics_stale", ["org_id", "figure"])
    op.create_table(
        "analytics_refreshes",
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("figure", sa.String(length=40), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        _org_fk("analytics_refreshes"),
        sa.PrimaryKeyConstraint("org_id", "figure", name=op.f("pk_analytics_refreshes")),
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
        op.drop_table(table)

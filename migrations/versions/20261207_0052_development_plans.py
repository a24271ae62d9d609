"""Individual development plans 「个人发展计划」: the plans (one open plan per employee and
period, a partial unique index), every content version, and the threaded comments. Every
table is under the tenant policy.

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-07 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0052"
down_revision: str | None = "0051"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("development_plans", "development_plan_versions", "development_plan_comments")


def _org(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["org_id"],
        ["organizations.id"],
        name=op.f(f"fk_{table}_org_id_organizations"),
        ondelete="CASCADE",
    )


def _plan(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["plan_id"],
        ["development_plans.id"],
        name=op.f(f"fk_{table}_plan_id_development_plans"),
        ondelete="CASCADE",
    )


def _user(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="RESTRICT"
    )


def _now(name: str) -> sa.Column:
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "development_plans",
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("goals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("actions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        _now("created_at"),
        _now("updated_at"),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'active', 'rejected', 'closed')",
            name=op.f("ck_development_plans_status"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_development_plans_employee_id_employees"),
            ondelete="CASCADE",
        ),
        _org("development_plans"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_plans")),
    )
    op.create_index(
        "uq_development_plans_open_period",
        "development_plans",
        ["org_id", "employee_id", "period"],
        unique=True,
        postgresql_where="status NOT IN ('rejected', 'closed')",
    )
    op.create_index(
        "ix_development_plans_org_employee",
        "development_plans",
        ["org_id", "employee_id", "id"],
        unique=False,
    )
    op.create_table(
        "development_plan_versions",
        sa.Column("plan_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("goals", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("actions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("edited_by", sa.UUID(), nullable=False),
        _now("edited_at"),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        _user("development_plan_versions", "edited_by"),
        _org("development_plan_versions"),
        _plan("development_plan_versions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_plan_versions")),
        sa.UniqueConstraint(
            "org_id",
            "plan_id",
            "version",
            name=op.f("uq_development_plan_versions_org_id_plan_id_version"),
        ),
    )
    op.create_table(
        "development_plan_comments",
        sa.Column("plan_id", sa.UUID(), nullable=False),
        sa.Column("reply_to_id", sa.UUID(), nullable=True),
        sa.Column("author_id", sa.UUID(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _now("created_at"),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        _user("development_plan_comments", "author_id"),
        _org("development_plan_comments"),
        _plan("development_plan_comments"),
        sa.ForeignKeyConstraint(
            ["reply_to_id"],
            ["development_plan_comments.id"],
            name=op.f("fk_development_plan_comments_reply_to_id_development_plan_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_plan_comments")),
    )
    op.create_index(
        "ix_development_plan_comments_org_plan",
        "development_plan_comments",
        ["org_id", "plan_id", "id"],
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
        op.drop_table(table)

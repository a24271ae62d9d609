"""The talent review meeting 「人才盘点」: sessions, their participants' 9-box placements,
every move with its reason, and the report PDFs the worker draws. All under the tenant
policy.

Revision ID: 0092
Revises: 0091
Create Date: 2026-12-08 02:14:12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0092"
down_revision: str | None = "0091"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "talent_review_sessions",
    "talent_review_placements",
    "talent_review_moves",
    "talent_review_reports",
)


def upgrade() -> None:
    op.create_table(
        "talent_review_sessions",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=True),
        sa.Column("pool_id", sa.UUID(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.UUID(), nullable=True),
        sa.Column("closed_by", sa.UUID(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
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
            "status IN ('open', 'closed')", name=op.f("ck_talent_review_sessions_status")
        ),
        sa.CheckConstraint(
            "(department_id IS NULL) <> (pool_id IS NULL)",
            name=op.f("ck_talent_review_sessions_population"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"],
            ["users.id"],
            name=op.f("fk_talent_review_sessions_closed_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_talent_review_sessions_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"],
            ["users.id"],
            name=op.f("fk_talent_review_sessions_opened_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_talent_review_sessions_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"],
            ["talent_pools.id"],
            name=op.f("fk_talent_review_sessions_pool_id_talent_pools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_review_sessions")),
    )
    op.create_index(
        "ix_talent_review_sessions_org_id", "talent_review_sessions", ["org_id", "id"], unique=False
    )
    op.create_table(
        "talent_review_placements",
        sa.Column("session_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=True),
        sa.Column("proposed_performance", sa.String(length=8), nullable=True),
        sa.Column("proposed_potential", sa.String(length=8), nullable=True),
        sa.Column("performance", sa.String(length=8), nullable=True),
        sa.Column("potential", sa.String(length=8), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "performance IN ('low', 'medium', 'high')",
            name=op.f("ck_talent_review_placements_performance"),
        ),
        sa.CheckConstraint(
            "potential IN ('low', 'medium', 'high')",
            name=op.f("ck_talent_review_placements_potential"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_talent_review_placements_department_id_departments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_talent_review_placements_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_talent_review_placements_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["talent_review_sessions.id"],
            name=op.f("fk_talent_review_placements_session_id_talent_review_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_review_placements")),
        sa.UniqueConstraint(
            "session_id",
            "employee_id",
            name=op.f("uq_talent_review_placements_session_id_employee_id"),
        ),
    )
    op.create_index(
        "ix_talent_review_placements_org_session",
        "talent_review_placements",
        ["org_id", "session_id", "id"],
        unique=False,
    )
    op.create_table(
        "talent_review_reports",
        sa.Column("session_id", sa.UUID(), nullable=False),
        sa.Column("locale", sa.String(length=10), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("storage_key", sa.String(length=300), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'ready', 'failed')", name=op.f("ck_talent_review_reports_status")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_talent_review_reports_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["talent_review_sessions.id"],
            name=op.f("fk_talent_review_reports_session_id_talent_review_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_review_reports")),
        sa.UniqueConstraint(
            "session_id",
            "locale",
            "revision",
            name=op.f("uq_talent_review_reports_session_id_locale_revision"),
        ),
    )
    op.create_index(
        "ix_talent_review_reports_org_session",
        "talent_review_reports",
        ["org_id", "session_id"],
        unique=False,
    )
    op.create_table(
        "talent_review_moves",
        sa.Column("session_id", sa.UUID(), nullable=False),
        sa.Column("placement_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("from_performance", sa.String(length=8), nullable=True),
        sa.Column("from_potential", sa.String(length=8), nullable=True),
        sa.Column("to_performance", sa.String(length=8), nullable=False),
        sa.Column("to_potential", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moved_by", sa.UUID(), nullable=True),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "to_performance IN ('low', 'medium', 'high')",
            name=op.f("ck_talent_review_moves_to_performance"),
        ),
        sa.CheckConstraint(
            "to_potential IN ('low', 'medium', 'high')",
            name=op.f("ck_talent_review_moves_to_potential"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_talent_review_moves_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["moved_by"],
            ["users.id"],
            name=op.f("fk_talent_review_moves_moved_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_talent_review_moves_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["talent_review_placements.id"],
            name=op.f("fk_talent_review_moves_placement_id_talent_review_placements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["talent_review_sessions.id"],
            name=op.f("fk_talent_review_moves_session_id_talent_review_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_review_moves")),
    )
    op.create_index(
        "ix_talent_review_moves_org_session",
        "talent_review_moves",
        ["org_id", "session_id", "moved_at", "id"],
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
    op.drop_index("ix_talent_review_moves_org_session", table_name="talent_review_moves")
    op.drop_table("talent_review_moves")
    op.drop_index("ix_talent_review_reports_org_session", table_name="talent_review_reports")
    op.drop_table("talent_review_reports")
    op.drop_index("ix_talent_review_placements_org_session", table_name="talent_review_placements")
    op.drop_table("talent_review_placements")
    op.drop_index("ix_talent_review_sessions_org_id", table_name="talent_review_sessions")
    op.drop_table("talent_review_sessions")

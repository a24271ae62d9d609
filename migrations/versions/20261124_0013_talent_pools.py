"""talent: pools with screening rules, members, 9-box placements

Revision ID: 0013
Revises: 0011
Create Date: 2026-11-24 00:40:20.108942
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("talent_pools", "talent_pool_members", "nine_box_placements")


def upgrade() -> None:
    op.create_table(
        "talent_pools",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("target_position_id", sa.UUID(), nullable=True),
        sa.Column("target_family", sa.String(length=100), nullable=True),
        sa.Column("rules", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
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
            name=op.f("fk_talent_pools_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_position_id"],
            ["positions.id"],
            name=op.f("fk_talent_pools_target_position_id_positions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_pools")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_talent_pools_org_id_name")),
    )
    op.create_index(op.f("ix_talent_pools_org_id"), "talent_pools", ["org_id"], unique=False)
    op.create_index("ix_talent_pools_org_id_id", "talent_pools", ["org_id", "id"], unique=False)
    op.create_table(
        "talent_pool_members",
        sa.Column("pool_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("readiness", sa.String(length=20), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("nominated_by", sa.UUID(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("nominated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
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
            "readiness IS NULL OR readiness IN "
            "('ready_now', 'one_to_two_years', 'three_plus_years')",
            name=op.f("ck_talent_pool_members_readiness"),
        ),
        sa.CheckConstraint(
            "source IN ('hr', 'dept_head', 'self')", name=op.f("ck_talent_pool_members_source")
        ),
        sa.CheckConstraint(
            "status IN ('nominated', 'active', 'graduated', 'appointed', 'removed', 'left')",
            name=op.f("ck_talent_pool_members_status"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_talent_pool_members_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["nominated_by"],
            ["users.id"],
            name=op.f("fk_talent_pool_members_nominated_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_talent_pool_members_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"],
            ["talent_pools.id"],
            name=op.f("fk_talent_pool_members_pool_id_talent_pools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_pool_members")),
        sa.UniqueConstraint(
            "org_id",
            "pool_id",
            "employee_id",
            name=op.f("uq_talent_pool_members_org_id_pool_id_employee_id"),
        ),
    )
    op.create_index(
        "ix_talent_pool_members_org_employee",
        "talent_pool_members",
        ["org_id", "employee_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_talent_pool_members_org_id"), "talent_pool_members", ["org_id"], unique=False
    )
    op.create_index(
        "ix_talent_pool_members_org_pool_id",
        "talent_pool_members",
        ["org_id", "pool_id", "id"],
        unique=False,
    )
    op.create_table(
        "nine_box_placements",
        sa.Column("member_id", sa.UUID(), nullable=False),
        sa.Column("performance", sa.String(length=8), nullable=False),
        sa.Column("potential", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.UUID(), nullable=True),
        sa.Column(
            "placed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "performance IN ('low', 'medium', 'high')",
            name=op.f("ck_nine_box_placements_performance"),
        ),
        sa.CheckConstraint(
            "potential IN ('low', 'medium', 'high')", name=op.f("ck_nine_box_placements_potential")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["talent_pool_members.id"],
            name=op.f("fk_nine_box_placements_member_id_talent_pool_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_nine_box_placements_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placed_by"],
            ["users.id"],
            name=op.f("fk_nine_box_placements_placed_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nine_box_placements")),
    )
    op.create_index(
        op.f("ix_nine_box_placements_org_id"), "nine_box_placements", ["org_id"], unique=False
    )
    op.create_index(
        "ix_nine_box_placements_org_member",
        "nine_box_placements",
        ["org_id", "member_id", "placed_at"],
        unique=False,
    )
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
            "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
        )


def downgrade() -> None:
    for table in TENANT_TABLES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.drop_index("ix_nine_box_placements_org_member", table_name="nine_box_placements")
    op.drop_index(op.f("ix_nine_box_placements_org_id"), table_name="nine_box_placements")
    op.drop_table("nine_box_placements")
    op.drop_index("ix_talent_pool_members_org_pool_id", table_name="talent_pool_members")
    op.drop_index(op.f("ix_talent_pool_members_org_id"), table_name="talent_pool_members")
    op.drop_index("ix_talent_pool_members_org_employee", table_name="talent_pool_members")
    op.drop_table("talent_pool_members")
    op.drop_index("ix_talent_pools_org_id_id", table_name="talent_pools")
    op.drop_index(op.f("ix_talent_pools_org_id"), table_name="talent_pools")
    op.drop_table("talent_pools")

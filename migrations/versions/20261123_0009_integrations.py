"""integrations: DingTalk callback registrations and received events

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 23:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("dingtalk_integrations", "dingtalk_events")


def upgrade() -> None:
    op.create_table(
        "dingtalk_integrations",
        sa.Column("receiver_id", sa.String(length=128), nullable=False),
        sa.Column("token", sa.String(length=128), nullable=False),
        sa.Column("aes_key", sa.String(length=43), nullable=False),
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
            name=op.f("fk_dingtalk_integrations_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dingtalk_integrations")),
        sa.UniqueConstraint("org_id", name=op.f("uq_dingtalk_integrations_org_id")),
    )
    op.create_index(
        op.f("ix_dingtalk_integrations_org_id"), "dingtalk_integrations", ["org_id"], unique=False
    )
    op.create_table(
        "dingtalk_events",
        sa.Column("dedup_key", sa.String(length=128), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "status IN ('received', 'applied', 'ignored', 'failed')",
            name=op.f("ck_dingtalk_events_status"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_dingtalk_events_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dingtalk_events")),
        sa.UniqueConstraint(
            "org_id", "dedup_key", name=op.f("uq_dingtalk_events_org_id_dedup_key")
        ),
    )
    op.create_index(op.f("ix_dingtalk_events_org_id"), "dingtalk_events", ["org_id"], unique=False)
    op.create_index(
        "ix_dingtalk_events_org_id_id", "dingtalk_events", ["org_id", "id"], unique=False
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
    for table in reversed(TENANT_TABLES):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.drop_index("ix_dingtalk_events_org_id_id", table_name="dingtalk_events")
    op.drop_index(op.f("ix_dingtalk_events_org_id"), table_name="dingtalk_events")
    op.drop_table("dingtalk_events")
    op.drop_index(op.f("ix_dingtalk_integrations_org_id"), table_name="dingtalk_integrations")
    op.drop_table("dingtalk_integrations")

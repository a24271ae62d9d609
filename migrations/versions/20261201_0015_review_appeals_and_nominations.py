"""Reviews: appeals (one open per indicator), peer nominations, minimum raters.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 02:57:45.611152
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("review_appeals", "review_nominations")


def upgrade() -> None:
    op.create_table(
        "review_nominations",
        sa.Column("cycle_id", sa.UUID(), nullable=False),
        sa.Column("participant_id", sa.UUID(), nullable=False),
        sa.Column("nominee_employee_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.UUID(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
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
            "status IN ('nominated', 'approved', 'rejected')",
            name=op.f("ck_review_nominations_status"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["review_cycles.id"],
            name=op.f("fk_review_nominations_cycle_id_review_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["nominee_employee_id"],
            ["employees.id"],
            name=op.f("fk_review_nominations_nominee_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_review_nominations_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["review_participants.id"],
            name=op.f("fk_review_nominations_participant_id_review_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_nominations")),
        sa.UniqueConstraint(
            "org_id",
            "participant_id",
            "nominee_employee_id",
            name=op.f("uq_review_nominations_org_id_participant_id_nominee_employee_id"),
        ),
    )
    op.create_index(
        op.f("ix_review_nominations_org_id"), "review_nominations", ["org_id"], unique=False
    )
    op.create_index(
        "ix_review_nominations_org_participant",
        "review_nominations",
        ["org_id", "participant_id", "id"],
        unique=False,
    )
    op.create_table(
        "review_appeals",
        sa.Column("result_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("indicator_key", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("replied_by", sa.UUID(), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("original_score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("new_score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("resolved_by", sa.UUID(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("task_id", sa.UUID(), nullable=True),
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
            "status IN ('open', 'answered', 'upheld', 'rejected')",
            name=op.f("ck_review_appeals_status"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_review_appeals_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_review_appeals_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["review_results.id"],
            name=op.f("fk_review_appeals_result_id_review_results"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_appeals")),
    )
    op.create_index(op.f("ix_review_appeals_org_id"), "review_appeals", ["org_id"], unique=False)
    op.create_index(
        "ix_review_appeals_org_result_id",
        "review_appeals",
        ["org_id", "result_id", "id"],
        unique=False,
    )
    op.create_index(
        "uq_review_appeals_one_open_per_indicator",
        "review_appeals",
        ["org_id", "result_id", "indicator_key"],
        unique=True,
        postgresql_where="status IN ('open', 'answered')",
    )
    op.add_column(
        "review_cycles",
        sa.Column("peer_nomination", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column(
        "review_cycles",
        sa.Column(
            "min_raters",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
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
    op.drop_column("review_cycles", "min_raters")
    op.drop_column("review_cycles", "peer_nomination")
    op.drop_index(
        "uq_review_appeals_one_open_per_indicator",
        table_name="review_appeals",
        postgresql_where="status IN ('open', 'answered')",
    )
    op.drop_index("ix_review_appeals_org_result_id", table_name="review_appeals")
    op.drop_index(op.f("ix_review_appeals_org_id"), table_name="review_appeals")
    op.drop_table("review_appeals")
    op.drop_index("ix_review_nominations_org_participant", table_name="review_nominations")
    op.drop_index(op.f("ix_review_nominations_org_id"), table_name="review_nominations")
    op.drop_table("review_nominations")

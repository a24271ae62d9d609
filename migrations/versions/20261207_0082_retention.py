"""Privacy's retention rules (one per organization and purgeable kind) and legal holds (a
person whose data no purge may take while the hold stands). Both under the tenant policy.

Revision ID: 0082
Revises: 0081
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0082"
down_revision: str | None = "0081"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("retention_rules", "legal_holds")


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
        "retention_rules",
        sa.Column("subject_kind", sa.String(length=40), nullable=False),
        sa.Column("period_amount", sa.Integer(), nullable=False),
        sa.Column("period_unit", sa.String(length=8), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        *_entity_columns(),
        sa.CheckConstraint(
            "period_unit IN ('days', 'months', 'years')",
            name=op.f("ck_retention_rules_period_unit"),
        ),
        sa.CheckConstraint("period_amount > 0", name=op.f("ck_retention_rules_period_amount")),
        sa.CheckConstraint(
            "action IN ('delete', 'anonymise')", name=op.f("ck_retention_rules_action")
        ),
        _org_fk("retention_rules"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_rules")),
    )
    op.create_index(
        "uq_retention_rules_org_id_subject_kind",
        "retention_rules",
        ["org_id", "subject_kind"],
        unique=True,
    )
    op.create_table(
        "legal_holds",
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("case_reference", sa.String(length=100), nullable=True),
        sa.Column("placed_by", sa.UUID(), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by", sa.UUID(), nullable=True),
        *_entity_columns(),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_legal_holds_employee_id_employees"),
            ondelete="RESTRICT",
        ),
        _org_fk("legal_holds"),
        _user_fk("legal_holds", "placed_by"),
        _user_fk("legal_holds", "released_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    op.create_index("ix_legal_holds_org_id_id", "legal_holds", ["org_id", "id"])
    op.create_index(
        "ix_legal_holds_org_id_active_employee",
        "legal_holds",
        ["org_id", "employee_id"],
        postgresql_where=sa.text("released_at IS NULL"),
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
    for table in TABLES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.drop_index("ix_legal_holds_org_id_active_employee", table_name="legal_holds")
    op.drop_index("ix_legal_holds_org_id_id", table_name="legal_holds")
    op.drop_table("legal_holds")
    op.drop_index("uq_retention_rules_org_id_subject_kind", table_name="retention_rules")
    op.drop_table("retention_rules")

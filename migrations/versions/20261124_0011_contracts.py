"""contracts: contracts, amendments and their versions, amendment templates, expiry alerts

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 00:13:09.122773
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = (
    "contracts",
    "contract_amendments",
    "contract_amendment_versions",
    "contract_amendment_templates",
    "contract_expiry_alerts",
)


def upgrade() -> None:
    op.create_table(
        "contract_amendment_templates",
        sa.Column("body", sa.Text(), nullable=False),
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
            name=op.f("fk_contract_amendment_templates_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_amendment_templates")),
        sa.UniqueConstraint("org_id", name=op.f("uq_contract_amendment_templates_org_id")),
    )
    op.create_index(
        op.f("ix_contract_amendment_templates_org_id"),
        "contract_amendment_templates",
        ["org_id"],
        unique=False,
    )
    op.create_table(
        "contracts",
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("department_id", sa.UUID(), nullable=False),
        sa.Column("position_id", sa.UUID(), nullable=True),
        sa.Column("grade", sa.String(length=32), nullable=True),
        sa.Column("allowance", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("work_location", sa.String(length=200), nullable=False),
        sa.Column("pay_terms_ref", sa.String(length=200), nullable=False),
        sa.Column("renewed_from_id", sa.UUID(), nullable=True),
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
            "kind IN ('fixed_term', 'open_ended', 'internship', 'part_time', 'project_based')",
            name=op.f("ck_contracts_kind"),
        ),
        sa.CheckConstraint("status IN ('active', 'terminated')", name=op.f("ck_contracts_status")),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_contracts_dates")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_contracts_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_contracts_employee_id_employees"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_contracts_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            name=op.f("fk_contracts_position_id_positions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["renewed_from_id"],
            ["contracts.id"],
            name=op.f("fk_contracts_renewed_from_id_contracts"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
    )
    op.create_index(
        "ix_contracts_org_active_end",
        "contracts",
        ["org_id", "end_date", "id"],
        unique=False,
        postgresql_where="status = 'active' AND end_date IS NOT NULL",
    )
    op.create_index(
        "ix_contracts_org_employee_start",
        "contracts",
        ["org_id", "employee_id", "start_date"],
        unique=False,
    )
    op.create_index(op.f("ix_contracts_org_id"), "contracts", ["org_id"], unique=False)
    op.create_table(
        "contract_amendments",
        sa.Column("contract_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("confirm_task_id", sa.UUID(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.UUID(), nullable=True),
        sa.Column("confirmed_version", sa.Integer(), nullable=True),
        sa.Column("confirmed_sha256", sa.String(length=64), nullable=True),
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
            "source IN ('event', 'manual')", name=op.f("ck_contract_amendments_source")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'confirmed')", name=op.f("ck_contract_amendments_status")
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by"],
            ["users.id"],
            name=op.f("fk_contract_amendments_confirmed_by_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_amendments_contract_id_contracts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_contract_amendments_employee_id_employees"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["employment_events.id"],
            name=op.f("fk_contract_amendments_event_id_employment_events"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_contract_amendments_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_amendments")),
        sa.UniqueConstraint(
            "org_id", "event_id", name=op.f("uq_contract_amendments_org_id_event_id")
        ),
    )
    op.create_index(
        "ix_contract_amendments_org_contract",
        "contract_amendments",
        ["org_id", "contract_id", "id"],
        unique=False,
    )
    op.create_index(
        "ix_contract_amendments_org_employee",
        "contract_amendments",
        ["org_id", "employee_id", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_contract_amendments_org_id"), "contract_amendments", ["org_id"], unique=False
    )
    op.create_table(
        "contract_expiry_alerts",
        sa.Column("contract_id", sa.UUID(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("task_id", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_expiry_alerts_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_contract_expiry_alerts_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_expiry_alerts")),
        sa.UniqueConstraint(
            "org_id",
            "contract_id",
            "end_date",
            name=op.f("uq_contract_expiry_alerts_org_id_contract_id_end_date"),
        ),
    )
    op.create_index(
        op.f("ix_contract_expiry_alerts_org_id"), "contract_expiry_alerts", ["org_id"], unique=False
    )
    op.create_table(
        "contract_amendment_versions",
        sa.Column("amendment_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("terms", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("base_terms", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document_status", sa.String(length=16), nullable=False),
        sa.Column("document_error", sa.Text(), nullable=True),
        sa.Column("document_key", sa.String(length=300), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=True),
        sa.Column("document_size", sa.Integer(), nullable=True),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "document_status IN ('pending', 'ready', 'failed')",
            name=op.f("ck_contract_amendment_versions_document_status"),
        ),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= effective_date",
            name=op.f("ck_contract_amendment_versions_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["contract_amendments.id"],
            name=op.f("fk_contract_amendment_versions_amendment_id_contract_amendments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_contract_amendment_versions_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_amendment_versions")),
        sa.UniqueConstraint(
            "org_id",
            "amendment_id",
            "number",
            name=op.f("uq_contract_amendment_versions_org_id_amendment_id_number"),
        ),
    )
    op.create_index(
        op.f("ix_contract_amendment_versions_org_id"),
        "contract_amendment_versions",
        ["org_id"],
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
    op.drop_index(
        op.f("ix_contract_amendment_versions_org_id"), table_name="contract_amendment_versions"
    )
    op.drop_table("contract_amendment_versions")
    op.drop_index(op.f("ix_contract_expiry_alerts_org_id"), table_name="contract_expiry_alerts")
    op.drop_table("contract_expiry_alerts")
    op.drop_index(op.f("ix_contract_amendments_org_id"), table_name="contract_amendments")
    op.drop_index("ix_contract_amendments_org_employee", table_name="contract_amendments")
    op.drop_index("ix_contract_amendments_org_contract", table_name="contract_amendments")
    op.drop_table("contract_amendments")
    op.drop_index(op.f("ix_contracts_org_id"), table_name="contracts")
    op.drop_index("ix_contracts_org_employee_start", table_name="contracts")
    op.drop_index(
        "ix_contracts_org_active_end",
        table_name="contracts",
        postgresql_where="status = 'active' AND end_date IS NOT NULL",
    )
    op.drop_table("contracts")
    op.drop_index(
        op.f("ix_contract_amendment_templates_org_id"), table_name="contract_amendment_templates"
    )
    op.drop_table("contract_amendment_templates")

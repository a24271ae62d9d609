"""Privacy, my data and consent: consent texts and consents, privacy requests with the
organization's deadlines, own-data exports. Every table under the tenant policy.

Revision ID: 0083
Revises: 0082
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0083"
down_revision: str | None = "0082"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("consent_texts", "consents", "privacy_requests", "privacy_policies", "data_exports")
PURPOSE_CHECK = "purpose IN ('sensitive_data', 'cross_border_transfer')"


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


def _user_fk(table: str, column: str, ondelete: str = "SET NULL") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete=ondelete
    )


def _employee_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["employee_id"],
        ["employees.id"],
        name=op.f(f"fk_{table}_employee_id_employees"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "consent_texts",
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("text_version", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("body_zh", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.UUID(), nullable=True),
        *_entity_columns(),
        sa.CheckConstraint(PURPOSE_CHECK, name=op.f("ck_consent_texts_purpose_known")),
        _org_fk("consent_texts"),
        _user_fk("consent_texts", "published_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_texts")),
    )
    op.create_index(
        "uq_consent_texts_org_id_purpose_version",
        "consent_texts",
        ["org_id", "purpose", "text_version"],
        unique=True,
    )
    op.create_table(
        "consents",
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("text_id", sa.UUID(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("given_by", sa.UUID(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        *_entity_columns(),
        sa.CheckConstraint(PURPOSE_CHECK, name=op.f("ck_consents_purpose_known")),
        _org_fk("consents"),
        _employee_fk("consents"),
        _user_fk("consents", "given_by"),
        sa.ForeignKeyConstraint(
            ["text_id"],
            ["consent_texts.id"],
            name=op.f("fk_consents_text_id_consent_texts"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(
        "ix_consents_org_id_employee_id_purpose",
        "consents",
        ["org_id", "employee_id", "purpose"],
    )
    op.create_index(
        "uq_consents_org_id_employee_id_text_id_in_force",
        "consents",
        ["org_id", "employee_id", "text_id"],
        unique=True,
        postgresql_where=sa.text("withdrawn_at IS NULL"),
    )
    op.create_table(
        "privacy_requests",
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("requested_by", sa.UUID(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("task_id", sa.UUID(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_by", sa.UUID(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        *_entity_columns(),
        sa.CheckConstraint(
            "kind IN ('correct', 'delete', 'copy', 'object')",
            name=op.f("ck_privacy_requests_kind_known"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'done', 'refused')", name=op.f("ck_privacy_requests_status_known")
        ),
        sa.CheckConstraint(
            "status <> 'refused' OR length(resolution) > 0",
            name=op.f("ck_privacy_requests_refusal_has_reason"),
        ),
        _org_fk("privacy_requests"),
        _employee_fk("privacy_requests"),
        _user_fk("privacy_requests", "requested_by"),
        _user_fk("privacy_requests", "resolved_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_requests")),
    )
    op.create_index(
        "ix_privacy_requests_org_id_employee_id",
        "privacy_requests",
        ["org_id", "employee_id", "created_at"],
    )
    op.create_index(
        "ix_privacy_requests_org_id_created_at", "privacy_requests", ["org_id", "created_at"]
    )
    op.create_table(
        "privacy_policies",
        sa.Column("request_deadline_days", sa.Integer(), nullable=False),
        sa.Column("export_link_days", sa.Integer(), nullable=False),
        *_entity_columns(),
        _org_fk("privacy_policies"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_policies")),
    )
    op.create_index("uq_privacy_policies_org_id", "privacy_policies", ["org_id"], unique=True)
    op.create_table(
        "data_exports",
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("requested_by", sa.UUID(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("json_key", sa.String(length=300), nullable=True),
        sa.Column("pdf_key", sa.String(length=300), nullable=True),
        sa.Column("json_size", sa.Integer(), nullable=True),
        sa.Column("pdf_size", sa.Integer(), nullable=True),
        sa.Column("sections", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        *_entity_columns(),
        sa.CheckConstraint(
            "status IN ('pending', 'ready', 'failed', 'expired')",
            name=op.f("ck_data_exports_status_known"),
        ),
        _org_fk("data_exports"),
        _employee_fk("data_exports"),
        _user_fk("data_exports", "requested_by", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_exports")),
    )
    op.create_index(
        "ix_data_exports_org_id_employee_id",
        "data_exports",
        ["org_id", "employee_id", "requested_at"],
    )
    op.create_index("ix_data_exports_org_id_expires_at", "data_exports", ["org_id", "expires_at"])
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
    op.drop_index("ix_data_exports_org_id_expires_at", table_name="data_exports")
    op.drop_index("ix_data_exports_org_id_employee_id", table_name="data_exports")
    op.drop_table("data_exports")
    op.drop_index("uq_privacy_policies_org_id", table_name="privacy_policies")
    op.drop_table("privacy_policies")
    op.drop_index("ix_privacy_requests_org_id_created_at", table_name="privacy_requests")
    op.drop_index("ix_privacy_requests_org_id_employee_id", table_name="privacy_requests")
    op.drop_table("privacy_requests")
    op.drop_index("uq_consents_org_id_employee_id_text_id_in_force", table_name="consents")
    op.drop_index("ix_consents_org_id_employee_id_purpose", table_name="consents")
    op.drop_table("consents")
    op.drop_index("uq_consent_texts_org_id_purpose_version", table_name="consent_texts")
    op.drop_table("consent_texts")

"""Every revision of every template kind, kept in one table (`core.templates`).

The current revision of each review form and program template is copied in; revisions
before this migration were never stored and cannot be recovered (the processes that run on
them keep their own copies). The API role may add revisions, never change or delete one.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "hrcore_app"

# Each kind's current revision with the content it writes (`_content` in reviews/templates.py
# and programs/templates.py).
BACKFILL = (
    "INSERT INTO template_revisions (org_id, kind, template_id, revision, content, created_at) "
    "SELECT org_id, 'review_template', id, revision, jsonb_build_object('name', name, "
    "'indicators', indicators, 'kind_weights', kind_weights, "
    "'department_overrides', department_overrides), updated_at FROM review_templates",
    "INSERT INTO template_revisions (org_id, kind, template_id, revision, content, created_at) "
    "SELECT org_id, 'program_template', id, revision, jsonb_build_object('name', name, "
    "'description', description, 'stages', stages, "
    "'department_variants', department_variants), updated_at FROM program_templates",
)


def upgrade() -> None:
    op.create_table(
        "template_revisions",
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("template_id", sa.UUID(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_template_revisions_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "org_id", "kind", "template_id", "revision", name=op.f("pk_template_revisions")
        ),
    )
    for statement in BACKFILL:
        op.execute(statement)
    op.execute("ALTER TABLE template_revisions ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE template_revisions FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON template_revisions "
        "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
        "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
    )
    op.execute(f"REVOKE UPDATE, DELETE ON template_revisions FROM {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP POLICY IF EXISTS tenant_isolation ON template_revisions")
    op.drop_table("template_revisions")

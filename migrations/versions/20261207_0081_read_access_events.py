"""The read-access log (issue 25): who read whose sensitive or evaluation data, when,
through which operation and for which purpose. Under the tenant policy, append-only for the
application role (no UPDATE or DELETE), indexed by time, by subject and by reader.

Revision ID: 0081
Revises: 0080
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0081"
down_revision: str | None = "0080"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "hrcore_app"
TABLE = "read_access_events"
INDEXES = {
    "ix_read_access_events_org_time": ["org_id", "occurred_at", "id"],
    "ix_read_access_events_org_subject": ["org_id", "subject_employee_id", "occurred_at", "id"],
    "ix_read_access_events_org_actor": ["org_id", "actor_id", "occurred_at", "id"],
}


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("subject_employee_id", sa.UUID(), nullable=False),
        sa.Column("data_class", sa.String(length=16), nullable=False),
        sa.Column("what", sa.String(length=100), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column("masked", sa.Boolean(), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "actor_kind IN ('user', 'api_key')", name=op.f("ck_read_access_events_actor_kind_known")
        ),
        sa.CheckConstraint(
            "data_class IN ('basic', 'contact', 'sensitive', 'evaluation')",
            name=op.f("ck_read_access_events_data_class_known"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_read_access_events_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_read_access_events")),
    )
    for name, columns in INDEXES.items():
        op.create_index(name, TABLE, columns)
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {TABLE} "
        "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
        "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
    )
    op.execute(f"REVOKE UPDATE, DELETE ON {TABLE} FROM {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {TABLE}")
    for name in INDEXES:
        op.drop_index(name, table_name=TABLE)
    op.drop_table(TABLE)

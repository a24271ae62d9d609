"""Tasks as DingTalk to-dos: one row per task sent to DingTalk, what hrcore wants it to show
and what it shows, with its delivery log columns, under the tenant policy.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0042"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "task_todos"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("task_id", sa.UUID(), nullable=False),
        sa.Column("dingtalk_user_id", sa.String(length=64), nullable=False),
        sa.Column("union_id", sa.String(length=64), nullable=True),
        sa.Column("todo_id", sa.String(length=128), nullable=True),
        sa.Column("wanted", sa.String(length=16), nullable=False),
        sa.Column("synced", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name=op.f("ck_task_todos_status")
        ),
        sa.CheckConstraint(
            "wanted IN ('open', 'done', 'deleted')", name=op.f("ck_task_todos_wanted")
        ),
        sa.CheckConstraint(
            "synced IN ('none', 'open', 'done', 'deleted')", name=op.f("ck_task_todos_synced")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_task_todos_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_task_todos_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_todos")),
        sa.UniqueConstraint("org_id", "task_id", name=op.f("uq_task_todos_org_id_task_id")),
        sa.UniqueConstraint("org_id", "todo_id", name=op.f("uq_task_todos_org_id_todo_id")),
    )
    op.create_index("ix_task_todos_org_id_id", TABLE, ["org_id", "id"], unique=False)
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {TABLE} "
        "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
        "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
    )


def downgrade() -> None:
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {TABLE}")
    op.drop_index("ix_task_todos_org_id_id", table_name=TABLE)
    op.drop_table(TABLE)

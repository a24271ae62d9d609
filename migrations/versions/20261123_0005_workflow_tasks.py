"""workflow tasks: tasks, task actions (sweep idempotency keys), policy defaults

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 22:08:55.643701
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("task_policy_defaults", "tasks", "task_actions")


def upgrade() -> None:
    op.create_table(
        "task_policy_defaults",
        sa.Column("reminder", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("escalation", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            name=op.f("fk_task_policy_defaults_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_policy_defaults")),
        sa.UniqueConstraint("org_id", name=op.f("uq_task_policy_defaults_org_id")),
    )
    op.create_index(
        op.f("ix_task_policy_defaults_org_id"), "task_policy_defaults", ["org_id"], unique=False
    )
    op.create_table(
        "tasks",
        sa.Column("subject_type", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("assignee_employee_id", sa.UUID(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.UUID(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submission_required", sa.Boolean(), nullable=False),
        sa.Column("submission", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("policy", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("schedule", sa.Integer(), nullable=False),
        sa.Column("handled_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_action_at", sa.DateTime(timezone=True), nullable=True),
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
            "status IN ('open', 'completed', 'cancelled')", name=op.f("ck_tasks_status")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_employee_id"],
            ["employees.id"],
            name=op.f("fk_tasks_assignee_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_tasks_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_tasks_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_index(
        "ix_tasks_next_action",
        "tasks",
        ["org_id", "next_action_at"],
        unique=False,
        postgresql_where=sa.text("status = 'open' AND next_action_at IS NOT NULL"),
    )
    op.create_index(
        "ix_tasks_org_assignee_due",
        "tasks",
        ["org_id", "assignee_employee_id", "due_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_tasks_org_department_due",
        "tasks",
        ["org_id", "department_id", "due_at", "id"],
        unique=False,
    )
    op.create_index("ix_tasks_org_due", "tasks", ["org_id", "due_at", "id"], unique=False)
    op.create_index(op.f("ix_tasks_org_id"), "tasks", ["org_id"], unique=False)
    op.create_index(
        "ix_tasks_org_subject", "tasks", ["org_id", "subject_type", "subject_id"], unique=False
    )
    op.create_table(
        "task_actions",
        sa.Column("task_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("window", sa.String(length=64), nullable=False),
        sa.Column("window_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("performed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_task_actions_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_task_actions_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_actions")),
        sa.UniqueConstraint(
            "org_id",
            "task_id",
            "kind",
            "window",
            name=op.f("uq_task_actions_org_id_task_id_kind_window"),
        ),
    )
    op.create_index(op.f("ix_task_actions_org_id"), "task_actions", ["org_id"], unique=False)

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
    op.drop_index(op.f("ix_task_actions_org_id"), table_name="task_actions")
    op.drop_table("task_actions")
    op.drop_index("ix_tasks_org_subject", table_name="tasks")
    op.drop_index(op.f("ix_tasks_org_id"), table_name="tasks")
    op.drop_index("ix_tasks_org_due", table_name="tasks")
    op.drop_index("ix_tasks_org_department_due", table_name="tasks")
    op.drop_index("ix_tasks_org_assignee_due", table_name="tasks")
    op.drop_index(
        "ix_tasks_next_action",
        table_name="tasks",
        postgresql_where=sa.text("status = 'open' AND next_action_at IS NOT NULL"),
    )
    op.drop_table("tasks")
    op.drop_index(op.f("ix_task_policy_defaults_org_id"), table_name="task_policy_defaults")
    op.drop_table("task_policy_defaults")

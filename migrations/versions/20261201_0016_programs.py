"""programs: templates, runs, participants, their stages and stage tasks

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-01 02:49:43.714117
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = (
    "program_templates",
    "program_runs",
    "program_participants",
    "program_participant_stages",
    "program_stage_tasks",
)


def upgrade() -> None:
    op.create_table(
        "program_templates",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("stages", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("department_variants", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
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
            name=op.f("fk_program_templates_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_templates")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_program_templates_org_id_name")),
    )
    op.create_index(
        op.f("ix_program_templates_org_id"), "program_templates", ["org_id"], unique=False
    )
    op.create_index(
        "ix_program_templates_org_id_id", "program_templates", ["org_id", "id"], unique=False
    )
    op.create_table(
        "program_runs",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("template_id", sa.UUID(), nullable=False),
        sa.Column("pool_id", sa.UUID(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("template_revision", sa.Integer(), nullable=True),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.CheckConstraint("status IN ('draft', 'running')", name=op.f("ck_program_runs_status")),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_program_runs_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"],
            ["talent_pools.id"],
            name=op.f("fk_program_runs_pool_id_talent_pools"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["program_templates.id"],
            name=op.f("fk_program_runs_template_id_program_templates"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_runs")),
    )
    op.create_index(op.f("ix_program_runs_org_id"), "program_runs", ["org_id"], unique=False)
    op.create_index("ix_program_runs_org_id_id", "program_runs", ["org_id", "id"], unique=False)
    op.create_table(
        "program_participants",
        sa.Column("run_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("current_position", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
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
            "outcome IS NULL OR outcome IN ('appoint_when_open', 'continue', 'extend', 'remove')",
            name=op.f("ck_program_participants_outcome"),
        ),
        sa.CheckConstraint(
            "status IN ('enrolled', 'active', 'completed', 'withdrawn')",
            name=op.f("ck_program_participants_status"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_program_participants_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_program_participants_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_program_participants_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["program_runs.id"],
            name=op.f("fk_program_participants_run_id_program_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_participants")),
        sa.UniqueConstraint(
            "org_id",
            "run_id",
            "employee_id",
            name=op.f("uq_program_participants_org_id_run_id_employee_id"),
        ),
    )
    op.create_index(
        "ix_program_participants_org_employee",
        "program_participants",
        ["org_id", "employee_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_program_participants_org_id"), "program_participants", ["org_id"], unique=False
    )
    op.create_index(
        "ix_program_participants_org_run_id",
        "program_participants",
        ["org_id", "run_id", "id"],
        unique=False,
    )
    op.create_table(
        "program_participant_stages",
        sa.Column("run_id", sa.UUID(), nullable=False),
        sa.Column("participant_id", sa.UUID(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("config", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("review_cycle_id", sa.UUID(), nullable=True),
        sa.Column("decision", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
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
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'open', 'completed', 'cancelled')",
            name=op.f("ck_program_participant_stages_status"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_program_participant_stages_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_program_participant_stages_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["program_participants.id"],
            name=op.f("fk_program_participant_stages_participant_id_program_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_cycle_id"],
            ["review_cycles.id"],
            name=op.f("fk_program_participant_stages_review_cycle_id_review_cycles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["program_runs.id"],
            name=op.f("fk_program_participant_stages_run_id_program_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_participant_stages")),
        sa.UniqueConstraint(
            "org_id",
            "participant_id",
            "position",
            name=op.f("uq_program_participant_stages_org_id_participant_id_position"),
        ),
    )
    op.create_index(
        op.f("ix_program_participant_stages_org_id"),
        "program_participant_stages",
        ["org_id"],
        unique=False,
    )
    op.create_index(
        "ix_program_participant_stages_org_run",
        "program_participant_stages",
        ["org_id", "run_id", "position"],
        unique=False,
    )
    op.create_table(
        "program_stage_tasks",
        sa.Column("stage_id", sa.UUID(), nullable=False),
        sa.Column("task_id", sa.UUID(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_program_stage_tasks_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["program_participant_stages.id"],
            name=op.f("fk_program_stage_tasks_stage_id_program_participant_stages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_program_stage_tasks_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_stage_tasks")),
        sa.UniqueConstraint(
            "org_id", "task_id", name=op.f("uq_program_stage_tasks_org_id_task_id")
        ),
    )
    op.create_index(
        op.f("ix_program_stage_tasks_org_id"), "program_stage_tasks", ["org_id"], unique=False
    )
    op.create_index(
        "ix_program_stage_tasks_org_stage",
        "program_stage_tasks",
        ["org_id", "stage_id"],
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
    op.drop_index("ix_program_stage_tasks_org_stage", table_name="program_stage_tasks")
    op.drop_index(op.f("ix_program_stage_tasks_org_id"), table_name="program_stage_tasks")
    op.drop_table("program_stage_tasks")
    op.drop_index("ix_program_participant_stages_org_run", table_name="program_participant_stages")
    op.drop_index(
        op.f("ix_program_participant_stages_org_id"), table_name="program_participant_stages"
    )
    op.drop_table("program_participant_stages")
    op.drop_index("ix_program_participants_org_run_id", table_name="program_participants")
    op.drop_index(op.f("ix_program_participants_org_id"), table_name="program_participants")
    op.drop_index("ix_program_participants_org_employee", table_name="program_participants")
    op.drop_table("program_participants")
    op.drop_index("ix_program_runs_org_id_id", table_name="program_runs")
    op.drop_index(op.f("ix_program_runs_org_id"), table_name="program_runs")
    op.drop_table("program_runs")
    op.drop_index("ix_program_templates_org_id_id", table_name="program_templates")
    op.drop_index(op.f("ix_program_templates_org_id"), table_name="program_templates")
    op.drop_table("program_templates")

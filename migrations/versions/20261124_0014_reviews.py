"""reviews: templates, cycles, participants, rater assignments, results

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 01:11:31.831375
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = (
    "review_templates",
    "review_cycles",
    "review_participants",
    "review_assignments",
    "review_results",
)


def upgrade() -> None:
    op.create_table(
        "review_templates",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("indicators", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("kind_weights", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("department_overrides", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            name=op.f("fk_review_templates_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_templates")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_review_templates_org_id_name")),
    )
    op.create_index(
        op.f("ix_review_templates_org_id"), "review_templates", ["org_id"], unique=False
    )
    op.create_index(
        "ix_review_templates_org_id_id", "review_templates", ["org_id", "id"], unique=False
    )
    op.create_table(
        "review_cycles",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("template_id", sa.UUID(), nullable=False),
        sa.Column("template_revision", sa.Integer(), nullable=False),
        sa.Column("form", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("relationship_weights", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
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
            "kind IN ('mid_year', 'year_end', 'campaign_360', 'program_stage')",
            name=op.f("ck_review_cycles_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'open', 'closed', 'aggregated')",
            name=op.f("ck_review_cycles_status"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_review_cycles_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["review_templates.id"],
            name=op.f("fk_review_cycles_template_id_review_templates"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cycles")),
    )
    op.create_index(op.f("ix_review_cycles_org_id"), "review_cycles", ["org_id"], unique=False)
    op.create_index("ix_review_cycles_org_id_id", "review_cycles", ["org_id", "id"], unique=False)
    op.create_table(
        "review_participants",
        sa.Column("cycle_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["review_cycles.id"],
            name=op.f("fk_review_participants_cycle_id_review_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_review_participants_department_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_review_participants_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_review_participants_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_participants")),
        sa.UniqueConstraint(
            "org_id",
            "cycle_id",
            "employee_id",
            name=op.f("uq_review_participants_org_id_cycle_id_employee_id"),
        ),
    )
    op.create_index(
        "ix_review_participants_org_cycle_id",
        "review_participants",
        ["org_id", "cycle_id", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_review_participants_org_id"), "review_participants", ["org_id"], unique=False
    )
    op.create_table(
        "review_assignments",
        sa.Column("cycle_id", sa.UUID(), nullable=False),
        sa.Column("participant_id", sa.UUID(), nullable=False),
        sa.Column("rater_employee_id", sa.UUID(), nullable=False),
        sa.Column("relationship", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("answers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("task_id", sa.UUID(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
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
            "relationship IN ('self', 'supervisor', 'peer', 'subordinate')",
            name=op.f("ck_review_assignments_relationship"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'draft', 'submitted')", name=op.f("ck_review_assignments_status")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["review_cycles.id"],
            name=op.f("fk_review_assignments_cycle_id_review_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_review_assignments_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["review_participants.id"],
            name=op.f("fk_review_assignments_participant_id_review_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rater_employee_id"],
            ["employees.id"],
            name=op.f("fk_review_assignments_rater_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_assignments")),
        sa.UniqueConstraint(
            "org_id",
            "participant_id",
            "rater_employee_id",
            "relationship",
            name=op.f("uq_review_assignments_org_id_participant_id_rater_employee_id_relationship"),
        ),
    )
    op.create_index(
        "ix_review_assignments_org_cycle",
        "review_assignments",
        ["org_id", "cycle_id", "participant_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_review_assignments_org_id"), "review_assignments", ["org_id"], unique=False
    )
    op.create_index(
        "ix_review_assignments_org_rater",
        "review_assignments",
        ["org_id", "rater_employee_id", "id"],
        unique=False,
    )
    op.create_table(
        "review_results",
        sa.Column("cycle_id", sa.UUID(), nullable=False),
        sa.Column("participant_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("overall", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("scores", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("comments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("adjusted_overall", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("adjustments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recommendation", sa.String(length=32), nullable=True),
        sa.Column("recommended_by", sa.UUID(), nullable=True),
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
            "recommendation IS NULL OR recommendation IN "
            "('promote', 'continue_development', 'reassess_next_cycle')",
            name=op.f("ck_review_results_recommendation"),
        ),
        sa.CheckConstraint(
            "status IN ('computed', 'published')", name=op.f("ck_review_results_status")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["review_cycles.id"],
            name=op.f("fk_review_results_cycle_id_review_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_review_results_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_review_results_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["review_participants.id"],
            name=op.f("fk_review_results_participant_id_review_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_results")),
        sa.UniqueConstraint(
            "org_id", "participant_id", name=op.f("uq_review_results_org_id_participant_id")
        ),
    )
    op.create_index(
        "ix_review_results_org_cycle_id",
        "review_results",
        ["org_id", "cycle_id", "id"],
        unique=False,
    )
    op.create_index(
        "ix_review_results_org_employee", "review_results", ["org_id", "employee_id"], unique=False
    )
    op.create_index(op.f("ix_review_results_org_id"), "review_results", ["org_id"], unique=False)
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
    op.drop_index(op.f("ix_review_results_org_id"), table_name="review_results")
    op.drop_index("ix_review_results_org_employee", table_name="review_results")
    op.drop_index("ix_review_results_org_cycle_id", table_name="review_results")
    op.drop_table("review_results")
    op.drop_index("ix_review_assignments_org_rater", table_name="review_assignments")
    op.drop_index(op.f("ix_review_assignments_org_id"), table_name="review_assignments")
    op.drop_index("ix_review_assignments_org_cycle", table_name="review_assignments")
    op.drop_table("review_assignments")
    op.drop_index(op.f("ix_review_participants_org_id"), table_name="review_participants")
    op.drop_index("ix_review_participants_org_cycle_id", table_name="review_participants")
    op.drop_table("review_participants")
    op.drop_index("ix_review_cycles_org_id_id", table_name="review_cycles")
    op.drop_index(op.f("ix_review_cycles_org_id"), table_name="review_cycles")
    op.drop_table("review_cycles")
    op.drop_index("ix_review_templates_org_id_id", table_name="review_templates")
    op.drop_index(op.f("ix_review_templates_org_id"), table_name="review_templates")
    op.drop_table("review_templates")

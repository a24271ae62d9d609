"""Points-based training: courses, sessions, enrolments, action plans, point rules and
settings, the append-only points ledger (a trigger refuses UPDATE and DELETE; the partial
unique index allows one award per employee, rule and source) and per-period balances. Every
table under the tenant policy.

Revision ID: 0074
Revises: 0073
Create Date: 2026-12-07 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0074"
down_revision: str | None = "0073"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "point_rules",
    "training_courses",
    "training_settings",
    "points_balances",
    "training_sessions",
    "points_ledger",
    "training_enrolments",
    "training_action_plans",
)


def upgrade() -> None:
    op.create_table(
        "point_rules",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
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
            "category IN ('participation', 'outcome', 'sharing')",
            name=op.f("ck_point_rules_category_known"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_point_rules_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_point_rules")),
    )
    op.create_index("ix_point_rules_org_id_id", "point_rules", ["org_id", "id"], unique=False)
    op.create_index("uq_point_rules_org_id_code", "point_rules", ["org_id", "code"], unique=True)
    op.create_table(
        "training_courses",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("hours", sa.Numeric(precision=6, scale=1), nullable=False),
        sa.Column("points", sa.Integer(), nullable=True),
        sa.Column("fee", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column(
            "competency_ids",
            postgresql.ARRAY(sa.UUID()),
            server_default=sa.text("'{}'"),
            nullable=False,
        ),
        sa.Column("modules", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("completion_threshold", sa.SmallInteger(), nullable=False),
        sa.Column("pass_mark", sa.SmallInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
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
            "mode IN ('online', 'offline')", name=op.f("ck_training_courses_mode_known")
        ),
        sa.CheckConstraint(
            "completion_threshold BETWEEN 1 AND 100",
            name=op.f("ck_training_courses_completion_threshold_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_training_courses_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_courses")),
    )
    op.create_index(
        "ix_training_courses_competency_ids",
        "training_courses",
        ["competency_ids"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        "ix_training_courses_org_id_id", "training_courses", ["org_id", "id"], unique=False
    )
    op.create_index(
        "uq_training_courses_org_id_name", "training_courses", ["org_id", "name"], unique=True
    )
    op.create_table(
        "training_settings",
        sa.Column("category_weights", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("badge_thresholds", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
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
            name=op.f("fk_training_settings_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_settings")),
    )
    op.create_index("uq_training_settings_org_id", "training_settings", ["org_id"], unique=True)
    op.create_table(
        "points_balances",
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("participation", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.Integer(), nullable=False),
        sa.Column("sharing", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_points_balances_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_points_balances_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "period", "employee_id", name=op.f("pk_points_balances")),
    )
    op.create_index(
        "ix_points_balances_leaderboard",
        "points_balances",
        ["org_id", "period", sa.literal_column("total DESC"), "employee_id"],
        unique=False,
    )
    op.create_table(
        "training_sessions",
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("instructor_id", sa.UUID(), nullable=True),
        sa.Column("instructor_allowance", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("late_grace_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
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
            "status IN ('scheduled', 'completed', 'cancelled')",
            name=op.f("ck_training_sessions_status_known"),
        ),
        sa.CheckConstraint("capacity > 0", name=op.f("ck_training_sessions_capacity_positive")),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_training_sessions_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_sessions_course_id_training_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["instructor_id"],
            ["employees.id"],
            name=op.f("fk_training_sessions_instructor_id_employees"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_training_sessions_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_sessions")),
    )
    op.create_index(
        "ix_training_sessions_org_id_course",
        "training_sessions",
        ["org_id", "course_id"],
        unique=False,
    )
    op.create_index(
        "ix_training_sessions_org_id_id", "training_sessions", ["org_id", "id"], unique=False
    )
    op.create_index(
        "ix_training_sessions_org_id_starts_at",
        "training_sessions",
        ["org_id", "starts_at"],
        unique=False,
    )
    op.create_table(
        "points_ledger",
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("rule_id", sa.UUID(), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("source_type", sa.String(length=32), nullable=False),
        sa.Column("source_id", sa.UUID(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("corrects_id", sa.UUID(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.UUID(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.CheckConstraint(
            "category IN ('participation', 'outcome', 'sharing')",
            name=op.f("ck_points_ledger_category_known"),
        ),
        sa.CheckConstraint(
            "(rule_id IS NOT NULL AND corrects_id IS NULL) "
            "OR (rule_id IS NULL AND reason IS NOT NULL)",
            name=op.f("ck_points_ledger_award_or_reasoned_correction"),
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["points_ledger.id"],
            name=op.f("fk_points_ledger_corrects_id_points_ledger"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_points_ledger_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_points_ledger_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["users.id"],
            name=op.f("fk_points_ledger_recorded_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["point_rules.id"],
            name=op.f("fk_points_ledger_rule_id_point_rules"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_points_ledger")),
    )
    op.create_index(
        "ix_points_ledger_org_id_employee",
        "points_ledger",
        ["org_id", "employee_id", "occurred_at"],
        unique=False,
    )
    op.create_index(
        "ix_points_ledger_org_id_occurred_at",
        "points_ledger",
        ["org_id", "occurred_at"],
        unique=False,
    )
    op.create_index(
        "uq_points_ledger_award",
        "points_ledger",
        ["org_id", "employee_id", "rule_id", "source_type", "source_id"],
        unique=True,
        postgresql_where=sa.text("rule_id IS NOT NULL"),
    )
    op.create_table(
        "training_enrolments",
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("session_id", sa.UUID(), nullable=True),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("enrolled_by", sa.UUID(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("check_in_method", sa.String(length=16), nullable=True),
        sa.Column("completed_modules", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("progress_percent", sa.SmallInteger(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("exam_score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("passed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_task_id", sa.UUID(), nullable=True),
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
            "check_in_method IS NULL OR check_in_method IN ('qr', 'manual')",
            name=op.f("ck_training_enrolments_check_in_method_known"),
        ),
        sa.CheckConstraint(
            "source IN ('self', 'manager', 'hr', 'needs')",
            name=op.f("ck_training_enrolments_source_known"),
        ),
        sa.CheckConstraint(
            "status IN ('enrolled', 'waitlisted', 'cancelled', 'completed')",
            name=op.f("ck_training_enrolments_status_known"),
        ),
        sa.CheckConstraint(
            "progress_percent BETWEEN 0 AND 100",
            name=op.f("ck_training_enrolments_progress_percent_range"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_enrolments_course_id_training_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_training_enrolments_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrolled_by"],
            ["users.id"],
            name=op.f("fk_training_enrolments_enrolled_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_training_enrolments_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reminder_task_id"],
            ["tasks.id"],
            name=op.f("fk_training_enrolments_reminder_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["training_sessions.id"],
            name=op.f("fk_training_enrolments_session_id_training_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_enrolments")),
    )
    op.create_index(
        "ix_training_enrolments_org_id_course",
        "training_enrolments",
        ["org_id", "course_id"],
        unique=False,
    )
    op.create_index(
        "ix_training_enrolments_org_id_employee",
        "training_enrolments",
        ["org_id", "employee_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_training_enrolments_org_id_id", "training_enrolments", ["org_id", "id"], unique=False
    )
    op.create_index(
        "ix_training_enrolments_org_id_session",
        "training_enrolments",
        ["org_id", "session_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "uq_training_enrolments_live_online",
        "training_enrolments",
        ["org_id", "course_id", "employee_id"],
        unique=True,
        postgresql_where=sa.text("session_id IS NULL AND status <> 'cancelled'"),
    )
    op.create_index(
        "uq_training_enrolments_live_session",
        "training_enrolments",
        ["org_id", "session_id", "employee_id"],
        unique=True,
        postgresql_where=sa.text("session_id IS NOT NULL AND status <> 'cancelled'"),
    )
    op.create_table(
        "training_action_plans",
        sa.Column("enrolment_id", sa.UUID(), nullable=False),
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("task_id", sa.UUID(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hr_score", sa.SmallInteger(), nullable=True),
        sa.Column("hr_scored_by", sa.UUID(), nullable=True),
        sa.Column("manager_score", sa.SmallInteger(), nullable=True),
        sa.Column("manager_scored_by", sa.UUID(), nullable=True),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("adopted_by", sa.UUID(), nullable=True),
        sa.Column("adoption_note", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
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
            "status IN ('open', 'submitted', 'scored')",
            name=op.f("ck_training_action_plans_status_known"),
        ),
        sa.CheckConstraint(
            "hr_score IS NULL OR hr_score BETWEEN 0 AND 100",
            name=op.f("ck_training_action_plans_hr_score_range"),
        ),
        sa.CheckConstraint(
            "manager_score IS NULL OR manager_score BETWEEN 0 AND 100",
            name=op.f("ck_training_action_plans_manager_score_range"),
        ),
        sa.ForeignKeyConstraint(
            ["adopted_by"],
            ["users.id"],
            name=op.f("fk_training_action_plans_adopted_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["training_courses.id"],
            name=op.f("fk_training_action_plans_course_id_training_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_training_action_plans_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["training_enrolments.id"],
            name=op.f("fk_training_action_plans_enrolment_id_training_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["hr_scored_by"],
            ["users.id"],
            name=op.f("fk_training_action_plans_hr_scored_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["manager_scored_by"],
            ["users.id"],
            name=op.f("fk_training_action_plans_manager_scored_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_training_action_plans_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_training_action_plans_task_id_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_action_plans")),
    )
    op.create_index(
        "ix_training_action_plans_org_id_course",
        "training_action_plans",
        ["org_id", "course_id"],
        unique=False,
    )
    op.create_index(
        "ix_training_action_plans_org_id_employee",
        "training_action_plans",
        ["org_id", "employee_id"],
        unique=False,
    )
    op.create_index(
        "ix_training_action_plans_org_id_id",
        "training_action_plans",
        ["org_id", "id"],
        unique=False,
    )
    op.create_index(
        "uq_training_action_plans_enrolment",
        "training_action_plans",
        ["org_id", "enrolment_id"],
        unique=True,
    )
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
            "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
        )
    op.execute(
        "CREATE FUNCTION points_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'points_ledger is append-only: correct with a compensating entry' "
        "USING ERRCODE = 'restrict_violation'; END $$"
    )
    op.execute(
        "CREATE TRIGGER points_ledger_append_only BEFORE UPDATE OR DELETE ON points_ledger "
        "FOR EACH ROW EXECUTE FUNCTION points_ledger_append_only()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS points_ledger_append_only ON points_ledger")
    op.execute("DROP FUNCTION IF EXISTS points_ledger_append_only()")
    for table in TABLES:
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.drop_index("uq_training_action_plans_enrolment", table_name="training_action_plans")
    op.drop_index("ix_training_action_plans_org_id_id", table_name="training_action_plans")
    op.drop_index("ix_training_action_plans_org_id_employee", table_name="training_action_plans")
    op.drop_index("ix_training_action_plans_org_id_course", table_name="training_action_plans")
    op.drop_table("training_action_plans")
    op.drop_index(
        "uq_training_enrolments_live_session",
        table_name="training_enrolments",
        postgresql_where=sa.text("session_id IS NOT NULL AND status <> 'cancelled'"),
    )
    op.drop_index(
        "uq_training_enrolments_live_online",
        table_name="training_enrolments",
        postgresql_where=sa.text("session_id IS NULL AND status <> 'cancelled'"),
    )
    op.drop_index("ix_training_enrolments_org_id_session", table_name="training_enrolments")
    op.drop_index("ix_training_enrolments_org_id_id", table_name="training_enrolments")
    op.drop_index("ix_training_enrolments_org_id_employee", table_name="training_enrolments")
    op.drop_index("ix_training_enrolments_org_id_course", table_name="training_enrolments")
    op.drop_table("training_enrolments")
    op.drop_index(
        "uq_points_ledger_award",
        table_name="points_ledger",
        postgresql_where=sa.text("rule_id IS NOT NULL"),
    )
    op.drop_index("ix_points_ledger_org_id_occurred_at", table_name="points_ledger")
    op.drop_index("ix_points_ledger_org_id_employee", table_name="points_ledger")
    op.drop_table("points_ledger")
    op.drop_index("ix_training_sessions_org_id_starts_at", table_name="training_sessions")
    op.drop_index("ix_training_sessions_org_id_id", table_name="training_sessions")
    op.drop_index("ix_training_sessions_org_id_course", table_name="training_sessions")
    op.drop_table("training_sessions")
    op.drop_index("ix_points_balances_leaderboard", table_name="points_balances")
    op.drop_table("points_balances")
    op.drop_index("uq_training_settings_org_id", table_name="training_settings")
    op.drop_table("training_settings")
    op.drop_index("uq_training_courses_org_id_name", table_name="training_courses")
    op.drop_index("ix_training_courses_org_id_id", table_name="training_courses")
    op.drop_index(
        "ix_training_courses_competency_ids", table_name="training_courses", postgresql_using="gin"
    )
    op.drop_table("training_courses")
    op.drop_index("uq_point_rules_org_id_code", table_name="point_rules")
    op.drop_index("ix_point_rules_org_id_id", table_name="point_rules")
    op.drop_table("point_rules")

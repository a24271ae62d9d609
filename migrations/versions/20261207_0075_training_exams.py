"""Training exams: a course's question bank and the employees' attempts (the questions dealt,
the answers, the score), under the tenant policy.

Revision ID: 0075
Revises: 0074
Create Date: 2026-12-07 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0075"
down_revision: str | None = "0074"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("training_exam_questions", "training_exam_attempts")


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


def _belongs(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "training_exam_questions",
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("options", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("answer", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("points", sa.SmallInteger(), nullable=False),
        *_entity_columns(),
        sa.CheckConstraint(
            "kind IN ('single_choice', 'multiple_choice', 'true_false')",
            name=op.f("ck_training_exam_questions_kind_known"),
        ),
        sa.CheckConstraint(
            "points BETWEEN 1 AND 100", name=op.f("ck_training_exam_questions_points_range")
        ),
        _belongs("training_exam_questions", "course_id", "training_courses", "CASCADE"),
        _belongs("training_exam_questions", "org_id", "organizations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_exam_questions")),
    )
    op.create_index(
        "ix_training_exam_questions_org_id_id", "training_exam_questions", ["org_id", "id"]
    )
    op.create_index(
        "ix_training_exam_questions_org_id_course",
        "training_exam_questions",
        ["org_id", "course_id", "created_at", "id"],
    )
    op.create_table(
        "training_exam_attempts",
        sa.Column("course_id", sa.UUID(), nullable=False),
        sa.Column("enrolment_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("questions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("pass_mark", sa.SmallInteger(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        *_entity_columns(),
        sa.CheckConstraint("number >= 1", name=op.f("ck_training_exam_attempts_number_positive")),
        sa.CheckConstraint(
            "score IS NULL OR score BETWEEN 0 AND 100",
            name=op.f("ck_training_exam_attempts_score_percent"),
        ),
        sa.CheckConstraint(
            "(submitted_at IS NULL) = (score IS NULL AND passed IS NULL)",
            name=op.f("ck_training_exam_attempts_scored_when_submitted"),
        ),
        _belongs("training_exam_attempts", "course_id", "training_courses", "CASCADE"),
        _belongs("training_exam_attempts", "enrolment_id", "training_enrolments", "CASCADE"),
        _belongs("training_exam_attempts", "employee_id", "employees", "CASCADE"),
        _belongs("training_exam_attempts", "org_id", "organizations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_exam_attempts")),
    )
    op.create_index(
        "ix_training_exam_attempts_org_id_id", "training_exam_attempts", ["org_id", "id"]
    )
    op.create_index(
        "uq_training_exam_attempts_number",
        "training_exam_attempts",
        ["org_id", "course_id", "employee_id", "number"],
        unique=True,
    )
    op.create_index(
        "ix_training_exam_attempts_org_id_employee",
        "training_exam_attempts",
        ["org_id", "employee_id", "started_at", "id"],
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
    op.drop_index("ix_training_exam_attempts_org_id_employee", table_name="training_exam_attempts")
    op.drop_index("uq_training_exam_attempts_number", table_name="training_exam_attempts")
    op.drop_index("ix_training_exam_attempts_org_id_id", table_name="training_exam_attempts")
    op.drop_table("training_exam_attempts")
    op.drop_index("ix_training_exam_questions_org_id_course", table_name="training_exam_questions")
    op.drop_index("ix_training_exam_questions_org_id_id", table_name="training_exam_questions")
    op.drop_table("training_exam_questions")

"""Continuous feedback: 1:1 check-ins 「一对一面谈」 (shared notes, each participant's private
note, action items that are workflow tasks) and feedback / praise 「反馈 / 表扬」 between
colleagues. Every table is under the tenant policy.

Revision ID: 0058
Revises: 0057
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import SchemaItem

revision: str = "0058"
down_revision: str | None = "0057"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("check_ins", "check_in_private_notes", "check_in_action_items", "feedback")


def _org(table: str) -> list[SchemaItem]:
    return [
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f(f"fk_{table}_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _employee(table: str, column: str) -> list[SchemaItem]:
    return [
        sa.Column(column, sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            [column],
            ["employees.id"],
            name=op.f(f"fk_{table}_{column}_employees"),
            ondelete="CASCADE",
        ),
    ]


def _check_in(table: str) -> list[SchemaItem]:
    return [
        sa.Column("check_in_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["check_in_id"],
            ["check_ins.id"],
            name=op.f(f"fk_{table}_check_in_id_check_ins"),
            ondelete="CASCADE",
        ),
    ]


def _now(column: str) -> sa.Column[object]:
    return sa.Column(
        column, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "check_ins",
        *_employee("check_ins", "manager_id"),
        *_employee("check_ins", "report_id"),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("agenda", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("shared_notes", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.UUID(), nullable=False),
        _now("created_at"),
        _now("updated_at"),
        sa.Column("version", sa.Integer(), nullable=False),
        *_org("check_ins"),
        sa.CheckConstraint(
            "status IN ('scheduled', 'held', 'cancelled')", name=op.f("ck_check_ins_status")
        ),
        sa.CheckConstraint("manager_id <> report_id", name=op.f("ck_check_ins_two_people")),
    )
    op.create_index("ix_check_ins_manager", "check_ins", ["org_id", "manager_id", "scheduled_at"])
    op.create_index("ix_check_ins_report", "check_ins", ["org_id", "report_id", "scheduled_at"])
    op.create_table(
        "check_in_private_notes",
        *_check_in("check_in_private_notes"),
        *_employee("check_in_private_notes", "author_id"),
        sa.Column("text", sa.Text(), nullable=False),
        _now("updated_at"),
        *_org("check_in_private_notes"),
        sa.UniqueConstraint(
            "org_id",
            "check_in_id",
            "author_id",
            name=op.f("uq_check_in_private_notes_org_id_check_in_id_author_id"),
        ),
    )
    op.create_table(
        "check_in_action_items",
        *_check_in("check_in_action_items"),
        sa.Column("title", sa.String(length=200), nullable=False),
        *_employee("check_in_action_items", "assignee_id"),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("task_id", sa.UUID(), nullable=False),
        _now("created_at"),
        *_org("check_in_action_items"),
    )
    op.create_index(
        "ix_check_in_action_items_check_in", "check_in_action_items", ["org_id", "check_in_id"]
    )
    op.create_table(
        "feedback",
        *_employee("feedback", "giver_id"),
        *_employee("feedback", "receiver_id"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("competency_id", sa.UUID(), nullable=True),
        sa.Column("indicator", sa.String(length=64), nullable=True),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        _now("created_at"),
        *_org("feedback"),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competencies.id"],
            name=op.f("fk_feedback_competency_id_competencies"),
            ondelete="SET NULL",
        ),
        sa.CheckConstraint("kind IN ('praise', 'suggestion')", name=op.f("ck_feedback_kind")),
        sa.CheckConstraint(
            "visibility IN ('private', 'manager', 'public')", name=op.f("ck_feedback_visibility")
        ),
        sa.CheckConstraint("giver_id <> receiver_id", name=op.f("ck_feedback_two_people")),
    )
    op.create_index("ix_feedback_receiver", "feedback", ["org_id", "receiver_id", "created_at"])
    op.create_index("ix_feedback_giver", "feedback", ["org_id", "giver_id", "created_at"])
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
            "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.drop_table(table)

"""Competencies' loose ends: a stretch assignment that is a post (its title and monthly
allowance) records the temporary post of each person put on it (the assignee keeps the
employment event's id); a development plan whose goals were drawn from the employee's gaps
keeps the model version it drew them from (position, the variant's department, version).

Revision ID: 0054
Revises: 0053
Create Date: 2026-12-07 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0054"
down_revision: str | None = "0053"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("stretch_assignments", sa.Column("post_title", sa.String(200), nullable=True))
    op.add_column(
        "stretch_assignments",
        sa.Column("allowance", sa.Numeric(precision=12, scale=2), nullable=True),
    )
    op.create_check_constraint(
        op.f("ck_stretch_assignments_allowance_of_post"),
        "stretch_assignments",
        "allowance IS NULL OR post_title IS NOT NULL",
    )
    op.add_column("stretch_assignees", sa.Column("employment_event_id", sa.UUID(), nullable=True))
    op.add_column("development_plans", sa.Column("model_position_id", sa.UUID(), nullable=True))
    op.add_column("development_plans", sa.Column("model_department_id", sa.UUID(), nullable=True))
    op.add_column("development_plans", sa.Column("model_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("development_plans", "model_version")
    op.drop_column("development_plans", "model_department_id")
    op.drop_column("development_plans", "model_position_id")
    op.drop_column("stretch_assignees", "employment_event_id")
    op.drop_constraint(
        op.f("ck_stretch_assignments_allowance_of_post"), "stretch_assignments", type_="check"
    )
    op.drop_column("stretch_assignments", "allowance")
    op.drop_column("stretch_assignments", "post_title")

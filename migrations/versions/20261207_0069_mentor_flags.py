"""Mentors who stop qualifying are flagged, not dropped: `flagged_at` and the checks that
failed (`flag_checks`), cleared when they qualify again; a partial index serves the
`flagged=true` filter. A program may weigh the terms of its mentor suggestions
(`suggestion_weights`; null: the defaults).

Revision ID: 0069
Revises: 0068
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0069"
down_revision: str | None = "0068"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("mentors", sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "mentors", sa.Column("flag_checks", postgresql.JSONB(astext_type=sa.Text()), nullable=True)
    )
    op.create_index(
        "ix_mentors_flagged",
        "mentors",
        ["org_id", "program_id"],
        postgresql_where=sa.text("flagged_at IS NOT NULL"),
    )
    op.add_column(
        "mentoring_programs",
        sa.Column("suggestion_weights", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("mentoring_programs", "suggestion_weights")
    op.drop_index("ix_mentors_flagged", table_name="mentors")
    op.drop_column("mentors", "flag_checks")
    op.drop_column("mentors", "flagged_at")

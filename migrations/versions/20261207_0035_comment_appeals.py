"""An employee may object to a comment on their result, not only to an indicator's score;
HR may hide the comment from the published result.

An appeal names either an indicator or a comment (`comment_id`, the id the result shows,
derived from what the reviewee sees, never from who wrote it) and keeps the comment as
quoted; one appeal per comment is open at a time. A result keeps the comments HR hid, with
the reason (`hidden_comments`). Downgrading deletes comment appeals (they have no
indicator).

Revision ID: 0035
Revises: 0029
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "review_results",
        sa.Column(
            "hidden_comments",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column("review_appeals", sa.Column("comment_id", sa.UUID(), nullable=True))
    op.add_column("review_appeals", sa.Column("comment", sa.Text(), nullable=True))
    op.alter_column("review_appeals", "indicator_key", existing_type=sa.String(40), nullable=True)
    op.create_check_constraint(
        op.f("ck_review_appeals_subject"),
        "review_appeals",
        "(indicator_key IS NULL) <> (comment_id IS NULL)",
    )
    op.create_index(
        "uq_review_appeals_one_open_per_comment",
        "review_appeals",
        ["org_id", "result_id", "comment_id"],
        unique=True,
        postgresql_where="status IN ('open', 'answered') AND comment_id IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_index(
        "uq_review_appeals_one_open_per_comment",
        table_name="review_appeals",
        postgresql_where="status IN ('open', 'answered') AND comment_id IS NOT NULL",
    )
    op.drop_constraint(op.f("ck_review_appeals_subject"), "review_appeals", type_="check")
    op.execute("DELETE FROM review_appeals WHERE indicator_key IS NULL")
    op.alter_column("review_appeals", "indicator_key", existing_type=sa.String(40), nullable=False)
    op.drop_column("review_appeals", "comment")
    op.drop_column("review_appeals", "comment_id")
    op.drop_column("review_results", "hidden_comments")

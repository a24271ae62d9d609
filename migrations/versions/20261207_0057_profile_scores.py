"""Competency profiles keep their scores beside the explained figures: `scores` is each
figure's competency and score only, so rankings over many people (stretch matching, talent's
vacancy ranking, the heat map) read under 2 KB per person instead of every piece of
evidence behind the figures. Existing snapshots are filled from their figures.

Revision ID: 0057
Revises: 0056
Create Date: 2026-12-07 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0057"
down_revision: str | None = "0056"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "competency_profiles",
        sa.Column("scores", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.execute(
        """
        UPDATE competency_profiles AS profile
           SET scores = (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                    'competency_id', figure -> 'competency_id',
                                    'score', figure -> 'score') ORDER BY ordinality),
                                '[]'::jsonb)
                           FROM jsonb_array_elements(profile.figures) WITH ORDINALITY
                                AS figures(figure, ordinality))
        """
    )
    op.alter_column("competency_profiles", "scores", nullable=False)


def downgrade() -> None:
    op.drop_column("competency_profiles", "scores")

"""An upheld appeal's adjustment keeps the resolution HR typed, not an English sentence
around it: the view says "Appeal upheld: …" in the reader's language.

An adjustment naming an `indicator` is one an upheld appeal made; calibration adjustments
(no indicator) are left as they are.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 04:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        UPDATE review_results SET adjustments = (
            SELECT jsonb_agg(
                CASE WHEN jsonb_typeof(a -> 'indicator') = 'string'
                          AND starts_with(a ->> 'reason', 'Appeal upheld: ')
                     THEN jsonb_set(a, '{reason}', to_jsonb(substr(a ->> 'reason', 16)))
                     ELSE a END
                ORDER BY position)
            FROM jsonb_array_elements(adjustments) WITH ORDINALITY AS t(a, position))
        WHERE jsonb_array_length(adjustments) > 0
        """
    )


def downgrade() -> None:
    op.execute(
        """
        UPDATE review_results SET adjustments = (
            SELECT jsonb_agg(
                CASE WHEN jsonb_typeof(a -> 'indicator') = 'string'
                     THEN jsonb_set(a, '{reason}', to_jsonb('Appeal upheld: ' || (a ->> 'reason')))
                     ELSE a END
                ORDER BY position)
            FROM jsonb_array_elements(adjustments) WITH ORDINALITY AS t(a, position))
        WHERE jsonb_array_length(adjustments) > 0
        """
    )

"""A recommendation carries the reason its author gave: the result shows why, not only
promote / continue development / re-assess.

Recommendations made before have no reason (null).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("review_results", sa.Column("recommendation_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("review_results", "recommendation_reason")

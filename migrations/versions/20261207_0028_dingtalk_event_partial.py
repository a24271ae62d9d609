"""A DingTalk event that applied only some of its ids is `partial`, not `applied`.

Rows stored as `applied` with a note are left as they are: whether anything was applied is
not recorded on them.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 04:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _status_check(values: str) -> None:
    op.drop_constraint(op.f("ck_dingtalk_events_status"), "dingtalk_events", type_="check")
    op.create_check_constraint(
        op.f("ck_dingtalk_events_status"), "dingtalk_events", f"status IN ({values})"
    )


def upgrade() -> None:
    _status_check("'received', 'applied', 'partial', 'ignored', 'failed'")


def downgrade() -> None:
    op.execute("UPDATE dingtalk_events SET status = 'applied' WHERE status = 'partial'")
    _status_check("'received', 'applied', 'ignored', 'failed'")

"""Exit reasons 「离职原因」: an exit records a category (pay, development, …) and an
optional note, so that turnover can be counted by reason. Exits recorded before stay valid
with none (not recorded).

Revision ID: 0091
Revises: 0090
Create Date: 2026-12-08 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0091"
down_revision: str | None = "0090"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REASONS = (
    "'ability_mismatch', 'pay', 'development', 'personal', 'relocation', 'health',"
    " 'dismissal', 'contract_end', 'retirement', 'other'"
)


def upgrade() -> None:
    op.add_column(
        "employment_events", sa.Column("exit_reason", sa.String(length=24), nullable=True)
    )
    op.add_column("employment_events", sa.Column("exit_reason_note", sa.Text(), nullable=True))
    op.create_check_constraint(
        op.f("ck_employment_events_exit_reason"),
        "employment_events",
        f"exit_reason IS NULL OR (kind = 'exit' AND exit_reason IN ({REASONS}))",
    )
    op.create_check_constraint(
        op.f("ck_employment_events_exit_reason_note"),
        "employment_events",
        "exit_reason_note IS NULL OR exit_reason IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("ck_employment_events_exit_reason_note"), "employment_events", type_="check"
    )
    op.drop_constraint(op.f("ck_employment_events_exit_reason"), "employment_events", type_="check")
    op.drop_column("employment_events", "exit_reason_note")
    op.drop_column("employment_events", "exit_reason")

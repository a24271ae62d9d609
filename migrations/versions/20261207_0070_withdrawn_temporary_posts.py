"""Temporary posts withdrawn before they begin, and amendments that follow them: the
employment event and the rotation leg keep when and why they were withdrawn; an amendment
may be withdrawn with its post (a draft) or marked and handed to HR (a confirmed one, with
HR's task), and an `early_end` amendment restates a confirmed one's post with its real end,
naming the same event — so one `event` amendment per event stays unique, the others not.
The tables are already under the tenant policy.

Revision ID: 0070
Revises: 0069
Create Date: 2026-12-07 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0070"
down_revision: str | None = "0069"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AMENDMENTS = "contract_amendments"


def _withdrawal_columns(table: str) -> None:
    op.add_column(table, sa.Column("withdrawn_at", sa.DateTime(timezone=True)))
    op.add_column(table, sa.Column("withdrawal_reason", sa.Text()))


def upgrade() -> None:
    _withdrawal_columns("employment_events")
    _withdrawal_columns("rotation_legs")
    _withdrawal_columns(AMENDMENTS)
    op.add_column(AMENDMENTS, sa.Column("withdrawal_task_id", postgresql.UUID(as_uuid=True)))
    op.drop_constraint(op.f("ck_contract_amendments_status"), AMENDMENTS, type_="check")
    op.create_check_constraint(
        op.f("ck_contract_amendments_status"),
        AMENDMENTS,
        "status IN ('draft', 'confirmed', 'withdrawn')",
    )
    op.drop_constraint(op.f("ck_contract_amendments_source"), AMENDMENTS, type_="check")
    op.create_check_constraint(
        op.f("ck_contract_amendments_source"),
        AMENDMENTS,
        "source IN ('event', 'manual', 'early_end')",
    )
    op.drop_constraint(op.f("uq_contract_amendments_org_id_event_id"), AMENDMENTS, type_="unique")
    op.create_index(
        "ix_contract_amendments_org_drafted_event",
        AMENDMENTS,
        ["org_id", "event_id"],
        unique=True,
        postgresql_where=sa.text("source = 'event'"),
    )
    op.create_index("ix_contract_amendments_org_event", AMENDMENTS, ["org_id", "event_id"])


def downgrade() -> None:
    # The narrower checks cannot hold what followed a post: restated amendments go, and a
    # withdrawn draft reads as a draft again.
    op.execute(f"DELETE FROM {AMENDMENTS} WHERE source = 'early_end'")  # noqa: S608
    op.execute(f"UPDATE {AMENDMENTS} SET status = 'draft' WHERE status = 'withdrawn'")  # noqa: S608
    op.drop_index("ix_contract_amendments_org_event", table_name=AMENDMENTS)
    op.drop_index("ix_contract_amendments_org_drafted_event", table_name=AMENDMENTS)
    op.create_unique_constraint(
        op.f("uq_contract_amendments_org_id_event_id"), AMENDMENTS, ["org_id", "event_id"]
    )
    op.drop_constraint(op.f("ck_contract_amendments_source"), AMENDMENTS, type_="check")
    op.create_check_constraint(
        op.f("ck_contract_amendments_source"), AMENDMENTS, "source IN ('event', 'manual')"
    )
    op.drop_constraint(op.f("ck_contract_amendments_status"), AMENDMENTS, type_="check")
    op.create_check_constraint(
        op.f("ck_contract_amendments_status"), AMENDMENTS, "status IN ('draft', 'confirmed')"
    )
    op.drop_column(AMENDMENTS, "withdrawal_task_id")
    for table in (AMENDMENTS, "rotation_legs", "employment_events"):
        op.drop_column(table, "withdrawal_reason")
        op.drop_column(table, "withdrawn_at")

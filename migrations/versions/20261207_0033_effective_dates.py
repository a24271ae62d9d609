"""Acts take effect on their effective date: an employment event or a confirmed amendment
dated in the future waits (`applied_at` null) until the daily job applies it. An event may
name the manager at the new post and the new pay band; a membership ended by an appointment
says why; a participation ended by an appointment is `graduated`.

Every event and confirmed amendment recorded before was applied at once (backfilled).

Revision ID: 0033
Revises: 0029
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _participant_status(values: str) -> None:
    op.drop_constraint(
        op.f("ck_program_participants_status"), "program_participants", type_="check"
    )
    op.create_check_constraint(
        op.f("ck_program_participants_status"), "program_participants", f"status IN ({values})"
    )


def upgrade() -> None:
    op.add_column(
        "employment_events", sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "employment_events", sa.Column("manager_id", postgresql.UUID(as_uuid=True), nullable=True)
    )
    op.add_column("employment_events", sa.Column("pay_terms_ref", sa.String(200), nullable=True))
    op.create_foreign_key(
        op.f("fk_employment_events_manager_id_employees"),
        "employment_events",
        "employees",
        ["manager_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.execute("UPDATE employment_events SET applied_at = created_at")
    op.create_index(
        "ix_employment_events_org_pending",
        "employment_events",
        ["org_id", "effective_date"],
        postgresql_where=sa.text("applied_at IS NULL"),
    )
    op.add_column(
        "contract_amendments", sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute(
        "UPDATE contract_amendments SET applied_at = confirmed_at WHERE status = 'confirmed'"
    )
    op.add_column("talent_pool_members", sa.Column("ended_reason", sa.Text(), nullable=True))
    _participant_status("'enrolled', 'active', 'completed', 'graduated', 'withdrawn'")


def downgrade() -> None:
    op.execute("UPDATE program_participants SET status = 'completed' WHERE status = 'graduated'")
    _participant_status("'enrolled', 'active', 'completed', 'withdrawn'")
    op.drop_column("talent_pool_members", "ended_reason")
    op.drop_column("contract_amendments", "applied_at")
    op.drop_index("ix_employment_events_org_pending", table_name="employment_events")
    op.drop_constraint(
        op.f("fk_employment_events_manager_id_employees"), "employment_events", type_="foreignkey"
    )
    op.drop_column("employment_events", "pay_terms_ref")
    op.drop_column("employment_events", "manager_id")
    op.drop_column("employment_events", "applied_at")

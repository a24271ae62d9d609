"""Approvals requested, decided and about things without an employee record: a requester or
an approver is an employee or, for an account without one, the user (exactly one of the
pair); the subject employee is optional (a position's description is about no one).

Revision ID: 0053
Revises: 0052
Create Date: 2026-12-07 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0053"
down_revision: str | None = "0052"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("approvals", sa.Column("requester_user_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        op.f("fk_approvals_requester_user_id_users"),
        "approvals",
        "users",
        ["requester_user_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.alter_column("approvals", "requester_employee_id", nullable=True)
    op.alter_column("approvals", "subject_employee_id", nullable=True)
    op.create_check_constraint(
        op.f("ck_approvals_requester"),
        "approvals",
        "num_nonnulls(requester_employee_id, requester_user_id) = 1",
    )
    op.add_column("approval_assignments", sa.Column("user_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        op.f("fk_approval_assignments_user_id_users"),
        "approval_assignments",
        "users",
        ["user_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.alter_column("approval_assignments", "employee_id", nullable=True)
    op.create_check_constraint(
        op.f("ck_approval_assignments_approver"),
        "approval_assignments",
        "num_nonnulls(employee_id, user_id) = 1",
    )
    op.create_index(
        "ix_approval_assignments_org_user",
        "approval_assignments",
        ["org_id", "user_id", "status"],
        unique=False,
    )


def downgrade() -> None:
    """Rows only an account or a non-person subject could hold have no place in the old
    shape: they go."""
    op.execute("DELETE FROM approval_assignments WHERE employee_id IS NULL")
    op.execute(
        "DELETE FROM approvals WHERE requester_employee_id IS NULL OR subject_employee_id IS NULL"
    )
    op.drop_index("ix_approval_assignments_org_user", table_name="approval_assignments")
    op.drop_constraint(
        op.f("ck_approval_assignments_approver"), "approval_assignments", type_="check"
    )
    op.alter_column("approval_assignments", "employee_id", nullable=False)
    op.drop_constraint(
        op.f("fk_approval_assignments_user_id_users"), "approval_assignments", type_="foreignkey"
    )
    op.drop_column("approval_assignments", "user_id")
    op.drop_constraint(op.f("ck_approvals_requester"), "approvals", type_="check")
    op.alter_column("approvals", "subject_employee_id", nullable=False)
    op.alter_column("approvals", "requester_employee_id", nullable=False)
    op.drop_constraint(
        op.f("fk_approvals_requester_user_id_users"), "approvals", type_="foreignkey"
    )
    op.drop_column("approvals", "requester_user_id")

"""dingtalk ids on employees and departments

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 22:30:07.353974
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("departments", sa.Column("dingtalk_dept_id", sa.String(length=64), nullable=True))
    op.create_unique_constraint(
        op.f("uq_departments_org_id_dingtalk_dept_id"),
        "departments",
        ["org_id", "dingtalk_dept_id"],
    )
    op.add_column("employees", sa.Column("dingtalk_user_id", sa.String(length=64), nullable=True))
    op.create_unique_constraint(
        op.f("uq_employees_org_id_dingtalk_user_id"), "employees", ["org_id", "dingtalk_user_id"]
    )


def downgrade() -> None:
    op.drop_constraint(op.f("uq_employees_org_id_dingtalk_user_id"), "employees", type_="unique")
    op.drop_column("employees", "dingtalk_user_id")
    op.drop_constraint(
        op.f("uq_departments_org_id_dingtalk_dept_id"), "departments", type_="unique"
    )
    op.drop_column("departments", "dingtalk_dept_id")

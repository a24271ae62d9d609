"""employee manager path, search and sort indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 21:40:03.046585
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


BACKFILL_MANAGER_PATHS = """
WITH RECURSIVE chain AS (
    SELECT id, '/'::text AS path FROM employees WHERE manager_id IS NULL
    UNION ALL
    SELECT e.id, chain.path || e.manager_id::text || '/'
    FROM employees e JOIN chain ON e.manager_id = chain.id
)
UPDATE employees SET manager_path = chain.path FROM chain WHERE employees.id = chain.id
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.add_column(
        "employees", sa.Column("manager_path", sa.Text(), server_default="/", nullable=False)
    )
    op.create_index(
        "ix_employees_org_hire_date", "employees", ["org_id", "hire_date", "id"], unique=False
    )
    op.create_index(
        "ix_employees_org_manager_path",
        "employees",
        ["org_id", "manager_path"],
        unique=False,
        postgresql_ops={"manager_path": "text_pattern_ops"},
    )
    op.create_index(
        "ix_employees_search",
        "employees",
        ["full_name", "employee_number"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"full_name": "gin_trgm_ops", "employee_number": "gin_trgm_ops"},
    )

    op.execute(BACKFILL_MANAGER_PATHS)


def downgrade() -> None:
    op.drop_index(
        "ix_employees_search",
        table_name="employees",
        postgresql_using="gin",
        postgresql_ops={"full_name": "gin_trgm_ops", "employee_number": "gin_trgm_ops"},
    )
    op.drop_index(
        "ix_employees_org_manager_path",
        table_name="employees",
        postgresql_ops={"manager_path": "text_pattern_ops"},
    )
    op.drop_index("ix_employees_org_hire_date", table_name="employees")
    op.drop_column("employees", "manager_path")

"""Each employee's post beside their current competency scores: `competency_roster` holds
department, position and whether the employee is active, so ranking 100,000 people for a
stretch assignment reads the candidates in one statement of competencies instead of
receiving them from people as three 95,000-element arrays and sending them back.

competencies keeps it from people's employment events and fills in employees it has not
seen (`competencies.roster`); here every existing employee is copied in. Under the tenant
policy like every table; a row goes with its employee.

Revision ID: 0088
Revises: 0087
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0088"
down_revision: str | None = "0087"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "competency_roster"

BACKFILL = """
INSERT INTO competency_roster (org_id, employee_id, department_id, position_id, active)
SELECT org_id, id, CASE WHEN status = 'active' THEN department_id END,
       CASE WHEN status = 'active' THEN position_id END, status = 'active'
  FROM employees
"""


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=True),
        sa.Column("position_id", sa.UUID(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f(f"fk_{TABLE}_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f(f"fk_{TABLE}_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "employee_id", name=op.f(f"pk_{TABLE}")),
    )
    op.execute(BACKFILL)
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {TABLE} "
        "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
        "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
    )


def downgrade() -> None:
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {TABLE}")
    op.drop_table(TABLE)

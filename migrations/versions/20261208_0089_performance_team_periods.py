"""Department period aggregates of the live scores (issue 22's dashboards):
`performance_team_periods` holds per department, period and indicator variant the counts
and sums of the scores of everyone counted in the department's subtree, and
`performance_team_members` the department path each employee's scores are counted under.
Backfilled here from the stored scores of active employees (their department's path now);
the recompute keeps both in the transaction that saves scores. No foreign key from the sums
to departments: a counted path may name a department deleted since. Both under the tenant
policy.

Revision ID: 0089
Revises: 0088
Create Date: 2026-12-08 01:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0089"
down_revision: str | None = "0088"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERIODS = "performance_team_periods"
MEMBERS = "performance_team_members"

BACKFILL_MEMBERS = """
INSERT INTO performance_team_members (id, org_id, employee_id, departments)
SELECT gen_random_uuid(), e.org_id, e.id,
       string_to_array(trim(BOTH '/' FROM d.path), '/')::uuid[]
FROM employees e
JOIN departments d ON d.org_id = e.org_id AND d.id = e.department_id
WHERE e.status = 'active'
  AND EXISTS (SELECT 1 FROM performance_scores s
              WHERE s.org_id = e.org_id AND s.employee_id = e.id)
"""

BACKFILL_PERIODS = """
INSERT INTO performance_team_periods (
    id, org_id, department_id, period, starts_on, key, name, unit, direction,
    entries, scored, score_sum, valued, value_sum
)
SELECT gen_random_uuid(), s.org_id, d, s.period, s.starts_on, x.key, x.name, x.unit,
       x.direction, count(*), count(x.score), coalesce(sum(x.score), 0), count(x.value),
       coalesce(sum(x.value), 0)
FROM performance_scores s
JOIN performance_team_members m ON m.org_id = s.org_id AND m.employee_id = s.employee_id
CROSS JOIN LATERAL unnest(m.departments) AS d
CROSS JOIN LATERAL (
    SELECT '' AS key, NULL::text AS name, NULL::text AS unit, NULL::text AS direction,
           s.overall::numeric AS score, NULL::numeric AS value
    UNION ALL
    SELECT f->>'key', f->>'name', f->>'unit', f->>'direction', (f->>'score')::numeric,
           (f->>'value')::numeric
    FROM jsonb_array_elements(s.indicators) AS f
) x
GROUP BY s.org_id, d, s.period, s.starts_on, x.key, x.name, x.unit, x.direction
"""


def _tenant_policy(table: str) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
        "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
    )


def _org(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["org_id"],
        ["organizations.id"],
        name=op.f(f"fk_{table}_org_id_organizations"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        PERIODS,
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("department_id", sa.UUID(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("direction", sa.Text(), nullable=True),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.Column("score_sum", sa.Numeric(), nullable=False),
        sa.Column("valued", sa.Integer(), nullable=False),
        sa.Column("value_sum", sa.Numeric(), nullable=False),
        _org(PERIODS),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{PERIODS}")),
        sa.UniqueConstraint(
            "org_id",
            "department_id",
            "period",
            "starts_on",
            "key",
            "name",
            "unit",
            "direction",
            name=op.f("uq_performance_team_periods_org_id_department_id_period_a2d4"),
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_index(
        "ix_performance_team_periods_empty",
        PERIODS,
        ["org_id"],
        unique=False,
        postgresql_where=sa.text("entries = 0"),
    )
    op.create_table(
        MEMBERS,
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("departments", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f(f"fk_{MEMBERS}_employee_id_employees"),
            ondelete="CASCADE",
        ),
        _org(MEMBERS),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{MEMBERS}")),
        sa.UniqueConstraint(
            "org_id", "employee_id", name=op.f("uq_performance_team_members_org_id_employee_id")
        ),
    )
    _tenant_policy(PERIODS)
    _tenant_policy(MEMBERS)
    op.execute(BACKFILL_MEMBERS)
    op.execute(BACKFILL_PERIODS)
    # Built after the backfill, in bulk: rows inserted into a GIN index with `fastupdate` wait
    # in its pending list, which every search reads through (3.4 ms instead of 0.03 ms for a
    # team of 96 on bench/generate_dashboard.py's data); off, since paths change rarely.
    op.create_index(
        "ix_performance_team_members_departments",
        MEMBERS,
        ["departments"],
        unique=False,
        postgresql_using="gin",
        postgresql_with={"fastupdate": "off"},
    )
    for table in (MEMBERS, PERIODS):  # the first reads plan on the backfilled rows' statistics
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    for table in (MEMBERS, PERIODS):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.drop_index("ix_performance_team_members_departments", table_name=MEMBERS)
    op.drop_table(MEMBERS)
    op.drop_index("ix_performance_team_periods_empty", table_name=PERIODS)
    op.drop_table(PERIODS)

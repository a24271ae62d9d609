"""Each employee's current competency scores in a narrow row: `competency_current_scores`
holds the newest snapshot's `scores` as two parallel arrays (competency ids, scores), so
ranking 100,000 people for a stretch assignment reads a few numbers a person instead of
picking the newest of every snapshot and searching its JSON.

A statement-level trigger on `competency_profiles` keeps it: whichever path inserts
snapshots (the per-employee recompute, the full recompute, a test), the newest one of each
employee — by `computed_at`, then id, as every reader of the newest snapshot orders — becomes
the current row. The row follows its snapshot out (a deleted snapshot takes it along). Under
the tenant policy like every table; existing snapshots are copied in.

Revision ID: 0063
Revises: 0062
Create Date: 2026-12-07 14:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0063"
down_revision: str | None = "0062"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "competency_current_scores"

# The newest snapshot of each employee among `stored`, as arrays in the snapshot's order.
NEWEST = """
SELECT DISTINCT ON (stored.org_id, stored.employee_id)
       stored.org_id, stored.employee_id, stored.id, stored.computed_at,
       coalesce(split.competency_ids, '{{}}'), coalesce(split.scores, '{{}}')
  FROM {source} AS stored
  CROSS JOIN LATERAL (
        SELECT array_agg((figure ->> 'competency_id')::uuid ORDER BY position) AS competency_ids,
               array_agg((figure ->> 'score')::float8 ORDER BY position) AS scores
          FROM jsonb_array_elements(stored.scores) WITH ORDINALITY AS figures(figure, position)
       ) AS split
 ORDER BY stored.org_id, stored.employee_id, stored.computed_at DESC, stored.id DESC
"""

COLUMNS = "(org_id, employee_id, profile_id, computed_at, competency_ids, scores)"

FOLLOW = f"""
CREATE FUNCTION competency_current_scores_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} AS current {COLUMNS}
    {NEWEST.format(source="inserted")}
    ON CONFLICT (org_id, employee_id) DO UPDATE
       SET profile_id = excluded.profile_id, computed_at = excluded.computed_at,
           competency_ids = excluded.competency_ids, scores = excluded.scores
     WHERE (excluded.computed_at, excluded.profile_id) > (current.computed_at, current.profile_id);
    RETURN NULL;
END
$$
"""  # noqa: S608 (the module's constants only)


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("employee_id", sa.UUID(), nullable=False),
        sa.Column("profile_id", sa.UUID(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("competency_ids", postgresql.ARRAY(sa.UUID()), nullable=False),
        sa.Column("scores", postgresql.ARRAY(sa.Float()), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f(f"fk_{TABLE}_org_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["competency_profiles.id"],
            name=op.f(f"fk_{TABLE}_profile_id_competency_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("org_id", "employee_id", name=op.f(f"pk_{TABLE}")),
    )
    op.create_index(f"ix_{TABLE}_profile_id", TABLE, ["profile_id"], unique=False)
    op.execute(f"INSERT INTO {TABLE} {COLUMNS} {NEWEST.format(source='competency_profiles')}")
    op.execute(FOLLOW)
    op.execute(
        "CREATE TRIGGER competency_current_scores_follow AFTER INSERT ON competency_profiles "
        "REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT "
        "EXECUTE FUNCTION competency_current_scores_follow()"
    )
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {TABLE} "
        "USING (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid) "
        "WITH CHECK (org_id = NULLIF(current_setting('app.org_id', true), '')::uuid)"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER competency_current_scores_follow ON competency_profiles")
    op.execute("DROP FUNCTION competency_current_scores_follow()")
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {TABLE}")
    op.drop_index(f"ix_{TABLE}_profile_id", table_name=TABLE)
    op.drop_table(TABLE)

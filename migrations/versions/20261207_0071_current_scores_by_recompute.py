"""`competency_current_scores` written by the recompute itself: the statement that inserts
snapshots (`competencies.profiles.RECOMPUTE`, the only one) upserts each employee's current
row beside them, so 0063's trigger on `competency_profiles` goes. The trigger re-read every
inserted snapshot's JSON and sorted them once more (1.7–2.2 s per 20,000 snapshots inserted
at once under load, docs/performance.md). The rows it kept are already right; the
downgrade restores the trigger and brings the rows up to date.

Revision ID: 0071
Revises: 0070
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0071"
down_revision: str | None = "0070"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "competency_current_scores"
COLUMNS = "(org_id, employee_id, profile_id, computed_at, competency_ids, scores)"

# 0063's: the newest snapshot of each employee among `stored`, as arrays in the snapshot's
# order, replacing an older current row.
FOLLOW = """
INSERT INTO competency_current_scores AS current {columns}
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
    ON CONFLICT (org_id, employee_id) DO UPDATE
   SET profile_id = excluded.profile_id, computed_at = excluded.computed_at,
       competency_ids = excluded.competency_ids, scores = excluded.scores
 WHERE (excluded.computed_at, excluded.profile_id) > (current.computed_at, current.profile_id)
"""


def upgrade() -> None:
    op.execute("DROP TRIGGER competency_current_scores_follow ON competency_profiles")
    op.execute("DROP FUNCTION competency_current_scores_follow()")


def downgrade() -> None:
    op.execute(
        "CREATE FUNCTION competency_current_scores_follow() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"{FOLLOW.format(columns=COLUMNS, source='inserted')}; "
        "RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER competency_current_scores_follow AFTER INSERT ON competency_profiles "
        "REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT "
        "EXECUTE FUNCTION competency_current_scores_follow()"
    )
    op.execute(FOLLOW.format(columns=COLUMNS, source="competency_profiles"))

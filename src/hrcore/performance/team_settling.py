"""The daily settling of the department aggregates (`team_periods`) with the roster.

The recompute counts an employee under their department path when it saves their scores; a
move, an exit or a rehire without a new score leaves the aggregates counting them where they
were, and every dashboard read above corrects for them (`dashboard_queries.ROSTER_FIXES`).
This cron moves such people's scores to where they are now (out, for who is no longer
active; in, for an active person with scores and no path), so the read-time corrections stay
the day's changes. It takes the organization's recompute lock: a recompute running now
(which would count the same people) makes it skip the organization until the next run.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.performance import score_queue, team_periods

DRIFTED = """
SELECT m.employee_id, CASE WHEN e.status = 'active' THEN d.path END AS path
FROM performance_team_members m
JOIN employees e ON e.org_id = m.org_id AND e.id = m.employee_id
LEFT JOIN departments d ON d.org_id = e.org_id AND d.id = e.department_id
WHERE m.org_id = $1
  AND (e.status <> 'active'
       OR m.departments <> string_to_array(trim(BOTH '/' FROM d.path), '/')::uuid[])
UNION ALL
SELECT e.id, d.path
FROM employees e
JOIN departments d ON d.org_id = e.org_id AND d.id = e.department_id
WHERE e.org_id = $1 AND e.status = 'active'
  AND NOT EXISTS (SELECT FROM performance_team_members m
                  WHERE m.org_id = e.org_id AND m.employee_id = e.id)
  AND EXISTS (SELECT FROM performance_scores s WHERE s.org_id = e.org_id AND s.employee_id = e.id)
"""
"""Who is counted where they no longer are (`path` null: no longer active), and who is
active with scores but counted nowhere (a rehire)."""

LEAVE = f"""
WITH counted AS (
    SELECT employee_id, -1 AS sign, departments, true AS whole, NULL::text[] AS periods
    FROM performance_team_members WHERE org_id = $1 AND employee_id = ANY($2::uuid[])
),
{team_periods.SUMS}
"""  # noqa: S608 (declared constants only)
"""Every score of these people out of the sums of the path they are counted under."""

FORGET = """
DELETE FROM performance_team_members WHERE org_id = $1 AND employee_id = ANY($2::uuid[])
"""


CHUNK = 1_000
"""People moved per statement: a reorganization's thousands move in statements that each
stay well inside the statement timeout (2,000 people's 12 periods each took 2–4 s a
statement on a loaded machine, bench data)."""


async def settle(session: AsyncSession, org_id: uuid.UUID) -> int:
    """Count the drifted people where they are now; how many were moved (0 while a
    recompute of the organization runs)."""
    if not await score_queue.alone(session, org_id):
        return 0
    rows = await fetch(session, DRIFTED, org_id)
    gone = [row["employee_id"] for row in rows if row["path"] is None]
    homes = [(row["employee_id"], row["path"]) for row in rows if row["path"] is not None]
    for start in range(0, len(gone), CHUNK):
        await fetch(session, LEAVE, org_id, gone[start : start + CHUNK])
        await fetch(session, FORGET, org_id, gone[start : start + CHUNK])
    for start in range(0, len(homes), CHUNK):
        chunk = dict(homes[start : start + CHUNK])
        await team_periods.retract(session, org_id, chunk, [])
        await team_periods.count_in(session, org_id, chunk, [])
    if gone and not homes:
        await fetch(session, team_periods.DROP_EMPTY, org_id)
    return len(rows)

"""Department period aggregates 「团队绩效汇总」, kept by the recompute in the transaction that
saves the scores, so a department's dashboard trend reads its own few rows instead of every
member's explanation (`team_models`, docs/performance.md "Aggregates per department").

Around a save: `retract` takes the saved keys' old scores out of the sums of every department
on the path each employee is counted under (all of an employee's scores when their
department path changed since), `count_in` records the employees' current paths and adds the
keys' new scores (all of a moved employee's) under them, and drops sums left with nothing.
Three statements per job whatever its size; set-based.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

FIGURES = """
CROSS JOIN LATERAL (
    SELECT '' AS key, NULL::text AS name, NULL::text AS unit, NULL::text AS direction,
           s.overall::numeric AS score, NULL::numeric AS value
    UNION ALL
    SELECT f->>'key' COLLATE "C", f->>'name' COLLATE "C", f->>'unit' COLLATE "C",
           f->>'direction' COLLATE "C", (f->>'score')::numeric, (f->>'value')::numeric
    FROM jsonb_array_elements(s.indicators) AS f
) x
"""
"""A score as its figures: the overall (key '') and each indicator of the explanation (text
in the "C" collation: grouping sorts them, byte order is enough and several times cheaper)."""

SUMS = f"""
scores AS (
    SELECT c.sign, c.departments, s.period, s.starts_on, s.overall, s.indicators
    FROM counted c
    JOIN performance_scores s ON s.org_id = $1 AND s.employee_id = c.employee_id
    WHERE c.whole
    UNION ALL
    SELECT c.sign, c.departments, s.period, s.starts_on, s.overall, s.indicators
    FROM counted c
    JOIN performance_scores s ON s.org_id = $1 AND s.employee_id = c.employee_id
         AND s.period = ANY(c.periods)
    WHERE NOT c.whole
),
figures AS (
    SELECT s.departments, s.period, s.starts_on, x.key, x.name, x.unit, x.direction,
           sum(s.sign) AS entries, sum(s.sign * (x.score IS NOT NULL)::int) AS scored,
           coalesce(sum(s.sign * x.score), 0) AS score_sum,
           sum(s.sign * (x.value IS NOT NULL)::int) AS valued,
           coalesce(sum(s.sign * x.value), 0) AS value_sum
    FROM scores s
    {FIGURES}
    GROUP BY s.departments, s.period, s.starts_on, x.key, x.name, x.unit, x.direction
)
INSERT INTO performance_team_periods AS t (
    id, org_id, department_id, period, starts_on, key, name, unit, direction,
    entries, scored, score_sum, valued, value_sum
)
SELECT gen_random_uuid(), $1::uuid, d, period, starts_on, key, name, unit, direction,
       sum(entries), sum(scored), sum(score_sum), sum(valued), sum(value_sum)
FROM figures CROSS JOIN LATERAL unnest(departments) AS d
GROUP BY d, period, starts_on, key, name, unit, direction
ON CONFLICT (org_id, department_id, period, starts_on, key, name, unit, direction)
DO UPDATE SET entries = t.entries + excluded.entries, scored = t.scored + excluded.scored,
              score_sum = t.score_sum + excluded.score_sum,
              valued = t.valued + excluded.valued, value_sum = t.value_sum + excluded.value_sum
"""  # noqa: S608 (this module's constants only)
"""Adds the signed sums of the CTE `counted` (employee, sign, departments, whole, periods) —
all of the employee's scores when `whole`, else those of `periods` — to each department's
rows: summed per path first (a team's people share one), then per department of the path,
so the rows grouped are the paths' figures, not every score's times its path's length. The
keys' scores are read by the (org, employee, period) index, apart from the whole ones'."""

HOMES = """
homes AS (
    SELECT h.employee_id, string_to_array(trim(BOTH '/' FROM h.path), '/')::uuid[] AS departments,
           string_to_array(h.periods, ',') AS periods
    FROM unnest($2::uuid[], $3::text[], $4::text[]) AS h(employee_id, path, periods)
)"""
"""The employees with their current department path and their keys' periods, comma-joined
(`$2`–`$4`)."""

RETRACT = f"""
WITH {HOMES},
counted AS (
    SELECT m.employee_id, -1 AS sign, m.departments,
           m.departments <> h.departments AS whole, h.periods
    FROM homes h
    JOIN performance_team_members m ON m.org_id = $1 AND m.employee_id = h.employee_id
),
{SUMS}
"""  # noqa: S608 (this module's constants only)
"""Before the save: the keys' stored scores (all of a moved employee's) out of the sums of
the path they are counted under."""

COUNT_IN = f"""
WITH {HOMES},
rehomed AS (
    INSERT INTO performance_team_members AS m (id, org_id, employee_id, departments)
    SELECT gen_random_uuid(), $1, employee_id, departments FROM homes
    ON CONFLICT (org_id, employee_id) DO UPDATE SET departments = excluded.departments
    WHERE m.departments <> excluded.departments
    RETURNING m.employee_id
),
counted AS (
    SELECT h.employee_id, 1 AS sign, h.departments,
           h.employee_id IN (SELECT employee_id FROM rehomed) AS whole, h.periods
    FROM homes h
),
{SUMS}
"""  # noqa: S608 (this module's constants only)
"""After the save: the employees' current paths recorded, the keys' new scores (all of a
newly counted or moved employee's) added under them."""

DROP_EMPTY = """
DELETE FROM performance_team_periods WHERE org_id = $1 AND entries = 0
"""
"""Rows left with no figure (through the partial index of such rows)."""


def _arguments(
    homes: Mapping[uuid.UUID, str], keys: Sequence[tuple[uuid.UUID, str]]
) -> list[list[str] | list[uuid.UUID]]:
    periods: dict[uuid.UUID, list[str]] = {employee: [] for employee in homes}
    for employee, period in keys:
        periods[employee].append(period)
    return [list(homes), list(homes.values()), [",".join(periods[e]) for e in homes]]


async def retract(
    session: AsyncSession,
    org_id: uuid.UUID,
    homes: Mapping[uuid.UUID, str],
    keys: Sequence[tuple[uuid.UUID, str]],
) -> None:
    """Before saving or dropping the (employee, period) `keys`: their stored scores out of the
    sums; `homes` is each of their employees' current department path (`/a/…/d/`)."""
    if homes:
        await fetch(session, RETRACT, org_id, *_arguments(homes, keys))


async def count_in(
    session: AsyncSession,
    org_id: uuid.UUID,
    homes: Mapping[uuid.UUID, str],
    keys: Sequence[tuple[uuid.UUID, str]],
) -> None:
    """After the save: the same keys' scores into the sums of their employees' current paths."""
    if homes:
        await fetch(session, COUNT_IN, org_id, *_arguments(homes, keys))
        await fetch(session, DROP_EMPTY, org_id)

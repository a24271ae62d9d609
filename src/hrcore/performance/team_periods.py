"""Department period aggregates 「团队绩效汇总」, kept by the recompute in the transaction that
saves the scores, so a department's dashboard trend reads its own few rows instead of every
member's explanation (`team_models`, docs/performance.md "Aggregates per department").

Around a save: `retract` takes the saved keys' old scores out of the sums of every department
on the path each employee is counted under (all of an employee's scores when their
department path changed since), `count_in` records the employees' current paths and adds the
keys' new scores (all of a moved employee's) under them, and drops sums left with nothing.
Three statements per job whatever its size; set-based, no per-row work in Python.
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
    SELECT f->>'key', f->>'name', f->>'unit', f->>'direction', (f->>'score')::numeric,
           (f->>'value')::numeric
    FROM jsonb_array_elements(s.indicators) AS f
) x
"""
"""A score as its figures: the overall (key '') and each indicator of the explanation."""

SUMS = f"""
SELECT gen_random_uuid(), $1::uuid, d, s.period, s.starts_on, x.key, x.name, x.unit,
       x.direction, sum(c.sign), sum(c.sign * (x.score IS NOT NULL)::int),
       coalesce(sum(c.sign * x.score), 0), sum(c.sign * (x.value IS NOT NULL)::int),
       coalesce(sum(c.sign * x.value), 0)
FROM counted c
JOIN performance_scores s ON s.org_id = $1 AND s.employee_id = c.employee_id
     AND (c.whole OR s.period = ANY(c.periods))
CROSS JOIN LATERAL unnest(c.departments) AS d
{FIGURES}
GROUP BY d, s.period, s.starts_on, x.key, x.name, x.unit, x.direction
ON CONFLICT (org_id, department_id, period, starts_on, key, name, unit, direction)
DO UPDATE SET entries = t.entries + excluded.entries, scored = t.scored + excluded.scored,
              score_sum = t.score_sum + excluded.score_sum,
              valued = t.valued + excluded.valued, value_sum = t.value_sum + excluded.value_sum
"""  # noqa: S608 (this module's constants only)
"""Adds the signed sums of `counted` (employee, sign, departments, whole, periods) — all of
the employee's scores when `whole`, else those of `periods` — to each department's rows."""

INSERT_SUMS = """
INSERT INTO performance_team_periods AS t (
    id, org_id, department_id, period, starts_on, key, name, unit, direction,
    entries, scored, score_sum, valued, value_sum
)
"""

HOMES = """
homes AS (
    SELECT h.employee_id, string_to_array(trim(BOTH '/' FROM h.path), '/')::uuid[] AS departments,
           array_agg(k.period) FILTER (WHERE k.period IS NOT NULL) AS periods
    FROM unnest($2::uuid[], $3::text[]) AS h(employee_id, path)
    LEFT JOIN unnest($4::uuid[], $5::text[]) AS k(employee_id, period)
           ON k.employee_id = h.employee_id
    GROUP BY h.employee_id, h.path
)"""
"""The employees with their current department path ($2, $3) and their keys' periods ($4, $5)."""

RETRACT = f"""
WITH {HOMES},
counted AS (
    SELECT m.employee_id, -1 AS sign, m.departments,
           m.departments <> h.departments AS whole, h.periods
    FROM homes h
    JOIN performance_team_members m ON m.org_id = $1 AND m.employee_id = h.employee_id
)
{INSERT_SUMS}{SUMS}
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
)
{INSERT_SUMS}{SUMS}
"""  # noqa: S608 (this module's constants only)
"""After the save: the employees' current paths recorded, the keys' new scores (all of a
newly counted or moved employee's) added under them."""

DROP_EMPTY = """
DELETE FROM performance_team_periods WHERE org_id = $1 AND entries = 0
"""
"""Rows left with no figure (through the partial index of such rows)."""


def _arguments(
    homes: Mapping[uuid.UUID, str], keys: Sequence[tuple[uuid.UUID, str]]
) -> list[list[object]]:
    return [
        list(homes),
        list(homes.values()),
        [employee for employee, _ in keys],
        [period for _, period in keys],
    ]


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

"""Queries of goals: SQL written once, run at the driver (`core.db.fetch`). No rules here.

The goal rows carry their key results (each with its newest check-in) and the names of
their department and employee (the read-only name join docs/architecture.md allows), so a
tree of any size is one statement; the figures behind linked key results are one statement
per kind of owner.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

GOAL_COLUMNS = """
SELECT g.id, g.level, g.title, g.description, g.period, g.status, g.department_id,
       d.name AS department_name, g.employee_id, e.full_name AS employee_name, g.parent_id,
       g.version,
       coalesce((
           SELECT jsonb_agg(jsonb_build_object(
               'id', k.id, 'title', k.title, 'unit', k.unit, 'start', k.start,
               'target', k.target, 'weight', k.weight, 'indicator', k.indicator,
               'latest_check_in', (
                   SELECT jsonb_build_object(
                       'id', c.id, 'value', c.value, 'note', c.note,
                       'recorded_by', c.recorded_by, 'recorded_at', c.recorded_at)
                   FROM goal_key_result_check_ins c
                   WHERE c.org_id = k.org_id AND c.key_result_id = k.id
                   ORDER BY c.recorded_at DESC, c.id DESC
                   LIMIT 1)
           ) ORDER BY k.position)
           FROM goal_key_results k
           WHERE k.org_id = g.org_id AND k.goal_id = g.id
       ), '[]'::jsonb) AS key_results
FROM goals g
LEFT JOIN departments d ON d.org_id = g.org_id AND d.id = g.department_id
LEFT JOIN employees e ON e.org_id = g.org_id AND e.id = g.employee_id
"""

CHAIN = """
WITH RECURSIVE chain AS (
    SELECT g.id, g.parent_id FROM goals g
    WHERE g.org_id = $1 AND g.period = ANY($2::text[])
      AND ($3 OR g.department_id = ANY($4::uuid[]) OR g.employee_id = ANY($5::uuid[]))
    UNION
    SELECT p.id, p.parent_id FROM goals p JOIN chain c ON p.id = c.parent_id
    WHERE p.org_id = $1
)
"""

IN_CHAIN = """
WHERE g.org_id = $1 AND g.id IN (SELECT id FROM chain)
ORDER BY array_position(ARRAY['organization', 'department', 'person']::text[], g.level),
         g.period, g.title, g.id
"""

TREE = CHAIN + GOAL_COLUMNS + IN_CHAIN
"""The goals of these periods the caller reaches (all with `$3`; else those of these
departments and employees) and every goal above them (the chain they align to, whatever its
period), with their key results."""

ONE_GOAL_WHERE = "WHERE g.org_id = $1 AND g.id = $2"
ONE_GOAL = GOAL_COLUMNS + ONE_GOAL_WHERE

READERS_OF = """
WITH RECURSIVE below AS (
    SELECT g.id, g.department_id, g.employee_id FROM goals g
    WHERE g.org_id = $1 AND g.id = $2
    UNION
    SELECT g.id, g.department_id, g.employee_id FROM goals g JOIN below b ON g.parent_id = b.id
    WHERE g.org_id = $1
)
SELECT EXISTS (
    SELECT 1 FROM below
    WHERE department_id = ANY($3::uuid[]) OR employee_id = ANY($4::uuid[])
) AS seen
"""
"""Whether a goal is one of these departments' or employees' or above one of theirs."""

ABOVE = """
WITH RECURSIVE above AS (
    SELECT g.id, g.parent_id FROM goals g WHERE g.org_id = $1 AND g.id = $2
    UNION
    SELECT p.id, p.parent_id FROM goals p JOIN above a ON p.id = a.parent_id
    WHERE p.org_id = $1
)
SELECT EXISTS (SELECT 1 FROM above WHERE id = $3) AS found
"""
"""Whether `$3` is `$2` or a goal above it (aligning `$3` to `$2` would close a cycle)."""

SCORE_FIGURES = """
SELECT s.employee_id, s.period, f->>'key' AS indicator, (f->>'value')::float8 AS value,
       (f->>'observations')::int AS observations, f->>'aggregation' AS aggregation
FROM performance_scores s
CROSS JOIN LATERAL jsonb_array_elements(s.indicators) AS f
WHERE s.org_id = $1 AND s.employee_id = ANY($2::uuid[]) AND s.period = ANY($3::text[])
  AND f->>'key' = ANY($4::text[]) AND f->>'value' IS NOT NULL
"""
"""The explained figures of these employees' live scores for these periods and indicators."""

DEPARTMENT_OBSERVATIONS = """
SELECT DISTINCT ON (o.source, o.external_id)
    o.id, o.department_id, o.indicator, o.value, o.observed_at
FROM metric_observations o
WHERE o.org_id = $1 AND (o.source, o.external_id) IN (
    SELECT k.source, k.external_id FROM metric_observations k
    WHERE k.org_id = $1 AND k.department_id = ANY($2::uuid[]) AND k.indicator = ANY($3::text[])
      AND k.observed_at >= $4 AND k.observed_at < $5
)
ORDER BY o.source, o.external_id, o.revision DESC
"""
"""The newest revision of every department observation that has a revision in the window
(the caller keeps those whose newest revision is still the department's, in its period)."""

SCHEME_INDICATORS = """
SELECT s.name, s.department_ids, indicator->>'key' AS key,
       indicator->>'aggregation' AS aggregation
FROM performance_schemes s, jsonb_array_elements(s.indicators) AS indicator
WHERE s.org_id = $1 AND indicator->>'key' = ANY($2::text[])
ORDER BY s.name
"""

OWNED = (
    GOAL_COLUMNS
    + """
WHERE g.org_id = $1 AND g.period = ANY($2::text[]) AND g.status <> 'cancelled'
  AND (g.employee_id = $3 OR g.department_id = $4)
ORDER BY g.period, g.title, g.id
"""
)
"""The goals of these periods owned by an employee (`$3`) or a department (`$4`), cancelled
ones left out: what a dashboard shows."""

REACHED = """
WITH RECURSIVE chain AS (
    SELECT g.id, g.parent_id FROM goals g
    WHERE g.org_id = $1 AND NOT $2
      AND (g.department_id = ANY($3::uuid[]) OR g.employee_id = ANY($4::uuid[]))
    UNION
    SELECT p.id, p.parent_id FROM goals p JOIN chain c ON p.id = c.parent_id
    WHERE p.org_id = $1
)
"""

LISTED_WHERE = """
WHERE g.org_id = $1 AND ($2 OR g.id IN (SELECT id FROM chain))
  AND ($5::uuid IS NULL OR g.employee_id = $5)
  AND ($6::uuid IS NULL OR g.department_id = $6)
  AND ($7::text IS NULL OR g.level = $7)
  AND ($8::text IS NULL OR g.period = $8)
  AND ($9::text IS NULL OR g.status = $9)
  AND ($10::uuid IS NULL OR g.id < $10)
ORDER BY g.id DESC
LIMIT $11
"""

LISTED = REACHED + GOAL_COLUMNS + LISTED_WHERE
"""A page of goals, newest first (time-ordered ids): every goal (`$2`) or those of these
departments and employees and the goals above them, filtered by owner, level, period and
status."""

DELETION_FACTS = """
SELECT (SELECT count(*) FROM goals c WHERE c.org_id = $1 AND c.parent_id = $2) AS children,
       (SELECT count(*) FROM goal_key_result_check_ins i
        JOIN goal_key_results k ON k.org_id = i.org_id AND k.id = i.key_result_id
        WHERE i.org_id = $1 AND k.goal_id = $2) AS check_ins,
       coalesce((SELECT jsonb_agg(k.title ORDER BY k.position) FROM goal_key_results k
                 WHERE k.org_id = $1 AND k.goal_id = $2), '[]'::jsonb) AS key_results
"""
"""What deleting a goal would take away: goals aligned to it, check-ins, key results."""

CHECK_INS = """
SELECT c.key_result_id, c.id, c.value, c.note, c.recorded_by, c.recorded_at
FROM goal_key_result_check_ins c
JOIN goal_key_results k ON k.org_id = c.org_id AND k.id = c.key_result_id
WHERE c.org_id = $1 AND k.goal_id = $2
ORDER BY c.recorded_at DESC, c.id DESC
"""


async def tree(
    session: AsyncSession,
    org_id: uuid.UUID,
    periods: Sequence[str],
    everything: bool,
    department_ids: Sequence[uuid.UUID],
    employee_ids: Sequence[uuid.UUID],
) -> list[asyncpg.Record]:
    return await fetch(
        session, TREE, org_id, list(periods), everything, list(department_ids), list(employee_ids)
    )


async def owned(
    session: AsyncSession,
    org_id: uuid.UUID,
    periods: Sequence[str],
    employee_id: uuid.UUID | None,
    department_id: uuid.UUID | None,
) -> list[asyncpg.Record]:
    return await fetch(session, OWNED, org_id, list(periods), employee_id, department_id)


async def goal_row(
    session: AsyncSession, org_id: uuid.UUID, goal_id: uuid.UUID
) -> asyncpg.Record | None:
    rows = await fetch(session, ONE_GOAL, org_id, goal_id)
    return rows[0] if rows else None


async def seen_from(
    session: AsyncSession,
    org_id: uuid.UUID,
    goal_id: uuid.UUID,
    department_ids: Sequence[uuid.UUID],
    employee_ids: Sequence[uuid.UUID],
) -> bool:
    rows = await fetch(
        session, READERS_OF, org_id, goal_id, list(department_ids), list(employee_ids)
    )
    return bool(rows[0]["seen"])


async def is_above(
    session: AsyncSession, org_id: uuid.UUID, goal_id: uuid.UUID, candidate: uuid.UUID
) -> bool:
    return bool((await fetch(session, ABOVE, org_id, goal_id, candidate))[0]["found"])


async def score_figures(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    periods: Sequence[str],
    indicators: Sequence[str],
) -> list[asyncpg.Record]:
    return await fetch(
        session, SCORE_FIGURES, org_id, list(employee_ids), list(periods), list(indicators)
    )


async def department_observations(
    session: AsyncSession,
    org_id: uuid.UUID,
    department_ids: Sequence[uuid.UUID],
    indicators: Sequence[str],
    window: tuple[datetime, datetime],
) -> list[asyncpg.Record]:
    return await fetch(
        session,
        DEPARTMENT_OBSERVATIONS,
        org_id,
        list(department_ids),
        list(indicators),
        *window,
    )


async def scheme_indicators(
    session: AsyncSession, org_id: uuid.UUID, keys: Sequence[str]
) -> list[asyncpg.Record]:
    """Each scheme measuring one of these indicators: its departments and the aggregation."""
    return await fetch(session, SCHEME_INDICATORS, org_id, list(keys))


async def check_ins(
    session: AsyncSession, org_id: uuid.UUID, goal_id: uuid.UUID
) -> list[asyncpg.Record]:
    """Every check-in of the goal's key results, newest first."""
    return await fetch(session, CHECK_INS, org_id, goal_id)


async def listed(
    session: AsyncSession,
    org_id: uuid.UUID,
    everything: bool,
    department_ids: Sequence[uuid.UUID],
    employee_ids: Sequence[uuid.UUID],
    *,
    filters: tuple[uuid.UUID | None, uuid.UUID | None, str | None, str | None, str | None],
    after: uuid.UUID | None,
    limit: int,
) -> list[asyncpg.Record]:
    """`filters`: employee, department, level, period, status (None: any)."""
    return await fetch(
        session,
        LISTED,
        org_id,
        everything,
        list(department_ids),
        list(employee_ids),
        *filters,
        after,
        limit,
    )


async def deletion_facts(
    session: AsyncSession, org_id: uuid.UUID, goal_id: uuid.UUID
) -> asyncpg.Record:
    return (await fetch(session, DELETION_FACTS, org_id, goal_id))[0]

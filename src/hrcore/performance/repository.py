"""Queries of performance: SQL written once, run at the driver (`core.db.fetch`) inside the
request's or the job's tenant transaction. No business rules here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

CLAIMED = """
SELECT DISTINCT claimed::uuid AS id
FROM performance_schemes s,
     jsonb_array_elements_text(s.position_ids || s.department_ids) AS claimed
WHERE s.org_id = $1 AND s.id IS DISTINCT FROM $2 AND claimed::uuid = ANY($3::uuid[])
"""

INDICATOR_KEYS = """
SELECT DISTINCT indicator->>'key' AS key
FROM performance_schemes s, jsonb_array_elements(s.indicators) AS indicator
WHERE s.org_id = $1
"""

RECORD_BATCH = """
WITH input AS (
    SELECT * FROM unnest(
        $3::int[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::float8[],
        $9::timestamptz[], $10::text[], $11::text[]
    ) AS t(idx, id, employee_id, department_id, indicator, value, observed_at, source,
           external_id)
), latest AS (
    SELECT l.*
    FROM input i
    CROSS JOIN LATERAL (
        SELECT o.id, o.source, o.external_id, o.revision, o.employee_id, o.department_id,
               o.indicator, o.value, o.observed_at
        FROM metric_observations o
        WHERE o.org_id = $1 AND o.source = i.source AND o.external_id = i.external_id
        ORDER BY o.revision DESC
        LIMIT 1
    ) l
), fresh AS (
    INSERT INTO metric_observations (
        id, org_id, employee_id, department_id, indicator, value, observed_at, source,
        external_id, revision, recorded_by
    )
    SELECT i.id, $1, i.employee_id, i.department_id, i.indicator, i.value, i.observed_at,
           i.source, i.external_id, coalesce(l.revision, 0) + 1, $2
    FROM input i
    LEFT JOIN latest l ON l.source = i.source AND l.external_id = i.external_id
    WHERE l.id IS NULL
       OR (l.employee_id, l.department_id, l.indicator, l.value, l.observed_at)
          IS DISTINCT FROM (i.employee_id, i.department_id, i.indicator, i.value, i.observed_at)
    ON CONFLICT (org_id, source, external_id, revision) DO NOTHING
    RETURNING id, source, external_id, revision
)
SELECT i.idx, f.id AS stored_id, f.revision, l.id AS kept_id, l.value AS kept_value,
       l.observed_at AS kept_observed_at, l.employee_id AS kept_employee_id
FROM input i
LEFT JOIN fresh f ON f.source = i.source AND f.external_id = i.external_id
LEFT JOIN latest l ON l.source = i.source AND l.external_id = i.external_id
ORDER BY i.idx
"""
"""One statement for a whole batch: each item's newest stored revision (one probe of the
unique index per item, `LATERAL`: a join would read every observation of the organization
and grow with it), a new row where there is none or it differs (`RETURNING` says which), and
what was kept for each item. The
unique (source, external id, revision) turns a concurrent batch's same item into nothing."""


async def claimed_targets(
    session: AsyncSession,
    org_id: uuid.UUID,
    except_scheme: uuid.UUID | None,
    position_ids: Sequence[uuid.UUID],
    department_ids: Sequence[uuid.UUID],
) -> set[uuid.UUID]:
    """Which of these positions and departments another scheme already names."""
    wanted = list({*position_ids, *department_ids})
    rows = await fetch(session, CLAIMED, org_id, except_scheme, wanted)
    return {row["id"] for row in rows}


async def indicator_keys(session: AsyncSession, org_id: uuid.UUID) -> set[str]:
    """Every indicator key some scheme of the organization measures."""
    return {row["key"] for row in await fetch(session, INDICATOR_KEYS, org_id)}


async def record_batch(
    session: AsyncSession,
    org_id: uuid.UUID,
    recorded_by: uuid.UUID,
    items: Sequence[tuple[Any, ...]],
) -> list[asyncpg.Record]:
    """Store the checked items `(idx, id, employee_id, department_id, indicator, value,
    observed_at, source, external_id)` in one statement; a row per item, by `idx`."""
    columns: list[list[Any]] = [list(column) for column in zip(*items, strict=True)]
    return await fetch(session, RECORD_BATCH, org_id, recorded_by, *(columns or [[]] * 9))


OBSERVATIONS = """
SELECT o.id, o.employee_id, e.full_name AS employee_name, o.department_id,
       d.name AS department_name, o.indicator, o.value, o.observed_at, o.source,
       o.external_id, o.revision, o.recorded_at
FROM metric_observations o
LEFT JOIN employees e ON e.org_id = o.org_id AND e.id = o.employee_id
LEFT JOIN departments d ON d.org_id = o.org_id AND d.id = o.department_id
WHERE o.org_id = $1 AND o.observed_at >= $2 AND o.observed_at < $3
  AND ($4::uuid IS NULL OR o.employee_id = $4)
  AND ($5::text IS NULL OR o.indicator = $5)
  AND ($6::uuid IS NULL OR o.id > $6)
ORDER BY o.id
LIMIT $7
"""
"""Every revision, oldest id first, with the names of employee and department joined (the
read-only name join docs/architecture.md allows)."""


async def observations(
    session: AsyncSession,
    org_id: uuid.UUID,
    window: tuple[datetime, datetime],
    employee_id: uuid.UUID | None,
    indicator: str | None,
    after: uuid.UUID | None,
    limit: int,
) -> list[asyncpg.Record]:
    return await fetch(session, OBSERVATIONS, org_id, *window, employee_id, indicator, after, limit)


CURRENT_OBSERVATIONS = """
WITH touched AS (
    SELECT DISTINCT k.source, k.external_id
    FROM metric_observations k
    WHERE k.org_id = $1 AND k.employee_id = ANY($2::uuid[])
      AND k.observed_at >= $3 AND k.observed_at < $4
)
SELECT l.id, l.employee_id, l.indicator, l.value, l.observed_at, l.source
FROM touched t
CROSS JOIN LATERAL (
    SELECT o.id, o.employee_id, o.indicator, o.value, o.observed_at, o.source
    FROM metric_observations o
    WHERE o.org_id = $1 AND o.source = t.source AND o.external_id = t.external_id
    ORDER BY o.revision DESC
    LIMIT 1
) l
WHERE l.employee_id = ANY($2::uuid[])
"""
"""The newest revision of every observation of these employees that has a revision in the
window (the caller keeps those whose newest revision still falls in its periods): the keys
from the employee index within the window, then one probe of the unique index each. Reading
every revision of the employees instead hit the statement timeout at 100 observations a
person for 2,000 people (bench/run_ingestion.py)."""

KEPT_SCORES = """
SELECT employee_id, period, scheme_id, scheme_revision
FROM performance_scores
WHERE org_id = $1 AND employee_id = ANY($2::uuid[]) AND period = ANY($3::text[])
"""

SAVE_SCORES = """
INSERT INTO performance_scores (
    id, org_id, employee_id, period, starts_on, scheme_id, scheme_revision, overall,
    indicators, computed_at
)
SELECT t.id, $1, t.employee_id, t.period, t.starts_on, t.scheme_id, t.scheme_revision,
       t.overall, t.indicators::jsonb, $2
FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::date[], $7::uuid[], $8::int[],
            $9::float8[], $10::text[])
     AS t(id, employee_id, period, starts_on, scheme_id, scheme_revision, overall, indicators)
ON CONFLICT (org_id, employee_id, period) DO UPDATE
SET scheme_id = excluded.scheme_id, scheme_revision = excluded.scheme_revision,
    overall = excluded.overall, indicators = excluded.indicators,
    computed_at = excluded.computed_at
"""
"""A period's score replaces the last one (computed on the revision the period started on,
unless the employee moved to another scheme)."""


async def current_observations(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    window: tuple[datetime, datetime],
) -> list[asyncpg.Record]:
    return await fetch(session, CURRENT_OBSERVATIONS, org_id, list(employee_ids), *window)


async def kept_scores(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    periods: Sequence[str],
) -> list[asyncpg.Record]:
    return await fetch(session, KEPT_SCORES, org_id, list(employee_ids), list(periods))


DROP_SCORES = """
DELETE FROM performance_scores s
USING unnest($2::uuid[], $3::text[]) AS t(employee_id, period)
WHERE s.org_id = $1 AND s.employee_id = t.employee_id AND s.period = t.period
"""


async def drop_scores(
    session: AsyncSession, org_id: uuid.UUID, keys: Sequence[tuple[uuid.UUID, str]]
) -> None:
    """Remove the scores of these (employee, period) pairs in one statement."""
    if keys:
        employees, periods = zip(*keys, strict=True)
        await fetch(session, DROP_SCORES, org_id, list(employees), list(periods))


async def save_scores(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, rows: Sequence[tuple[Any, ...]]
) -> None:
    """Store `(id, employee_id, period, starts_on, scheme_id, scheme_revision, overall,
    indicators JSON text)` rows in one statement."""
    if rows:
        columns = list(zip(*rows, strict=True))
        await fetch(session, SAVE_SCORES, org_id, now, *map(list, columns))


SCORES = """
SELECT s.period, s.starts_on, s.scheme_id, p.name AS scheme_name, s.scheme_revision,
       s.overall, s.indicators, s.computed_at
FROM performance_scores s
JOIN performance_schemes p ON p.org_id = s.org_id AND p.id = s.scheme_id
WHERE s.org_id = $1 AND s.employee_id = $2
ORDER BY s.starts_on DESC, s.period
LIMIT $3
"""


async def scores_of(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, limit: int
) -> list[asyncpg.Record]:
    """An employee's newest period scores with their scheme's name, in one statement."""
    return await fetch(session, SCORES, org_id, employee_id, limit)


SCOPED_OBSERVATIONS = """
SELECT o.id, o.employee_id, e.full_name AS employee_name, o.department_id,
       d.name AS department_name, o.indicator, o.value, o.observed_at, o.source,
       o.external_id, o.revision, o.recorded_at
FROM metric_observations o
LEFT JOIN employees e ON e.org_id = o.org_id AND e.id = o.employee_id
LEFT JOIN departments d ON d.org_id = o.org_id AND d.id = o.department_id
WHERE o.org_id = $1 AND o.observed_at >= $2 AND o.observed_at < $3
  AND ($4::uuid IS NULL OR o.employee_id = $4)
  AND ($5::text IS NULL OR o.indicator = $5)
  AND ($6::uuid IS NULL OR o.id > $6)
  AND (o.employee_id = ANY($8::uuid[]) OR o.department_id = ANY($9::uuid[]))
ORDER BY o.id
LIMIT $7
"""
"""`OBSERVATIONS` of these employees (`$8`) and departments (`$9`) only: a key limited to
department subtrees."""


async def scoped_observations(
    session: AsyncSession,
    org_id: uuid.UUID,
    window: tuple[datetime, datetime],
    employee_id: uuid.UUID | None,
    indicator: str | None,
    after: uuid.UUID | None,
    limit: int,
    reach: tuple[Sequence[uuid.UUID], Sequence[uuid.UUID]],
) -> list[asyncpg.Record]:
    return await fetch(
        session,
        SCOPED_OBSERVATIONS,
        org_id,
        *window,
        employee_id,
        indicator,
        after,
        limit,
        list(reach[0]),
        list(reach[1]),
    )


# For each (employee, day): the overall live score of the latest period starting before the
# day and of the latest period starting on it or after.
SCORES_AROUND = """
SELECT a.ord, before.overall AS before, after.overall AS after
FROM unnest($2::uuid[], $3::date[]) WITH ORDINALITY AS a(employee_id, day, ord)
LEFT JOIN LATERAL (
    SELECT s.overall FROM performance_scores s
    WHERE s.org_id = $1 AND s.employee_id = a.employee_id AND s.starts_on < a.day
    ORDER BY s.starts_on DESC LIMIT 1
) AS before ON true
LEFT JOIN LATERAL (
    SELECT s.overall FROM performance_scores s
    WHERE s.org_id = $1 AND s.employee_id = a.employee_id AND s.starts_on >= a.day
    ORDER BY s.starts_on DESC LIMIT 1
) AS after ON true
ORDER BY a.ord
"""


async def scores_around(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    days: Sequence[date],
) -> list[asyncpg.Record]:
    """One row per (employee, day) pair, in the pairs' order; none sent for no pairs."""
    if not employee_ids:
        return []
    return await fetch(session, SCORES_AROUND, org_id, list(employee_ids), list(days))

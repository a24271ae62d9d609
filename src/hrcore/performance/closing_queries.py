"""Queries of period close and calibration: SQL written once, run at the driver
(`core.db.fetch`) in the request's or the job's tenant transaction. No business rules."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

LOCK_PERIOD = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"
"""Serializes the writes of one organization's period (two closes at once: the second sees
the first's row and answers 409), also before the period has a row to lock."""


async def lock_period(session: AsyncSession, org_id: uuid.UUID, period: str) -> None:
    await fetch(session, LOCK_PERIOD, f"performance_period:{org_id}:{period}")


PERIODS = """
SELECT s.period, s.employees, p.state, p.closed_at, p.closed_by, p.reopened_at,
       p.reopen_reason,
       (SELECT count(*) FROM performance_period_results r
        WHERE r.org_id = $1 AND r.period = s.period AND r.calibrated IS NOT NULL) AS calibrated
FROM (
    SELECT period, count(*) AS employees FROM performance_scores
    WHERE org_id = $1 AND ($2::text IS NULL OR period = $2) AND ($3::text IS NULL OR period < $3)
    GROUP BY period
) s
LEFT JOIN performance_periods p ON p.org_id = $1 AND p.period = s.period
ORDER BY s.period DESC
LIMIT $4
"""
"""The periods that have scores, newest name first, with their state and counts: the list
(a cursor on the name) and, with `$2`, one period."""


async def periods(
    session: AsyncSession, org_id: uuid.UUID, only: str | None, before: str | None, limit: int
) -> list[asyncpg.Record]:
    return await fetch(session, PERIODS, org_id, only, before, limit)


LETTERS = """
SELECT s.overall, r.original_letter, r.letter
FROM performance_scores s
LEFT JOIN performance_period_results r
       ON r.org_id = s.org_id AND r.period = s.period AND r.employee_id = s.employee_id
WHERE s.org_id = $1 AND s.period = $2
"""
"""Per scored employee of a period: the live overall and, once closed, its result's letters."""


async def letters(session: AsyncSession, org_id: uuid.UUID, period: str) -> list[asyncpg.Record]:
    return await fetch(session, LETTERS, org_id, period)


PERIOD_SCORES = """
SELECT s.employee_id, s.overall, s.starts_on, r.calibrated
FROM performance_scores s
LEFT JOIN performance_period_results r
       ON r.org_id = s.org_id AND r.period = s.period AND r.employee_id = s.employee_id
WHERE s.org_id = $1 AND s.period = $2
"""


async def period_scores(
    session: AsyncSession, org_id: uuid.UUID, period: str
) -> list[asyncpg.Record]:
    """The period's scores, each with the calibrated value a previous close kept."""
    return await fetch(session, PERIOD_SCORES, org_id, period)


SAVE_RESULTS = """
INSERT INTO performance_period_results (
    id, org_id, period, employee_id, overall, original_letter, letter, score, version
)
SELECT t.id, $1, $2, t.employee_id, t.overall, t.original_letter, t.letter, t.score, 1
FROM unnest($3::uuid[], $4::uuid[], $5::float8[], $6::text[], $7::text[], $8::float8[])
     AS t(id, employee_id, overall, original_letter, letter, score)
ON CONFLICT (org_id, period, employee_id) DO UPDATE
SET overall = excluded.overall, original_letter = excluded.original_letter,
    letter = excluded.letter, score = excluded.score,
    version = performance_period_results.version + 1, updated_at = now()
RETURNING id, employee_id
"""
"""A close's results, in one statement: a result a previous close wrote is replaced (its
calibration kept: the caller computed `letter` from it)."""


async def save_results(
    session: AsyncSession, org_id: uuid.UUID, period: str, rows: Sequence[tuple[Any, ...]]
) -> list[asyncpg.Record]:
    """`(id, employee_id, overall, original_letter, letter, score)` rows."""
    if not rows:
        return []
    columns = [list(column) for column in zip(*rows, strict=True)]
    return await fetch(session, SAVE_RESULTS, org_id, period, *columns)


DROP_STALE_RESULTS = """
DELETE FROM performance_period_results
WHERE org_id = $1 AND period = $2 AND NOT (employee_id = ANY($3::uuid[]))
RETURNING id, employee_id
"""


async def drop_stale_results(
    session: AsyncSession, org_id: uuid.UUID, period: str, kept: Sequence[uuid.UUID]
) -> list[asyncpg.Record]:
    """Remove the results of employees no longer scored in the period (after a reopen)."""
    return await fetch(session, DROP_STALE_RESULTS, org_id, period, list(kept))


RESULTS = """
SELECT r.id, r.employee_id, e.full_name AS employee_name, r.overall, r.calibrated,
       r.calibration_reason, r.calibrated_by, r.calibrated_at, r.original_letter, r.letter,
       r.score
FROM performance_period_results r
JOIN employees e ON e.org_id = r.org_id AND e.id = r.employee_id
WHERE r.org_id = $1 AND r.period = $2 AND ($3::uuid IS NULL OR r.employee_id > $3)
ORDER BY r.employee_id
LIMIT $4
"""
"""A closed period's results by employee id, the employee's name joined (the read-only name
join docs/architecture.md allows)."""


async def results(
    session: AsyncSession, org_id: uuid.UUID, period: str, after: uuid.UUID | None, limit: int
) -> list[asyncpg.Record]:
    return await fetch(session, RESULTS, org_id, period, after, limit)


CALIBRATE = """
UPDATE performance_period_results r
SET calibrated = t.calibrated, calibration_reason = t.reason, calibrated_by = $3,
    calibrated_at = $4, letter = t.letter, score = t.score, version = r.version + 1,
    updated_at = now()
FROM unnest($5::uuid[], $6::float8[], $7::text[], $8::text[], $9::float8[])
     AS t(employee_id, calibrated, reason, letter, score)
WHERE r.org_id = $1 AND r.period = $2 AND r.employee_id = t.employee_id
"""


async def calibrate(
    session: AsyncSession,
    org_id: uuid.UUID,
    period: str,
    by: uuid.UUID,
    at: datetime,
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """`(employee_id, calibrated, reason, letter, score)` rows, in one statement."""
    columns = [list(column) for column in zip(*rows, strict=True)]
    await fetch(session, CALIBRATE, org_id, period, by, at, *columns)


RESULTS_OF = """
SELECT id, employee_id, overall, calibrated, calibration_reason, letter, score
FROM performance_period_results
WHERE org_id = $1 AND period = $2 AND employee_id = ANY($3::uuid[])
"""


async def results_of(
    session: AsyncSession, org_id: uuid.UUID, period: str, employee_ids: Sequence[uuid.UUID]
) -> list[asyncpg.Record]:
    return await fetch(session, RESULTS_OF, org_id, period, list(employee_ids))


DUE = """
SELECT DISTINCT s.period
FROM performance_scores s
WHERE s.org_id = $1
  AND NOT EXISTS (
      SELECT 1 FROM performance_periods p WHERE p.org_id = $1 AND p.period = s.period
  )
"""
"""The scored periods never closed (a reopened period has its row: the cron leaves it to HR)."""


async def never_closed(session: AsyncSession, org_id: uuid.UUID) -> list[str]:
    return [row["period"] for row in await fetch(session, DUE, org_id)]


CLOSED_WINDOWS = """
SELECT period, starts_at, ends_at FROM performance_periods
WHERE org_id = $1 AND state = 'closed' AND ends_at > $2 AND starts_at <= $3
"""


async def closed_windows(
    session: AsyncSession, org_id: uuid.UUID, earliest: datetime, latest: datetime
) -> list[asyncpg.Record]:
    """The closed periods that overlap [earliest, latest]."""
    return await fetch(session, CLOSED_WINDOWS, org_id, earliest, latest)


BEFORE_SAVE = """
SELECT t.employee_id, t.period, s.overall, p.state,
       (SELECT jsonb_object_agg(f->>'key', f->'score')
        FROM jsonb_array_elements(s.indicators) AS f) AS scores
FROM unnest($2::uuid[], $3::text[]) AS t(employee_id, period)
LEFT JOIN performance_scores s
       ON s.org_id = $1 AND s.employee_id = t.employee_id AND s.period = t.period
LEFT JOIN performance_periods p ON p.org_id = $1 AND p.period = t.period
"""
"""Per (employee, period) a recompute is about to write: the stored overall and indicator
scores (key → score, null when not observed) and whether the period is closed."""


async def before_save(
    session: AsyncSession, org_id: uuid.UUID, keys: Sequence[tuple[uuid.UUID, str]]
) -> list[asyncpg.Record]:
    employees, periods_ = (list(column) for column in zip(*keys, strict=True))
    return await fetch(session, BEFORE_SAVE, org_id, employees, periods_)

"""Queries of decline alerts: the sweep (one statement that finds and stores every new alert)
and the list. SQL written once, run at the driver; no business rules here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

SWEEP = """
WITH ranked AS (
    SELECT s.employee_id, s.period, s.starts_on, s.scheme_id, s.indicators,
           row_number() OVER (PARTITION BY s.employee_id ORDER BY s.starts_on DESC) AS back
    FROM performance_scores s
    WHERE s.org_id = $1 AND ($2::uuid[] IS NULL OR s.employee_id = ANY($2::uuid[]))
), points AS (
    SELECT r.employee_id, r.period, r.starts_on, r.scheme_id, i->>'key' AS indicator,
           (i->>'value')::float8 AS value,
           i->>'aggregation' <> 'sum'
               OR r.starts_on + CASE WHEN r.period LIKE '%Q%' THEN interval '3 months'
                                     ELSE interval '1 month' END <= $3::date AS judged,
           row_number() OVER (
               PARTITION BY r.employee_id, i->>'key' ORDER BY r.starts_on DESC
           ) AS n
    FROM ranked r, jsonb_array_elements(r.indicators) AS i
    WHERE r.back <= 14 AND jsonb_typeof(i->'value') = 'number'
), judged AS (
    SELECT DISTINCT ON (p.employee_id, p.indicator) p.*
    FROM points p
    WHERE p.judged
    ORDER BY p.employee_id, p.indicator, p.n
), configured AS (
    SELECT j.*, spec->>'name' AS indicator_name, spec->>'unit' AS unit,
           spec->>'direction' AS direction,
           coalesce((spec->>'decline_window')::int, 3) AS window_size,
           coalesce((spec->>'decline_threshold')::float8, 25) AS threshold
    FROM judged j
    JOIN performance_schemes ps ON ps.org_id = $1 AND ps.id = j.scheme_id
    CROSS JOIN LATERAL jsonb_array_elements(ps.indicators) AS spec
    WHERE j.n <= 2 AND spec->>'key' = j.indicator
), measured AS (
    SELECT c.*, t.average, t.periods, t.series
    FROM configured c
    CROSS JOIN LATERAL (
        SELECT avg(p.value) AS average, count(*) AS periods,
               jsonb_agg(jsonb_build_object('period', p.period, 'value', p.value)
                         ORDER BY p.starts_on) AS series
        FROM points p
        WHERE p.employee_id = c.employee_id AND p.indicator = c.indicator
          AND p.n > c.n AND p.n <= c.n + c.window_size
    ) t
    WHERE t.periods = c.window_size AND t.average <> 0
), declined AS (
    SELECT m.*,
           CASE WHEN m.direction = 'lower' THEN m.value - m.average
                ELSE m.average - m.value END / abs(m.average) * 100 AS decline
    FROM measured m
)
INSERT INTO performance_alerts (
    id, org_id, employee_id, indicator, indicator_name, unit, direction, period, starts_on,
    scheme_id, value, average, series, window_size, threshold, decline, raised_at
)
SELECT gen_random_uuid(), $1, d.employee_id, d.indicator, d.indicator_name, d.unit,
       d.direction, d.period, d.starts_on, d.scheme_id, d.value, d.average, d.series,
       d.window_size, d.threshold, round(d.decline::numeric, 2)::float8, $4
FROM declined d
WHERE d.decline > d.threshold
ON CONFLICT (org_id, employee_id, indicator, period) DO NOTHING
RETURNING id, employee_id, indicator, indicator_name, unit, direction, period, value, average,
          series, window_size, threshold, decline
"""
"""Per series (employee, indicator): the newest period that can be judged — a `sum` only
once its period is over, as a month's first days would always look like a fall — among the
newest two, its trailing window of the `decline_window` periods before it (all of them
observed), and the alert where the value is worse than their mean by more than
`decline_threshold` % in the indicator's direction (window and threshold: the scheme's
current ones). An employee's newest 14 periods are read: the longest window (12), the period
judged and a current `sum` period not yet over. The unique (employee, indicator, period)
keeps an alert to one."""


async def sweep(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID] | None,
    today: date,
    now: datetime,
) -> list[asyncpg.Record]:
    """Store the new alerts of these employees (None: everyone) and return them."""
    wanted = None if employee_ids is None else list(employee_ids)
    return await fetch(session, SWEEP, org_id, wanted, today, now)


ALERTS = """
SELECT a.id, a.employee_id, e.full_name AS employee_name, a.indicator, a.indicator_name,
       a.unit, a.direction, a.period, a.starts_on, a.scheme_id, a.value, a.average, a.series,
       a.window_size, a.threshold, a.decline, a.raised_at
FROM performance_alerts a
JOIN employees e ON e.org_id = a.org_id AND e.id = a.employee_id
WHERE a.org_id = $1
  AND ($2::uuid[] IS NULL OR a.employee_id = ANY($2::uuid[]))
  AND ($3::uuid IS NULL OR a.employee_id = $3)
  AND ($4::text IS NULL OR a.indicator = $4)
  AND ($5::timestamptz IS NULL OR (a.raised_at, a.id) < ($5, $6::uuid))
ORDER BY a.raised_at DESC, a.id DESC
LIMIT $7
"""
"""Newest first, within the reach (`$2`, null for the whole organization), the employee's
name joined (the read-only name join docs/architecture.md allows)."""


async def alerts(
    session: AsyncSession,
    org_id: uuid.UUID,
    reach: Sequence[uuid.UUID] | None,
    employee_id: uuid.UUID | None,
    indicator: str | None,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    moment, last = before or (None, None)
    wanted = None if reach is None else list(reach)
    return await fetch(session, ALERTS, org_id, wanted, employee_id, indicator, moment, last, limit)

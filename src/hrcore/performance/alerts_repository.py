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
WITH specs AS (
    SELECT ps.id AS scheme_id, ps.period AS kind, spec->>'key' AS indicator,
           spec->>'name' AS indicator_name, spec->>'unit' AS unit,
           spec->>'direction' AS direction,
           coalesce((spec->>'decline_window')::int, 3) AS window_size,
           coalesce((spec->>'decline_threshold')::float8, 25) AS threshold
    FROM performance_schemes ps, jsonb_array_elements(ps.indicators) AS spec
    WHERE ps.org_id = $1
), since AS (
    SELECT (date_trunc('month', $3::date) - make_interval(months => max(
               (c.window_size + 2) * CASE WHEN c.kind = 'quarter' THEN 3 ELSE 1 END
           )))::date AS starts_on
    FROM specs c
), newest AS (
    SELECT s.employee_id, max(s.starts_on) AS starts_on
    FROM performance_scores s
    WHERE s.org_id = $1 AND ($2::uuid[] IS NULL OR s.employee_id = ANY($2::uuid[]))
      AND s.starts_on >= (SELECT starts_on FROM since)
    GROUP BY s.employee_id
), observed AS (
    SELECT s.employee_id, s.period, s.starts_on, s.scheme_id, i.key AS indicator, i.value,
           i.aggregation <> 'sum'
               OR s.starts_on + CASE WHEN s.period LIKE '%Q%' THEN interval '3 months'
                                     ELSE interval '1 month' END <= $3::date AS judged,
           ((extract(year FROM n.starts_on) - extract(year FROM s.starts_on)) * 12
            + extract(month FROM n.starts_on) - extract(month FROM s.starts_on))::int
               / CASE WHEN s.period LIKE '%Q%' THEN 3 ELSE 1 END + 1 AS back
    FROM performance_scores s
    JOIN newest n ON n.employee_id = s.employee_id
    CROSS JOIN jsonb_to_recordset(s.indicators) AS i(key text, value float8, aggregation text)
    WHERE s.org_id = $1 AND s.starts_on >= (SELECT starts_on FROM since)
      AND i.value IS NOT NULL
    OFFSET 0
), framed AS (
    SELECT p.*, c.window_size,
           lag(p.back) OVER series AS newer_back, lag(p.judged) OVER series AS newer_judged,
           lead(p.back, c.window_size) OVER series AS window_end,
           array_agg(p.value) OVER later AS later_values,
           array_agg(p.period) OVER later AS later_periods
    FROM observed p
    JOIN specs c ON c.scheme_id = p.scheme_id AND c.indicator = p.indicator
    WINDOW series AS (PARTITION BY p.employee_id, p.indicator ORDER BY p.back),
           later AS (series ROWS BETWEEN 1 FOLLOWING AND 12 FOLLOWING)
), measured AS (
    SELECT f.employee_id, f.indicator, f.period, f.starts_on, f.scheme_id, f.value,
           c.indicator_name, c.unit, c.direction, c.window_size, c.threshold,
           f.later_values[1:c.window_size] AS window_values,
           f.later_periods[1:c.window_size] AS window_periods,
           (SELECT avg(v) FROM unnest(f.later_values[1:c.window_size]) AS v) AS average
    FROM framed f
    JOIN specs c ON c.scheme_id = f.scheme_id AND c.indicator = f.indicator
    WHERE f.judged AND f.back <= 2
      AND NOT (f.back = 2 AND f.newer_back = 1 AND f.newer_judged)
      AND f.window_end = f.back + f.window_size
), declined AS (
    SELECT m.*,
           CASE WHEN m.direction = 'lower' THEN m.value - m.average
                ELSE m.average - m.value END / abs(m.average) * 100 AS decline
    FROM measured m
    WHERE m.average <> 0
)
INSERT INTO performance_alerts (
    id, org_id, employee_id, indicator, indicator_name, unit, direction, period, starts_on,
    scheme_id, value, average, series, window_size, threshold, decline, raised_at
)
SELECT gen_random_uuid(), $1, d.employee_id, d.indicator, d.indicator_name, d.unit,
       d.direction, d.period, d.starts_on, d.scheme_id, d.value, d.average,
       (SELECT jsonb_agg(jsonb_build_object('period', w.period, 'value', w.value)
                         ORDER BY w.back DESC)
        FROM unnest(d.window_periods, d.window_values) WITH ORDINALITY AS w(period, value, back)),
       d.window_size, d.threshold, round(d.decline::numeric, 2)::float8, $4
FROM declined d
WHERE d.decline > d.threshold
ON CONFLICT (org_id, employee_id, indicator, period) DO NOTHING
RETURNING id, employee_id, indicator, indicator_name, unit, direction, period, value, average,
          series, window_size, threshold, decline
"""
"""Per series (employee, indicator): the newest period that can be judged — a `sum` only
once its period is over, as a month's first days would always look like a fall — among the
employee's newest two, the `decline_window` periods right before it (all of them observed:
a gap judges nothing), and the alert where the value is worse than their mean by more than
`decline_threshold` % in the indicator's direction (window, threshold, name and unit: the
scheme's current ones). Only the periods the longest window can reach are read, each score's
indicators once (`jsonb_to_recordset`: three fields, not whole objects; `OFFSET 0` keeps the
planner from expanding them once per indicator of the scheme), and one window pass
over the series gives each period the values after it: no self-join, one sort. The unique
(employee, indicator, period) keeps an alert to one."""


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

"""Queries of department performance: the departments' own observations and the team's
aggregate of its members' live scores. SQL written once, run at the driver."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

DEPARTMENT_OBSERVATIONS = """
SELECT latest.id, latest.department_id, latest.indicator, latest.value, latest.observed_at,
       latest.source
FROM (
    SELECT DISTINCT ON (o.source, o.external_id)
        o.id, o.department_id, o.indicator, o.value, o.observed_at, o.source
    FROM metric_observations o
    WHERE o.org_id = $1 AND (o.source, o.external_id) IN (
        SELECT k.source, k.external_id FROM metric_observations k
        WHERE k.org_id = $1 AND k.department_id IS NOT NULL AND k.observed_at >= $3
          AND ($2::uuid[] IS NULL OR k.department_id = ANY($2::uuid[]))
    )
    ORDER BY o.source, o.external_id, o.revision DESC
) latest
WHERE latest.department_id IS NOT NULL AND latest.observed_at >= $3
  AND ($2::uuid[] IS NULL OR latest.department_id = ANY($2::uuid[]))
"""
"""The newest revision of every department observation since `$3` (of these departments;
null: all), when that revision still names a department and falls in the window."""


async def department_observations(
    session: AsyncSession,
    org_id: uuid.UUID,
    department_ids: Sequence[uuid.UUID] | None,
    since: datetime,
) -> list[asyncpg.Record]:
    wanted = None if department_ids is None else list(department_ids)
    return await fetch(session, DEPARTMENT_OBSERVATIONS, org_id, wanted, since)


TEAM_SCORES = """
WITH scored AS (
    SELECT s.period, s.starts_on, s.overall, s.indicators
    FROM performance_scores s
    WHERE s.org_id = $1 AND s.employee_id = ANY($2::uuid[]) AND s.starts_on >= $3
), per_indicator AS (
    SELECT sc.period, i->>'key' AS key, min(i->>'name') AS name,
           count(*) AS members, avg((i->>'value')::float8) AS value,
           avg((i->>'score')::float8) AS score
    FROM scored sc, jsonb_array_elements(sc.indicators) AS i
    WHERE jsonb_typeof(i->'score') = 'number'
    GROUP BY sc.period, i->>'key'
)
SELECT s.period, min(s.starts_on) AS starts_on, count(*) AS members, avg(s.overall) AS overall,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'key', p.key, 'name', p.name, 'members', p.members,
                   'value', round(p.value::numeric, 2), 'score', round(p.score::numeric, 2)
               ) ORDER BY p.key), '[]'::jsonb)
        FROM per_indicator p WHERE p.period = s.period) AS indicators
FROM scored s
GROUP BY s.period
"""
"""Per period: how many members have a score, the mean of their overall scores and, per
indicator, the mean of the values and scores of those observed in it."""


async def team_scores(
    session: AsyncSession, org_id: uuid.UUID, member_ids: Sequence[uuid.UUID], since: date
) -> list[asyncpg.Record]:
    return await fetch(session, TEAM_SCORES, org_id, list(member_ids), since)

"""Queries of the dashboards: SQL written once, run at the driver (`core.db.fetch`) in the
request's tenant transaction. No business rules here.

The marks (`MY_MARKS`, `TEAM_MARKS`) are what a dashboard's `ETag` is made of: how many rows
there are, the newest `computed_at` and the newest row version (`xmin`, which moves on every
rewrite even when two recomputes share a clock reading) — the one statement a poll that
answers 304 costs. A department's trend and marks read its aggregates (`team_periods`),
not its members' scores.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.performance import team_periods

MY_MARKS = """
SELECT s.scores, s.computed_at, s.row_version, g.goals, g.key_results, g.check_ins,
       g.goals_version
FROM (SELECT count(*) AS scores, max(computed_at) AS computed_at,
             max(xmin::text::bigint) AS row_version
      FROM performance_scores
      WHERE org_id = $1 AND employee_id = $2) s,
     (SELECT count(DISTINCT g.id) AS goals, count(DISTINCT k.id) AS key_results,
             count(c.id) AS check_ins,
             greatest(max(g.xmin::text::bigint), max(k.xmin::text::bigint),
                      max(c.xmin::text::bigint)) AS goals_version
      FROM goals g
      LEFT JOIN goal_key_results k ON k.org_id = g.org_id AND k.goal_id = g.id
      LEFT JOIN goal_key_result_check_ins c
             ON c.org_id = k.org_id AND c.key_result_id = k.id
      WHERE g.org_id = $1 AND g.period = ANY($3::text[]) AND g.employee_id = $2) g
"""
"""The employee's score marks and the marks of their goals of the current periods (`$3`), of
any status (cancelling one changes them too), with their key results and check-ins: counts
and newest row versions."""

MY_PERIODS = """
SELECT s.period, s.starts_on, s.overall, s.computed_at,
       (SELECT jsonb_agg(jsonb_build_object(
                   'key', f->'key', 'name', f->'name', 'unit', f->'unit',
                   'direction', f->'direction', 'value', f->'value', 'target', f->'target',
                   'score', f->'score', 'weight', f->'weight') ORDER BY n)
        FROM jsonb_array_elements(s.indicators) WITH ORDINALITY AS x(f, n)) AS indicators
FROM performance_scores s
WHERE s.org_id = $1 AND s.employee_id = $2
ORDER BY s.starts_on DESC, s.period
LIMIT $3
"""
"""An employee's newest periods with each indicator's figures, without the explanation's
inputs (the dashboard shows figures; `/me/performance` explains them)."""

ROSTER_FIXES = """
counted AS (
    SELECT employee_id FROM performance_team_members
    WHERE org_id = $1 AND departments @> ARRAY[$3::uuid]
),
roster AS (SELECT DISTINCT unnest($2::uuid[]) AS employee_id),
fixes AS (
    SELECT coalesce(r.employee_id, c.employee_id) AS employee_id,
           CASE WHEN r.employee_id IS NULL THEN -1 ELSE 1 END AS sign
    FROM counted c FULL JOIN roster r ON r.employee_id = c.employee_id
    WHERE c.employee_id IS NULL OR r.employee_id IS NULL
)"""
"""Whom the department's aggregates (`team_periods`) and its roster `$2` disagree on: a
member not counted under it (moved in, not recomputed since: +1) and someone counted under
it who is no active member now (moved out or left: -1)."""

TEAM_MARKS = f"""
WITH {ROSTER_FIXES}
SELECT (SELECT name FROM departments WHERE org_id = $1 AND id = $3) AS department_name,
       (SELECT md5(string_agg(full_name, '|' ORDER BY id)) FROM employees
        WHERE org_id = $1 AND id = ANY($2::uuid[])) AS member_names,
       (SELECT md5(string_agg(name, '|' ORDER BY id)) FROM departments
        WHERE org_id = $1 AND id = ANY($5::uuid[])) AS department_names,
       a.sums, a.row_version, f.scores, f.computed_at, f.scores_version,
       o.observations, o.recorded_at, g.goals, g.key_results, g.check_ins, g.goals_version
FROM (SELECT count(*) AS sums, max(xmin::text::bigint) AS row_version
      FROM performance_team_periods WHERE org_id = $1 AND department_id = $3) a,
     (SELECT count(s.id) AS scores, max(s.computed_at) AS computed_at,
             max(s.xmin::text::bigint) AS scores_version
      FROM fixes x
      JOIN performance_scores s ON s.org_id = $1 AND s.employee_id = x.employee_id) f,
     (SELECT count(*) AS observations, max(recorded_at) AS recorded_at
      FROM metric_observations WHERE org_id = $1 AND department_id = $3) o,
     (SELECT count(DISTINCT g.id) AS goals, count(DISTINCT k.id) AS key_results,
             count(c.id) AS check_ins,
             greatest(max(g.xmin::text::bigint), max(k.xmin::text::bigint),
                      max(c.xmin::text::bigint)) AS goals_version
      FROM goals g
      LEFT JOIN goal_key_results k ON k.org_id = g.org_id AND k.goal_id = g.id
      LEFT JOIN goal_key_result_check_ins c
             ON c.org_id = k.org_id AND c.key_result_id = k.id
      WHERE g.org_id = $1 AND g.period = ANY($4::text[]) AND g.department_id = $3) g
"""  # noqa: S608 (this module's constants only)
"""The marks of the department's aggregates (every save of a score counted under it
rewrites them), of the scores of those the roster and the aggregates disagree on, the
department's own observations' marks (which also move its goals' linked key results), its
goals' marks, its name and a digest of its members' and their departments' (`$5`) names
(the read-only name joins docs/architecture.md allows: a rename changes the tag too). The
members' current scores need no marks of their own: each change of one rewrites the
aggregates or is a fix's."""

TEAM_TREND = f"""
WITH {ROSTER_FIXES},
parts AS (
    SELECT period, starts_on, key, name, unit, direction, entries, scored, score_sum,
           valued, value_sum
    FROM performance_team_periods WHERE org_id = $1 AND department_id = $3
    UNION ALL
    SELECT s.period, s.starts_on, x.key, x.name, x.unit, x.direction, f.sign,
           f.sign * (x.score IS NOT NULL)::int, f.sign * coalesce(x.score, 0),
           f.sign * (x.value IS NOT NULL)::int, f.sign * coalesce(x.value, 0)
    FROM fixes f
    JOIN performance_scores s ON s.org_id = $1 AND s.employee_id = f.employee_id
    {team_periods.FIGURES}
), variants AS (
    SELECT period, starts_on, key, name, unit, direction, sum(scored) AS scored,
           sum(score_sum) AS score_sum, sum(valued) AS valued, sum(value_sum) AS value_sum
    FROM parts
    GROUP BY period, starts_on, key, name, unit, direction
    HAVING sum(entries) > 0
), periods AS (
    SELECT period, min(starts_on) AS starts_on FROM variants WHERE key = ''
    GROUP BY period
    ORDER BY min(starts_on) DESC, period
    LIMIT $4
)
SELECT p.period, p.starts_on, NULLIF(v.key, '') AS key, max(v.name) AS name,
       max(v.unit) AS unit, max(v.direction) AS direction, sum(v.scored)::bigint AS members,
       (sum(v.score_sum) / NULLIF(sum(v.scored), 0))::float8 AS mean_score,
       (sum(v.value_sum) / NULLIF(sum(v.valued), 0))::float8 AS mean_value
FROM variants v JOIN periods p ON p.period = v.period
GROUP BY p.period, p.starts_on, v.key
ORDER BY p.starts_on, p.period, NULLIF(v.key, '') NULLS FIRST
"""  # noqa: S608 (declared constants only)
"""Per period (the team's newest 12, oldest first) the members scored and their mean overall
(the row whose `key` is null), then per indicator the members scored and the means of their
scores and values: the department's aggregates corrected by the fixes' own scores, the
figures the members' explanations give (`tests/performance/test_team_periods.py`)."""

TEAM_CURRENT = """
WITH current AS (
    SELECT employee_id, overall FROM performance_scores
    WHERE org_id = $1 AND employee_id = ANY($2::uuid[]) AND period = $3
), parts AS (
    SELECT 'band' AS part, width_bucket(overall, $4::float8[]) AS band, count(*) AS members,
           NULL::uuid AS employee_id, NULL::float8 AS overall, NULL::bigint AS rank
    FROM current GROUP BY 2
    UNION ALL
    (SELECT 'best', NULL, NULL, employee_id, overall,
            row_number() OVER (ORDER BY overall DESC, employee_id)
     FROM current ORDER BY overall DESC, employee_id LIMIT $5)
    UNION ALL
    (SELECT 'worst', NULL, NULL, employee_id, overall,
            row_number() OVER (ORDER BY overall, employee_id)
     FROM current ORDER BY overall, employee_id LIMIT $5)
)
SELECT p.part, p.band, p.members, p.employee_id, p.overall, e.full_name AS employee_name,
       r.department_id, d.name AS department_name
FROM parts p
LEFT JOIN unnest($2::uuid[], $6::uuid[]) AS r(employee_id, department_id)
       ON r.employee_id = p.employee_id
LEFT JOIN employees e ON e.org_id = $1 AND e.id = p.employee_id
LEFT JOIN departments d ON d.org_id = $1 AND d.id = r.department_id
ORDER BY p.part, p.rank, p.band
"""
"""The current period's distribution over the bands (`width_bucket`: 0 below the first
bound, i at or above the i-th) and the best and worst members, named (the name joins
docs/architecture.md allows) with their department from the roster (`$2`, `$6`)."""

DEPARTMENT_OBSERVATIONS = """
SELECT DISTINCT ON (c.indicator) c.indicator, c.value, c.observed_at, c.source
FROM (
    SELECT DISTINCT ON (o.source, o.external_id) o.indicator, o.value, o.observed_at, o.source
    FROM metric_observations o
    WHERE o.org_id = $1 AND o.department_id = $2
    ORDER BY o.source, o.external_id, o.revision DESC
) c
ORDER BY c.indicator, c.observed_at DESC
"""
"""Per indicator, the newest value observed for the department itself (corrections
applied: the newest revision of each source and external id counts)."""


async def my_marks(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, periods: Sequence[str]
) -> asyncpg.Record:
    return (await fetch(session, MY_MARKS, org_id, employee_id, list(periods)))[0]


async def my_periods(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, limit: int
) -> list[asyncpg.Record]:
    return await fetch(session, MY_PERIODS, org_id, employee_id, limit)


async def team_marks(
    session: AsyncSession,
    org_id: uuid.UUID,
    member_ids: Sequence[uuid.UUID],
    department_id: uuid.UUID,
    periods: Sequence[str],
    department_ids: Sequence[uuid.UUID],
) -> asyncpg.Record:
    arguments = (list(member_ids), department_id, list(periods), list(department_ids))
    return (await fetch(session, TEAM_MARKS, org_id, *arguments))[0]


async def team_trend(
    session: AsyncSession,
    org_id: uuid.UUID,
    member_ids: Sequence[uuid.UUID],
    department_id: uuid.UUID,
    periods: int,
) -> list[asyncpg.Record]:
    return await fetch(session, TEAM_TREND, org_id, list(member_ids), department_id, periods)


async def team_current(
    session: AsyncSession,
    org_id: uuid.UUID,
    member_ids: Sequence[uuid.UUID],
    department_ids: Sequence[uuid.UUID],
    period: str,
    bounds: Sequence[float],
    shown: int,
) -> list[asyncpg.Record]:
    return await fetch(
        session,
        TEAM_CURRENT,
        org_id,
        list(member_ids),
        period,
        list(bounds),
        shown,
        list(department_ids),
    )


async def department_observations(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> list[asyncpg.Record]:
    return await fetch(session, DEPARTMENT_OBSERVATIONS, org_id, department_id)

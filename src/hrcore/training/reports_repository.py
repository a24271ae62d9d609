"""Queries of training's reports and profile sections: SQL written once, run at the driver
(`core.db.fetch`) in the request's tenant transaction. No business rules here.

Employees are read as a bare table (`employees.id, org_id, department_id`, and a
department's `name`) to put people in their departments: the one cross-domain SQL the
architecture allows, read-only."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

# `$3`: the departments in reach (NULL: the whole organization).
POINTS_BY_DEPARTMENT = """
SELECT d.id, d.name, count(*) AS people,
       sum(b.participation) AS participation, sum(b.outcome) AS outcome,
       sum(b.sharing) AS sharing, sum(b.total) AS total
FROM points_balances b
JOIN employees e ON e.org_id = b.org_id AND e.id = b.employee_id
JOIN departments d ON d.org_id = e.org_id AND d.id = e.department_id
WHERE b.org_id = $1 AND b.period = $2
  AND ($3::uuid[] IS NULL OR e.department_id = ANY($3::uuid[]))
GROUP BY d.id, d.name
ORDER BY d.name, d.id
"""

CATEGORY_WEIGHTS = "SELECT category_weights FROM training_settings WHERE org_id = $1"

# Per course: classes and their allowance, the enrolments of people in reach (`$2`, NULL:
# everyone) and what became of them, everyone's enrolments (to share a class's allowance),
# and the action plans of the enrolments in reach. A course without anyone in reach is left
# out unless the reach is the whole organization.
COURSE_FIGURES = """
WITH scoped AS (
    SELECT en.id, en.course_id, en.status, en.checked_in_at, en.late
    FROM training_enrolments en
    JOIN employees e ON e.org_id = en.org_id AND e.id = en.employee_id
    WHERE en.org_id = $1 AND en.status IN ('enrolled', 'completed')
      AND ($2::uuid[] IS NULL OR e.department_id = ANY($2::uuid[]))
), enrolments AS (
    SELECT course_id, count(*) AS enrolled,
           count(*) FILTER (WHERE status = 'completed' OR checked_in_at IS NOT NULL) AS attended,
           count(*) FILTER (WHERE late) AS late,
           count(*) FILTER (WHERE status = 'completed') AS completed
    FROM scoped GROUP BY course_id
), everyone AS (
    SELECT course_id, count(*) AS enrolled FROM training_enrolments
    WHERE org_id = $1 AND status IN ('enrolled', 'completed') GROUP BY course_id
), plans AS (
    SELECT p.course_id, count(*) AS plans, avg(p.score)::float AS mean_score,
           count(*) FILTER (WHERE p.adopted_at IS NOT NULL) AS adopted
    FROM training_action_plans p JOIN scoped s ON s.id = p.enrolment_id
    WHERE p.org_id = $1 GROUP BY p.course_id
), classes AS (
    SELECT course_id, count(*) AS sessions,
           coalesce(sum(instructor_allowance), 0) AS allowance
    FROM training_sessions WHERE org_id = $1 AND status <> 'cancelled' GROUP BY course_id
)
SELECT c.id, c.name, c.mode, c.fee,
       coalesce(k.sessions, 0) AS sessions, coalesce(k.allowance, 0) AS allowance,
       coalesce(n.enrolled, 0) AS enrolled, coalesce(n.attended, 0) AS attended,
       coalesce(n.late, 0) AS late, coalesce(n.completed, 0) AS completed,
       coalesce(a.enrolled, 0) AS enrolled_everywhere,
       coalesce(p.plans, 0) AS plans, p.mean_score, coalesce(p.adopted, 0) AS adopted
FROM training_courses c
LEFT JOIN classes k ON k.course_id = c.id
LEFT JOIN enrolments n ON n.course_id = c.id
LEFT JOIN everyone a ON a.course_id = c.id
LEFT JOIN plans p ON p.course_id = c.id
WHERE c.org_id = $1 AND ($2::uuid[] IS NULL OR n.course_id IS NOT NULL)
ORDER BY c.name, c.id
"""

COURSE_HEAD = """
SELECT c.id, c.name, c.competency_ids,
       (SELECT min(s.starts_at) FROM training_sessions s
         WHERE s.org_id = c.org_id AND s.course_id = c.id AND s.status <> 'cancelled')
           AS first_session_at
FROM training_courses c WHERE c.org_id = $1 AND c.id = $2
"""

# Who attended each course (`$2`) in reach (`$3`), with the moment the training counts from:
# the course's first class, or for an online course the day it was completed.
PARTICIPANTS = """
WITH first_class AS (
    SELECT course_id, min(starts_at) AS starts_at FROM training_sessions
    WHERE org_id = $1 AND course_id = ANY($2::uuid[]) AND status <> 'cancelled'
    GROUP BY course_id
)
SELECT DISTINCT ON (en.course_id, en.employee_id)
       en.course_id, en.employee_id, coalesce(f.starts_at, en.completed_at) AS moment
FROM training_enrolments en
JOIN employees e ON e.org_id = en.org_id AND e.id = en.employee_id
LEFT JOIN first_class f ON f.course_id = en.course_id
WHERE en.org_id = $1 AND en.course_id = ANY($2::uuid[])
  AND (en.status = 'completed' OR en.checked_in_at IS NOT NULL)
  AND coalesce(f.starts_at, en.completed_at) IS NOT NULL
  AND ($3::uuid[] IS NULL OR e.department_id = ANY($3::uuid[]))
ORDER BY en.course_id, en.employee_id, moment
"""

PROFILE_TRAININGS = """
SELECT c.id, c.name, (en.completed_at AT TIME ZONE $3)::date AS completed_on,
       CASE WHEN en.passed_at IS NOT NULL THEN 'passed'
            WHEN en.late THEN 'late' ELSE 'attended' END AS result
FROM training_enrolments en
JOIN training_courses c ON c.org_id = en.org_id AND c.id = en.course_id
WHERE en.org_id = $1 AND en.employee_id = $2 AND en.status = 'completed'
ORDER BY en.completed_at DESC NULLS LAST, c.name
"""

# Years (`2026`) and quarters (`2026-Q4`), each year before its quarters, newest first;
# months (`2026-11`) are left to `/me/points`.
PROFILE_POINTS = """
SELECT period, total FROM points_balances
WHERE org_id = $1 AND employee_id = $2 AND (length(period) = 4 OR period LIKE '%-Q%')
ORDER BY left(period, 4) DESC, length(period), period COLLATE "C" DESC
"""


async def points_by_department(
    session: AsyncSession,
    org_id: uuid.UUID,
    period: str,
    department_ids: Sequence[uuid.UUID] | None,
) -> list[asyncpg.Record]:
    return await fetch(session, POINTS_BY_DEPARTMENT, org_id, period, department_ids)


async def category_weights(session: AsyncSession, org_id: uuid.UUID) -> dict[str, int] | None:
    rows = await fetch(session, CATEGORY_WEIGHTS, org_id)
    return dict(rows[0]["category_weights"]) if rows else None


async def course_figures(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID] | None
) -> list[asyncpg.Record]:
    return await fetch(session, COURSE_FIGURES, org_id, department_ids)


async def course_head(
    session: AsyncSession, org_id: uuid.UUID, course_id: uuid.UUID
) -> asyncpg.Record | None:
    rows = await fetch(session, COURSE_HEAD, org_id, course_id)
    return rows[0] if rows else None


async def participants(
    session: AsyncSession,
    org_id: uuid.UUID,
    course_ids: Sequence[uuid.UUID],
    department_ids: Sequence[uuid.UUID] | None,
) -> list[asyncpg.Record]:
    if not course_ids:
        return []
    return await fetch(session, PARTICIPANTS, org_id, list(course_ids), department_ids)


async def profile_trainings(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, timezone: str
) -> list[asyncpg.Record]:
    return await fetch(session, PROFILE_TRAININGS, org_id, employee_id, timezone)


async def profile_points(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[asyncpg.Record]:
    return await fetch(session, PROFILE_POINTS, org_id, employee_id)

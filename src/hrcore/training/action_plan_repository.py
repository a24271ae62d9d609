"""Queries of action plans: SQL written once, run at the driver (`core.db.fetch`), with the
employee's full name and the scorers' and adopter's display names joined in (the read-only
name join docs/architecture.md allows) and the course's name. No business rules here.

A plan is due on day `DUE_DAYS` after its enrolment was completed, in the organization's
time zone: computed from the enrolment, so the list, the read and the completion rates
agree without a stored copy."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

DUE_DAYS = 30
REMINDER_DAY = 10

_DUE_ON = f"((e.completed_at AT TIME ZONE $2)::date + {DUE_DAYS})"

_COLUMNS = f"""
SELECT p.id, p.enrolment_id, p.employee_id, em.full_name AS employee_name, p.course_id,
       c.name AS course_name, p.task_id, p.status, {_DUE_ON} AS due_on, p.content,
       p.submitted_at, p.hr_score, p.hr_scored_by, hu.display_name AS hr_scored_by_name,
       p.manager_score, p.manager_scored_by, mu.display_name AS manager_scored_by_name,
       p.score::float8 AS score, p.scored_at, p.adopted_at, p.adopted_by,
       au.display_name AS adopted_by_name, p.adoption_note, p.outcome, p.created_at
FROM training_action_plans p
JOIN training_enrolments e ON e.org_id = p.org_id AND e.id = p.enrolment_id
JOIN training_courses c ON c.org_id = p.org_id AND c.id = p.course_id
JOIN employees em ON em.org_id = p.org_id AND em.id = p.employee_id
LEFT JOIN users hu ON hu.org_id = p.org_id AND hu.id = p.hr_scored_by
LEFT JOIN users mu ON mu.org_id = p.org_id AND mu.id = p.manager_scored_by
LEFT JOIN users au ON au.org_id = p.org_id AND au.id = p.adopted_by
"""  # noqa: S608 (this module's constants only)

PLANS = (
    _COLUMNS
    + """WHERE p.org_id = $1
  AND ($3::uuid[] IS NULL OR p.employee_id = ANY($3::uuid[]))
  AND ($4::text IS NULL OR p.status = $4)
  AND ($5::uuid IS NULL OR p.course_id = $5)
  AND ($6::uuid IS NULL OR p.employee_id = $6)
  AND ($7::bool IS NULL OR (p.adopted_at IS NOT NULL) = $7)
  AND ($8::timestamptz IS NULL OR (p.created_at, p.id) < ($8, $9::uuid))
ORDER BY p.created_at DESC, p.id DESC
LIMIT $10
"""
)
"""A page of plans, newest first, among the employees `$3` (null: the whole organization)."""

PLAN = _COLUMNS + "WHERE p.org_id = $1 AND p.id = $3\n"
"""One plan with its names."""

COMPLETION_RATES = f"""
SELECT w.employee_id, count(d.id) AS due, count(d.id) FILTER (WHERE d.status = 'scored') AS scored
FROM unnest($3::uuid[]) AS w(employee_id)
LEFT JOIN LATERAL (
    SELECT p.id, p.status
    FROM training_action_plans p
    JOIN training_enrolments e ON e.org_id = p.org_id AND e.id = p.enrolment_id
    WHERE p.org_id = $1 AND p.employee_id = w.employee_id
      AND {_DUE_ON} BETWEEN $4 AND $5
) AS d ON true
GROUP BY w.employee_id
"""  # noqa: S608 (this module's constants only)
"""Per employee: the plans due in the window (`$4`–`$5`, both days included) and how many of
them are scored."""


async def plans(
    session: AsyncSession,
    org_id: uuid.UUID,
    timezone: str,
    *,
    among: list[uuid.UUID] | None,
    status: str | None,
    course_id: uuid.UUID | None,
    employee_id: uuid.UUID | None,
    adopted: bool | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    moment, last = after if after is not None else (None, None)
    return await fetch(
        session,
        PLANS,
        org_id,
        timezone,
        among,
        status,
        course_id,
        employee_id,
        adopted,
        moment,
        last,
        limit,
    )


async def plan(
    session: AsyncSession, org_id: uuid.UUID, timezone: str, plan_id: uuid.UUID
) -> asyncpg.Record | None:
    rows = await fetch(session, PLAN, org_id, timezone, plan_id)
    return rows[0] if rows else None


async def completion_rates(
    session: AsyncSession,
    org_id: uuid.UUID,
    timezone: str,
    employee_ids: list[uuid.UUID],
    start: date,
    end: date,
) -> list[asyncpg.Record]:
    return await fetch(session, COMPLETION_RATES, org_id, timezone, employee_ids, start, end)

"""Queries of check-in, attendance and online progress: SQL written once, run at the driver
(`core.db.fetch`) in the request's tenant transaction. No business rules.

Names beside ids come from the one crossing architecture.md allows: `employees.full_name`
joined read-only."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

SESSION = """
SELECT s.id, s.course_id, s.starts_at, s.late_grace_minutes, s.status, s.instructor_id,
       c.name AS course_name, c.points AS course_points
FROM training_sessions s
JOIN training_courses c ON c.org_id = s.org_id AND c.id = s.course_id
WHERE s.org_id = $1 AND s.id = $2
"""
"""A session with what check-in needs of its course."""


async def session_row(
    session: AsyncSession, org_id: uuid.UUID, session_id: uuid.UUID
) -> asyncpg.Record | None:
    rows = await fetch(session, SESSION, org_id, session_id)
    return rows[0] if rows else None


SESSION_ENROLMENT_FOR_UPDATE = """
SELECT en.id, en.employee_id, en.status, en.checked_in_at, en.late, en.check_in_method,
       en.reminder_task_id,
       e.full_name AS employee_name
FROM training_enrolments en
JOIN employees e ON e.org_id = en.org_id AND e.id = en.employee_id
WHERE en.org_id = $1 AND en.session_id = $2 AND en.employee_id = $3 AND en.status <> 'cancelled'
FOR UPDATE OF en
"""
"""The live enrolment of an employee in a session, locked: two check-ins of one person
queue here, and the second sees the first's result."""


async def session_enrolment_for_update(
    session: AsyncSession, org_id: uuid.UUID, session_id: uuid.UUID, employee_id: uuid.UUID
) -> asyncpg.Record | None:
    rows = await fetch(session, SESSION_ENROLMENT_FOR_UPDATE, org_id, session_id, employee_id)
    return rows[0] if rows else None


CHECK_IN = """
UPDATE training_enrolments
SET status = 'completed', checked_in_at = $3, late = $4, check_in_method = $5,
    completed_at = $3, version = version + 1, updated_at = now()
WHERE org_id = $1 AND id = $2
"""


async def check_in(
    session: AsyncSession,
    org_id: uuid.UUID,
    enrolment_id: uuid.UUID,
    at: datetime,
    late: bool,
    method: str,
) -> None:
    await fetch(session, CHECK_IN, org_id, enrolment_id, at, late, method)


ATTENDANCE_SUMMARY = """
SELECT count(*) AS enrolled,
       count(*) FILTER (WHERE checked_in_at IS NOT NULL) AS present,
       count(*) FILTER (WHERE late) AS late
FROM training_enrolments
WHERE org_id = $1 AND session_id = $2 AND status IN ('enrolled', 'completed')
  AND ($3::uuid[] IS NULL OR employee_id = ANY($3))
"""
"""The session's counts over the enrolled people the reader sees (`$3` null: all)."""

ATTENDANCE_PAGE = """
SELECT en.id, en.employee_id, e.full_name AS employee_name, en.status, en.checked_in_at,
       en.late, en.check_in_method
FROM training_enrolments en
JOIN employees e ON e.org_id = en.org_id AND e.id = en.employee_id
WHERE en.org_id = $1 AND en.session_id = $2 AND en.status IN ('enrolled', 'completed')
  AND ($3::uuid[] IS NULL OR en.employee_id = ANY($3))
  AND ($4::text IS NULL OR (e.full_name, en.id) > ($4, $5::uuid))
ORDER BY e.full_name, en.id
LIMIT $6
"""
"""One page of the session's enrolled people, by name then id (the cursor)."""


async def attendance_summary(
    session: AsyncSession,
    org_id: uuid.UUID,
    session_id: uuid.UUID,
    among: list[uuid.UUID] | None,
) -> asyncpg.Record:
    rows = await fetch(session, ATTENDANCE_SUMMARY, org_id, session_id, among)
    return rows[0]


async def attendance_page(
    session: AsyncSession,
    org_id: uuid.UUID,
    session_id: uuid.UUID,
    among: list[uuid.UUID] | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    name, last_id = after if after else (None, None)
    return await fetch(session, ATTENDANCE_PAGE, org_id, session_id, among, name, last_id, limit)


ONLINE_ENROLMENT_FOR_UPDATE = """
SELECT en.id, en.employee_id, en.status,
       ARRAY(SELECT jsonb_array_elements_text(en.completed_modules)) AS completed_modules,
       en.completed_at, c.id AS course_id, c.completion_threshold, c.points AS course_points,
       ARRAY(SELECT m ->> 'key' FROM jsonb_array_elements(c.modules) m) AS module_keys
FROM training_enrolments en
JOIN training_courses c ON c.org_id = en.org_id AND c.id = en.course_id
WHERE en.org_id = $1 AND en.course_id = $2 AND en.employee_id = $3
  AND en.session_id IS NULL AND en.status IN ('enrolled', 'completed')
FOR UPDATE OF en
"""
"""An employee's live online enrolment in a course with its course, locked while progress
is recorded (two modules posted at once both count; completion is awarded once)."""


async def online_enrolment_for_update(
    session: AsyncSession, org_id: uuid.UUID, course_id: uuid.UUID, employee_id: uuid.UUID
) -> asyncpg.Record | None:
    rows = await fetch(session, ONLINE_ENROLMENT_FOR_UPDATE, org_id, course_id, employee_id)
    return rows[0] if rows else None


COURSE_EXISTS = "SELECT 1 FROM training_courses WHERE org_id = $1 AND id = $2"


async def course_exists(session: AsyncSession, org_id: uuid.UUID, course_id: uuid.UUID) -> bool:
    return bool(await fetch(session, COURSE_EXISTS, org_id, course_id))


SAVE_PROGRESS = """
UPDATE training_enrolments
SET completed_modules = to_jsonb($3::text[]), progress_percent = $4,
    status = CASE WHEN $5::timestamptz IS NULL THEN status ELSE 'completed' END,
    completed_at = coalesce(completed_at, $5),
    exam_score = GREATEST(exam_score, $6::numeric), passed_at = coalesce(passed_at, $7),
    version = version + 1, updated_at = now()
WHERE org_id = $1 AND id = $2
"""
"""Progress, completion (`$5`, kept once set) and an exam result (`$6`: the best score is
kept; `$7`: the first pass)."""


async def save_progress(
    session: AsyncSession,
    org_id: uuid.UUID,
    enrolment_id: uuid.UUID,
    *,
    completed_modules: list[str],
    progress_percent: int,
    completed_at: datetime | None,
    exam_score: Decimal | None = None,
    passed_at: datetime | None = None,
) -> None:
    await fetch(
        session,
        SAVE_PROGRESS,
        org_id,
        enrolment_id,
        completed_modules,
        progress_percent,
        completed_at,
        exam_score,
        passed_at,
    )


MY_PROGRESS = """
SELECT en.id, en.course_id, c.name AS course_name, en.status, en.progress_percent,
       ARRAY(SELECT jsonb_array_elements_text(en.completed_modules)) AS completed_modules,
       jsonb_array_length(c.modules) AS modules_total,
       c.completion_threshold, en.completed_at, en.exam_score, en.passed_at, en.created_at
FROM training_enrolments en
JOIN training_courses c ON c.org_id = en.org_id AND c.id = en.course_id
WHERE en.org_id = $1 AND en.employee_id = $2 AND en.session_id IS NULL
  AND en.status IN ('enrolled', 'completed')
  AND ($3::timestamptz IS NULL OR (en.created_at, en.id) < ($3, $4::uuid))
ORDER BY en.created_at DESC, en.id DESC
LIMIT $5
"""
"""One page of an employee's online enrolments, newest first."""


async def my_progress(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    at, last_id = before if before else (None, None)
    return await fetch(session, MY_PROGRESS, org_id, employee_id, at, last_id, limit)


PROGRESS_ROW = """
SELECT en.id, en.course_id, c.name AS course_name, en.status, en.progress_percent,
       ARRAY(SELECT jsonb_array_elements_text(en.completed_modules)) AS completed_modules,
       jsonb_array_length(c.modules) AS modules_total,
       c.completion_threshold, en.completed_at, en.exam_score, en.passed_at
FROM training_enrolments en
JOIN training_courses c ON c.org_id = en.org_id AND c.id = en.course_id
WHERE en.org_id = $1 AND en.id = $2
"""


async def progress_row(
    session: AsyncSession, org_id: uuid.UUID, enrolment_id: uuid.UUID
) -> asyncpg.Record:
    rows = await fetch(session, PROGRESS_ROW, org_id, enrolment_id)
    return rows[0]


RECORD_STATEMENT = """
INSERT INTO training_xapi_statements (id, org_id, statement_id, verb, enrolment_id)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (org_id, statement_id) DO NOTHING
RETURNING id
"""
"""Claims a statement id; nothing returned when it was applied before."""


async def claim_statement(
    session: AsyncSession,
    row_id: uuid.UUID,
    org_id: uuid.UUID,
    statement_id: uuid.UUID,
    verb: str,
    enrolment_id: uuid.UUID,
) -> bool:
    rows = await fetch(session, RECORD_STATEMENT, row_id, org_id, statement_id, verb, enrolment_id)
    return bool(rows)


SEEN_STATEMENTS = """
SELECT statement_id FROM training_xapi_statements
WHERE org_id = $1 AND statement_id = ANY($2::uuid[])
"""


async def seen_statements(
    session: AsyncSession, org_id: uuid.UUID, statement_ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    rows = await fetch(session, SEEN_STATEMENTS, org_id, statement_ids)
    return {row["statement_id"] for row in rows}

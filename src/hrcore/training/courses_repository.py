"""Queries of courses, sessions and enrolments: no business rules, no HTTP.

Reads are SQL written once and run at the driver (`core.db.fetch`); each joins the names it
shows. Two names belong to other domains, read-only (`id`, `org_id` and the name only):
`competencies.name` beside a course's competency ids, `employees.full_name` beside an
instructor and an enrolled employee."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg
from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among, fetch
from hrcore.training.models import Course, CourseSession, Enrolment, EnrolmentStatus

SEATED = (EnrolmentStatus.ENROLLED.value, EnrolmentStatus.COMPLETED.value)
"""Enrolments that hold a seat of their session."""

_COURSE = """
SELECT c.id, c.name, c.description, c.mode, c.category, c.hours, c.fee, c.points,
       c.competency_ids,
       coalesce((SELECT json_agg(json_build_object('id', k.id, 'name', k.name) ORDER BY k.name)
                 FROM competencies k
                 WHERE k.org_id = c.org_id AND k.id = ANY(c.competency_ids)), '[]')
           AS competencies,
       c.modules, c.completion_threshold, c.pass_mark, c.active, c.created_at, c.updated_at,
       c.version
FROM training_courses c
"""

COURSE_PAGE = (
    _COURSE
    + """
WHERE c.org_id = $1
  AND ($2::text IS NULL OR c.mode = $2)
  AND ($3::uuid IS NULL OR $3 = ANY(c.competency_ids))
  AND ($4::boolean IS NULL OR c.active = $4)
  AND ($5::text IS NULL OR strpos(lower(c.name), lower($5)) > 0)
  AND ($6::text IS NULL OR (c.name, c.id) > ($6, $7::uuid))
ORDER BY c.name, c.id
LIMIT $8
"""
)
"""A page of courses by name: mode, competency, active and name-fragment filters (null:
any), after the cursor's (name, id)."""

COURSE_BY_ID = _COURSE + "WHERE c.org_id = $1 AND c.id = $2 AND ($3::boolean OR c.active)"
"""One course; `$3` false hides an inactive one."""

_SESSION = """
SELECT s.id, s.course_id, c.name AS course_name, s.starts_at, s.ends_at, s.place, s.capacity,
       s.instructor_id, i.full_name AS instructor_name, s.instructor_allowance,
       s.late_grace_minutes, s.status, n.enrolled, n.waitlisted, s.created_at, s.updated_at,
       s.version
FROM training_sessions s
JOIN training_courses c ON c.org_id = s.org_id AND c.id = s.course_id
LEFT JOIN employees i ON i.org_id = s.org_id AND i.id = s.instructor_id
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE e.status IN ('enrolled', 'completed')) AS enrolled,
           count(*) FILTER (WHERE e.status = 'waitlisted') AS waitlisted
    FROM training_enrolments e WHERE e.org_id = s.org_id AND e.session_id = s.id
) n
"""

SESSION_PAGE = (
    _SESSION
    + """
WHERE s.org_id = $1
  AND ($2::uuid IS NULL OR s.course_id = $2)
  AND ($3::text IS NULL OR s.status = $3)
  AND ($4::boolean OR c.active)
  AND ($5::timestamptz IS NULL OR (s.starts_at, s.id) > ($5, $6::uuid))
ORDER BY s.starts_at, s.id
LIMIT $7
"""
)
"""A page of sessions by start, with the course's name, the instructor's and the counts of
seats taken and waiting; `$4` false hides inactive courses' sessions."""

SESSION_BY_ID = _SESSION + "WHERE s.org_id = $1 AND s.id = $2 AND ($3::boolean OR c.active)"

_ENROLMENT = """
SELECT e.id, e.course_id, c.name AS course_name, e.session_id, e.employee_id,
       p.full_name AS employee_name, e.status, e.source, e.checked_in_at, e.late,
       e.progress_percent, e.completed_at, e.reminder_task_id, e.created_at
FROM training_enrolments e
JOIN training_courses c ON c.org_id = e.org_id AND c.id = e.course_id
JOIN employees p ON p.org_id = e.org_id AND p.id = e.employee_id
"""

SESSION_ENROLMENT_PAGE = (
    _ENROLMENT
    + """
WHERE e.org_id = $1 AND e.session_id = $2
  AND ($3::uuid[] IS NULL OR e.employee_id = ANY($3))
  AND ($4::timestamptz IS NULL OR (e.created_at, e.id) > ($4, $5::uuid))
ORDER BY e.created_at, e.id
LIMIT $6
"""
)
"""A session's enrolments in the order they came (the waitlist's order); `$3` the reach."""

ENROLMENTS_BY_ID = _ENROLMENT + "WHERE e.org_id = $1 AND e.id = ANY($2) ORDER BY e.created_at, e.id"

MY_ENROLMENT_PAGE = """
SELECT e.id, e.course_id, c.name AS course_name, c.mode, e.session_id, s.starts_at,
       s.ends_at, s.place, s.status AS session_status, e.status, e.checked_in_at, e.late,
       e.progress_percent, e.completed_at, e.created_at
FROM training_enrolments e
JOIN training_courses c ON c.org_id = e.org_id AND c.id = e.course_id
LEFT JOIN training_sessions s ON s.org_id = e.org_id AND s.id = e.session_id
WHERE e.org_id = $1 AND e.employee_id = $2
  AND ($3::timestamptz IS NULL OR (e.created_at, e.id) < ($3, $4::uuid))
ORDER BY e.created_at DESC, e.id DESC
LIMIT $5
"""
"""An employee's enrolments, newest first, with their course and session."""

FEED_EVENTS = """
SELECT DISTINCT ON (s.starts_at, s.id)
       c.name AS course_name, s.id AS session_id, s.starts_at, s.ends_at, s.place,
       s.status AS session_status, greatest(s.updated_at, e.updated_at) AS updated_at
FROM training_enrolments e
JOIN training_sessions s ON s.org_id = e.org_id AND s.id = e.session_id
JOIN training_courses c ON c.org_id = e.org_id AND c.id = e.course_id
WHERE e.org_id = $1 AND e.employee_id = $2
  AND (e.status IN ('enrolled', 'completed') OR s.status = 'cancelled')
ORDER BY s.starts_at DESC, s.id
LIMIT $3
"""
"""The sessions an employee holds a seat in, and those cancelled under them, latest first:
a calendar feed's events, one per session."""

_SEATS_TAKEN = (
    select(func.count())
    .select_from(Enrolment)
    .where(
        Enrolment.org_id == bindparam("org_id"),
        Enrolment.session_id == bindparam("session_id"),
        Enrolment.status.in_(SEATED),
    )
)
_FIRST_WAITING = (
    select(Enrolment)
    .where(
        Enrolment.org_id == bindparam("org_id"),
        Enrolment.session_id == bindparam("session_id"),
        Enrolment.status == EnrolmentStatus.WAITLISTED.value,
    )
    .order_by(Enrolment.created_at, Enrolment.id)
    .limit(bindparam("count"))
    .with_for_update()
)
_LIVE_OF_SESSION = select(Enrolment).where(
    Enrolment.org_id == bindparam("org_id"),
    Enrolment.session_id == bindparam("session_id"),
    Enrolment.status.in_((*SEATED, EnrolmentStatus.WAITLISTED.value)),
)
_LIVE_ONLINE = select(Enrolment.id).where(
    Enrolment.org_id == bindparam("org_id"),
    Enrolment.course_id == bindparam("course_id"),
    Enrolment.session_id.is_(None),
    Enrolment.employee_id == bindparam("employee_id"),
    Enrolment.status != EnrolmentStatus.CANCELLED.value,
)
_COURSE_NAMED = select(Course.id).where(
    Course.org_id == bindparam("org_id"), Course.name == bindparam("name")
)


async def seats_taken(session: AsyncSession, course_session: CourseSession) -> int:
    taken = await session.scalar(
        _SEATS_TAKEN, {"org_id": course_session.org_id, "session_id": course_session.id}
    )
    return int(taken or 0)


async def enrolled_already(
    session: AsyncSession, course_session: CourseSession, employee_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these employees hold a live (not cancelled) enrolment in the session."""
    rows = await session.scalars(
        select(Enrolment.employee_id).where(
            Enrolment.org_id == course_session.org_id,
            Enrolment.session_id == course_session.id,
            Enrolment.status != EnrolmentStatus.CANCELLED.value,
            among(Enrolment.employee_id, employee_ids),
        )
    )
    return set(rows)


async def first_waiting(
    session: AsyncSession, course_session: CourseSession, count: int
) -> list[Enrolment]:
    """The first `count` waitlisted enrolments in the order they came, locked."""
    if count <= 0:
        return []
    rows = await session.scalars(
        _FIRST_WAITING,
        {"org_id": course_session.org_id, "session_id": course_session.id, "count": count},
    )
    return list(rows)


async def live_enrolments(session: AsyncSession, course_session: CourseSession) -> list[Enrolment]:
    """The session's enrolments not cancelled (seated or waiting)."""
    rows = await session.scalars(
        _LIVE_OF_SESSION, {"org_id": course_session.org_id, "session_id": course_session.id}
    )
    return list(rows)


async def online_enrolment_of(
    session: AsyncSession, org_id: uuid.UUID, course_id: uuid.UUID, employee_id: uuid.UUID
) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(
        _LIVE_ONLINE, {"org_id": org_id, "course_id": course_id, "employee_id": employee_id}
    )
    return found


async def course_named(session: AsyncSession, org_id: uuid.UUID, name: str) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(_COURSE_NAMED, {"org_id": org_id, "name": name})
    return found


async def enrolment_rows(
    session: AsyncSession, org_id: uuid.UUID, enrolment_ids: Sequence[uuid.UUID]
) -> list[asyncpg.Record]:
    """The listed shape of these enrolments (none sent for no ids)."""
    if not enrolment_ids:
        return []
    return await fetch(session, ENROLMENTS_BY_ID, org_id, list(enrolment_ids))

"""Queries of exams: the question bank, the employee's live enrolments and attempts at a
course (locked: starting an attempt counts them), the employee's attempts page, and what
programs' training stages ask (`training.api`): courses known, courses done. No rules, no
HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import asyncpg
from sqlalchemy import bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.training.exam_models import ExamAttempt, ExamQuestion
from hrcore.training.models import Enrolment, EnrolmentStatus

LIVE = (EnrolmentStatus.ENROLLED.value, EnrolmentStatus.COMPLETED.value)

_BANK = (
    select(ExamQuestion)
    .where(
        ExamQuestion.org_id == bindparam("org_id"), ExamQuestion.course_id == bindparam("course")
    )
    .order_by(ExamQuestion.created_at, ExamQuestion.id)
)
_LIVE_ENROLMENTS = (
    select(Enrolment)
    .where(
        Enrolment.org_id == bindparam("org_id"),
        Enrolment.course_id == bindparam("course"),
        Enrolment.employee_id == bindparam("employee"),
        Enrolment.status.in_(LIVE),
    )
    .order_by(Enrolment.completed_at.is_(None), Enrolment.created_at.desc(), Enrolment.id)
    .with_for_update()
)
_ATTEMPTS = (
    select(ExamAttempt)
    .where(
        ExamAttempt.org_id == bindparam("org_id"),
        ExamAttempt.course_id == bindparam("course"),
        ExamAttempt.employee_id == bindparam("employee"),
    )
    .order_by(ExamAttempt.number)
)
_OWN_ATTEMPT = (
    select(ExamAttempt)
    .where(
        ExamAttempt.org_id == bindparam("org_id"),
        ExamAttempt.id == bindparam("attempt"),
        ExamAttempt.employee_id == bindparam("employee"),
    )
    .with_for_update()
)
_ENROLMENT = (
    select(Enrolment)
    .where(Enrolment.org_id == bindparam("org_id"), Enrolment.id == bindparam("enrolment"))
    .with_for_update()
)

_MY_ATTEMPTS = """
SELECT a.id, a.course_id, c.name AS course_name, a.number, a.pass_mark, a.score, a.passed,
       a.started_at, a.submitted_at
FROM training_exam_attempts a
JOIN training_courses c ON c.org_id = a.org_id AND c.id = a.course_id
WHERE a.org_id = $1 AND a.employee_id = $2 {after}
ORDER BY a.started_at DESC, a.id DESC
LIMIT $3
"""
MY_ATTEMPTS_FIRST = _MY_ATTEMPTS.format(after="")
MY_ATTEMPTS_AFTER = _MY_ATTEMPTS.format(after="AND (a.started_at, a.id) < ($4, $5)")

_KNOWN_COURSES = text(
    "SELECT id FROM training_courses WHERE org_id = :org_id AND id = ANY(CAST(:ids AS uuid[]))"
)
_DONE_COURSES = text(
    "SELECT c.id FROM training_courses c"
    " JOIN training_enrolments e ON e.org_id = c.org_id AND e.course_id = c.id"
    " AND e.employee_id = :employee AND e.status <> 'cancelled'"
    " WHERE c.org_id = :org_id AND c.id = ANY(CAST(:ids AS uuid[]))"
    " GROUP BY c.id, c.pass_mark"
    " HAVING bool_or(e.status = 'completed')"
    " AND (c.pass_mark IS NULL OR bool_or(e.passed_at IS NOT NULL))"
)
_ENROLLED_EMPLOYEE = text(
    "SELECT employee_id FROM training_enrolments WHERE org_id = :org_id AND id = :enrolment"
)


async def question_bank(
    session: AsyncSession, org_id: uuid.UUID, course_id: uuid.UUID
) -> Sequence[ExamQuestion]:
    """Every question of the course, oldest first."""
    rows = await session.scalars(_BANK, {"org_id": org_id, "course": course_id})
    return rows.all()


async def live_enrolments(
    session: AsyncSession, org_id: uuid.UUID, course_id: uuid.UUID, employee_id: uuid.UUID
) -> Sequence[Enrolment]:
    """The employee's enrolments on the course that are not waitlisted or cancelled, locked
    (attempts at one exam start one at a time), a completed one first."""
    values = {"org_id": org_id, "course": course_id, "employee": employee_id}
    return (await session.scalars(_LIVE_ENROLMENTS, values)).all()


async def attempts_at(
    session: AsyncSession, org_id: uuid.UUID, course_id: uuid.UUID, employee_id: uuid.UUID
) -> Sequence[ExamAttempt]:
    values = {"org_id": org_id, "course": course_id, "employee": employee_id}
    return (await session.scalars(_ATTEMPTS, values)).all()


async def own_attempt(
    session: AsyncSession, org_id: uuid.UUID, attempt_id: uuid.UUID, employee_id: uuid.UUID
) -> ExamAttempt | None:
    """The employee's attempt, locked; None for anyone else's."""
    values = {"org_id": org_id, "attempt": attempt_id, "employee": employee_id}
    attempt: ExamAttempt | None = await session.scalar(_OWN_ATTEMPT, values)
    return attempt


async def enrolment(
    session: AsyncSession, org_id: uuid.UUID, enrolment_id: uuid.UUID
) -> Enrolment | None:
    """The enrolment, locked (its best score and first pass are updated)."""
    row: Enrolment | None = await session.scalar(
        _ENROLMENT, {"org_id": org_id, "enrolment": enrolment_id}
    )
    return row


async def my_attempts(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[asyncpg.Record]:
    """A page of the employee's attempts, latest started first, with the course's name (one
    statement; `limit + 1` rows tell whether a next page exists)."""
    if after is None:
        return await fetch(session, MY_ATTEMPTS_FIRST, org_id, employee_id, limit + 1)
    return await fetch(session, MY_ATTEMPTS_AFTER, org_id, employee_id, limit + 1, *after)


async def known_courses(
    session: AsyncSession, org_id: uuid.UUID, course_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    rows = await session.scalars(_KNOWN_COURSES, {"org_id": org_id, "ids": list(course_ids)})
    return set(rows)


async def done_courses(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    course_ids: Sequence[uuid.UUID],
) -> set[uuid.UUID]:
    """Courses among `course_ids` the employee completed and, where the course has a pass
    mark, passed the exam of (on any of their enrolments that is not cancelled)."""
    values = {"org_id": org_id, "employee": employee_id, "ids": list(course_ids)}
    return set(await session.scalars(_DONE_COURSES, values))


async def enrolled_employee(
    session: AsyncSession, org_id: uuid.UUID, enrolment_id: uuid.UUID
) -> uuid.UUID | None:
    employee_id: uuid.UUID | None = await session.scalar(
        _ENROLLED_EMPLOYEE, {"org_id": org_id, "enrolment": enrolment_id}
    )
    return employee_id

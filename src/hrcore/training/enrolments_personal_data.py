"""Training's enrolment sections of a person's own-data export (`core.personal_data`):
every course they were enrolled in (the class, check-in, progress, exam result) and every
action plan they owed after one, with its content, scores and whether it was adopted —
never who scored it."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.training.models import ActionPlan, Course, CourseSession, Enrolment


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


async def enrolments(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Enrolment, Course.name, CourseSession.starts_at, CourseSession.place)
        .join(Course, Course.id == Enrolment.course_id)
        .outerjoin(CourseSession, CourseSession.id == Enrolment.session_id)
        .where(Enrolment.org_id == org_id, Enrolment.employee_id == employee_id)
        .order_by(Enrolment.created_at, Enrolment.id)
    )
    return [
        {
            "course": course,
            "class_starts_at": _moment(starts_at),
            "place": place,
            "status": enrolment.status,
            "source": enrolment.source,
            "checked_in_at": _moment(enrolment.checked_in_at),
            "late": enrolment.late,
            "progress_percent": enrolment.progress_percent,
            "completed_at": _moment(enrolment.completed_at),
            "exam_score": _number(enrolment.exam_score),
            "passed_at": _moment(enrolment.passed_at),
        }
        for enrolment, course, starts_at, place in rows
    ]


async def action_plans(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(ActionPlan, Course.name)
        .join(Course, Course.id == ActionPlan.course_id)
        .where(ActionPlan.org_id == org_id, ActionPlan.employee_id == employee_id)
        .order_by(ActionPlan.created_at, ActionPlan.id)
    )
    return [
        {
            "course": course,
            "status": plan.status,
            "content": plan.content,
            "submitted_at": _moment(plan.submitted_at),
            "hr_score": plan.hr_score,
            "manager_score": plan.manager_score,
            "score": _number(plan.score),
            "scored_at": _moment(plan.scored_at),
            "adopted_at": _moment(plan.adopted_at),
            "adoption_note": plan.adoption_note,
            "outcome": plan.outcome,
        }
        for plan, course in rows
    ]

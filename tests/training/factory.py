"""Training rows for tests that need a course, a session or an enrolment before the routes
that make them are the subject: written through the models as the app role (RLS applies)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training.models import Course, CourseSession, Enrolment


async def make_course(runtime: Runtime, org_id: uuid.UUID, **fields: Any) -> Course:
    values: dict[str, Any] = {
        "name": f"Course {uuid.uuid4().hex[:8]}",
        "mode": "offline",
        "hours": Decimal("3.0"),
        "competency_ids": [],
        "modules": [],
        "completion_threshold": 100,
    }
    values.update(fields)
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        course = Course(org_id=org_id, **values)
        session.add(course)
    return course


async def make_session(
    runtime: Runtime, org_id: uuid.UUID, course: Course, **fields: Any
) -> CourseSession:
    starts_at = fields.pop("starts_at", datetime(2026, 12, 10, 1, 0, tzinfo=UTC))
    values: dict[str, Any] = {
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "capacity": 30,
        "late_grace_minutes": 10,
        "status": "scheduled",
    }
    values.update(fields)
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        row = CourseSession(org_id=org_id, course_id=course.id, **values)
        session.add(row)
    return row


async def make_enrolment(
    runtime: Runtime,
    org_id: uuid.UUID,
    course: Course,
    employee_id: uuid.UUID,
    course_session: CourseSession | None = None,
    **fields: Any,
) -> Enrolment:
    values: dict[str, Any] = {"status": "enrolled", "source": "hr", "completed_modules": []}
    values.update(fields)
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        row = Enrolment(
            org_id=org_id,
            course_id=course.id,
            session_id=course_session.id if course_session else None,
            employee_id=employee_id,
            **values,
        )
        session.add(row)
    return row

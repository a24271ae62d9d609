"""A session with an instructor and enrolled people of the people tests' world, for the
check-in tests; and what they read back (ledger rows, the completion events queued)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.training.models import Course, CourseSession, Enrolment
from tests.factories import Account, make_user
from tests.people.conftest import World
from tests.training.factory import make_course, make_enrolment, make_session

STARTS_AT = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
"""09:00 in Shanghai; the session's grace is 10 minutes."""


@dataclass(frozen=True)
class Classroom:
    course: Course
    session: CourseSession
    instructor: Account
    """The account of `world.boss`, who teaches the session."""
    enrolments: dict[str, Enrolment]
    """By name: lead, member, junior (sales) and engineer (engineering) are enrolled."""

    @property
    def base(self) -> str:
        return f"/api/v1/course-sessions/{self.session.id}"


async def classroom(runtime: Runtime, world: World, **course_fields: Any) -> Classroom:
    org_id = world.hr.org_id
    course = await make_course(runtime, org_id, **course_fields)
    course_session = await make_session(
        runtime, org_id, course, starts_at=STARTS_AT, instructor_id=world.boss.id
    )
    instructor = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=world.boss.id)
    enrolments = {
        employee.full_name.lower(): await make_enrolment(
            runtime, org_id, course, employee.id, course_session
        )
        for employee in (world.lead, world.member, world.junior, world.engineer)
    }
    return Classroom(course, course_session, instructor, enrolments)


async def ledger_rows(
    owner_engine: AsyncEngine | Any, org_id: uuid.UUID
) -> list[tuple[uuid.UUID, str, int, uuid.UUID]]:
    """(employee, rule code, points, source id) of every ledger row, in a stable order."""
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT l.employee_id, r.code, l.points, l.source_id FROM points_ledger l"
                " JOIN point_rules r ON r.id = l.rule_id WHERE l.org_id = :org"
                " ORDER BY r.code, l.employee_id"
            ),
            {"org": org_id},
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def completion_events(owner_engine: AsyncEngine | Any, job: str) -> list[str]:
    """The enrolment ids of the completion events queued for `job`."""
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT payload ->> 'enrolment_id' FROM outbox_messages WHERE job = :job"),
            {"job": job},
        )
        return [row[0] for row in rows]

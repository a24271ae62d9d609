"""History for the effectiveness and former-mentees tests, written as rows because the API
cannot make it: mentors approved years ago, pairings that ran and ended in the past with
approved plans (an ending over HTTP is dated now, and the effectiveness figures depend on
when a pairing started and ended), skill tests held before today and promotions as
employment events. Ratings go over HTTP. Each write is
announced as the API announces it (`SESSION_LOGGED`, `MENTORSHIP_ENDED`), so the recompute
runs through the real worker as in production. Tests about behaviour of a running pairing
build it over HTTP instead (`pairing_helpers`, `schedule_helpers`, `m4_helpers.pair`)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from httpx import AsyncClient

from hrcore.core import events as domain_events
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.models import new_id
from hrcore.core.runtime import Runtime
from hrcore.mentoring import events
from hrcore.mentoring.mentorship_models import (
    MenteeTemplate,
    MentoringSession,
    Mentorship,
    MentorshipPlan,
)
from hrcore.mentoring.models import Mentor, MentorApplication, MentoringProgram
from hrcore.people import api as people
from hrcore.people.models import EmploymentEvent
from tests.factories import Account

GOALS = [
    {"kind": "skill_test_score", "target": 80},
    {"kind": "performance_score", "target": 4.5},
]


async def org_today(runtime: Runtime, org_id: uuid.UUID) -> date:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        return await people.org_today(session, org_id, runtime.clock)


async def make_mentor(
    runtime: Runtime, org_id: uuid.UUID, employee_id: uuid.UUID, program_id: uuid.UUID | None = None
) -> Mentor:
    """A mentor of `program_id` (a new program without rules when absent)."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        if program_id is None:
            program = MentoringProgram(org_id=org_id, name=f"Program {new_id()}", rules=[])
            session.add(program)
            await session.flush()
            program_id = program.id
        application = MentorApplication(
            org_id=org_id,
            program_id=program_id,
            employee_id=employee_id,
            source="hr",
            status="approved",
            eligible=True,
            checks=[],
        )
        session.add(application)
        await session.flush()
        mentor = Mentor(
            org_id=org_id,
            program_id=program_id,
            employee_id=employee_id,
            application_id=application.id,
            approved_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        session.add(mentor)
    return mentor


async def make_pairing(
    runtime: Runtime,
    mentor: Mentor,
    mentee_id: uuid.UUID,
    *,
    starts_on: date,
    ends_on: date,
    goals: list[dict[str, Any]] | None = None,
) -> Mentorship:
    """A running pairing with an approved plan of `goals`."""
    org_id = mentor.org_id
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        template = MenteeTemplate(
            org_id=org_id,
            name=f"New graduate {new_id()}",
            role="new_graduate",
            duration_months=12,
            goals=GOALS,
            checklist=[],
            schedule=[],
        )
        session.add(template)
        await session.flush()
        pairing = Mentorship(
            org_id=org_id,
            program_id=mentor.program_id,
            mentor_id=mentor.id,
            mentor_employee_id=mentor.employee_id,
            mentee_employee_id=mentee_id,
            template_id=template.id,
            status="active",
            starts_on=starts_on,
            ends_on=ends_on,
            checks=[],
        )
        session.add(pairing)
        await session.flush()
        session.add(
            MentorshipPlan(
                org_id=org_id,
                mentorship_id=pairing.id,
                template_revision=1,
                status="approved",
                goals=GOALS if goals is None else goals,
                checklist=[],
                schedule=[],
            )
        )
    return pairing


async def log_session(
    runtime: Runtime,
    pairing: Mentorship,
    held_on: date,
    *,
    score: float | None = None,
) -> MentoringSession:
    """A 1:1 (a skill test with `score`), announced as logging will announce it."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, pairing.org_id)
        logged = MentoringSession(
            org_id=pairing.org_id,
            mentorship_id=pairing.id,
            kind="one_on_one" if score is None else "skill_test",
            held_on=held_on,
            checklist_covered=[],
            score=None if score is None else Decimal(str(score)),
        )
        session.add(logged)
        await session.flush()
        domain_events.emit(
            session,
            events.SESSION_LOGGED,
            {"mentorship_id": str(pairing.id), "session_id": str(logged.id)},
            org_id=pairing.org_id,
        )
    return logged


async def end_pairing(runtime: Runtime, pairing: Mentorship, status: str = "completed") -> None:
    """The pairing ends now, announced as ending will announce it."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, pairing.org_id)
        row = await session.get(Mentorship, pairing.id)
        assert row is not None
        row.status = status
        row.ended_at = runtime.clock.now()
        domain_events.emit(
            session,
            events.MENTORSHIP_ENDED,
            {"mentorship_id": str(pairing.id)},
            org_id=pairing.org_id,
        )


async def rate(client: AsyncClient, hr: Account, employee_id: uuid.UUID, **periods: float) -> None:
    """Over HTTP: ratings as 1–5 scores by period (`y2024=3.5`)."""
    for key, score in periods.items():
        response = await client.post(
            f"/api/v1/employees/{employee_id}/performance-ratings",
            json={"period": key.removeprefix("y").replace("_", "-"), "score": score},
            headers=hr.headers,
        )
        assert response.status_code == 201, response.text


async def promote(runtime: Runtime, org_id: uuid.UUID, employee_id: uuid.UUID, on: date) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        session.add(
            EmploymentEvent(
                org_id=org_id, employee_id=employee_id, kind="promotion", effective_date=on
            )
        )

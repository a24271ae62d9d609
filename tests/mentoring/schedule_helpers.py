"""A running pairing with an approved plan for the schedule and session tests.

The mentor comes over HTTP (HR nominates, approves); the template, the pairing and its
approved plan are written through the models and `PLAN_APPROVED` is emitted as the pairing
slice's plan approval does, until its routes exist (then these become HTTP calls)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from httpx import AsyncClient
from sqlalchemy import update

from hrcore.core import events
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.mentoring import schedule
from hrcore.mentoring.events import PLAN_APPROVED
from hrcore.mentoring.mentorship_models import MenteeTemplate, Mentorship, MentorshipPlan
from hrcore.people.models import Employee
from tests.factories import Account
from tests.mentoring.test_programs import make_program

START = datetime(2027, 3, 16, 2, 0, tzinfo=UTC)
"""10:00 on Tuesday 16 March 2027 in Asia/Shanghai: the pairing's first day."""
STARTS_ON = date(2027, 3, 16)
ENDS_ON = date(2027, 9, 16)
SCHEDULE = [
    {"kind": "one_on_one", "every_months": 1},
    {"kind": "skill_test", "every_months": 3},
    {"kind": "progress_report", "every_months": 6},
]
CHECKLIST = [
    {"key": "culture", "title": "Company culture"},
    {"key": "crm", "title": "Working in the CRM"},
    {"key": "pricing", "title": "Pricing rules"},
]
SESSIONS = "/api/v1/mentorships/{}/sessions"


@dataclass(frozen=True)
class Pairing:
    org_id: uuid.UUID
    mentorship_id: uuid.UUID
    mentor_id: uuid.UUID

    @property
    def sessions(self) -> str:
        return SESSIONS.format(self.mentorship_id)


async def make_mentor(client: AsyncClient, hr: Account, employee: Employee) -> tuple[str, str]:
    """A program open to everyone and the employee as its mentor (nominated, approved): ids."""
    program = await make_program(client, hr, rules=[])
    nominated = await client.post(
        "/api/v1/mentor-applications",
        json={"program_id": program["id"], "employee_id": str(employee.id)},
        headers=hr.headers,
    )
    assert nominated.status_code == 201, nominated.text
    approved = await client.post(
        f"/api/v1/mentor-applications/{nominated.json()['id']}/approve", headers=hr.headers
    )
    assert approved.status_code == 200, approved.text
    [mentor] = (
        await client.get(
            "/api/v1/mentors", params={"program_id": program["id"]}, headers=hr.headers
        )
    ).json()["items"]
    return program["id"], mentor["id"]


async def make_pairing(
    runtime: Runtime,
    client: AsyncClient,
    hr: Account,
    mentor: Employee,
    mentee: Employee,
    *,
    goals: list[dict[str, Any]] | None = None,
    plan_schedule: list[dict[str, Any]] | None = None,
) -> Pairing:
    """A pairing from STARTS_ON to ENDS_ON whose plan HR has approved (PLAN_APPROVED
    emitted in the same transaction)."""
    program_id, mentor_id = await make_mentor(client, hr, mentor)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, hr.org_id)
        template = MenteeTemplate(
            org_id=hr.org_id,
            name=f"New graduates {uuid.uuid4().hex[:6]}",
            role="new_graduate",
            duration_months=6,
            goals=goals or [],
            checklist=CHECKLIST,
            schedule=SCHEDULE,
        )
        session.add(template)
        await session.flush()
        mentorship = Mentorship(
            org_id=hr.org_id,
            program_id=uuid.UUID(program_id),
            mentor_id=uuid.UUID(mentor_id),
            mentor_employee_id=mentor.id,
            mentee_employee_id=mentee.id,
            template_id=template.id,
            status="active",
            starts_on=STARTS_ON,
            ends_on=ENDS_ON,
            checks=[],
        )
        session.add(mentorship)
        await session.flush()
        session.add(
            MentorshipPlan(
                org_id=hr.org_id,
                mentorship_id=mentorship.id,
                template_revision=1,
                status="approved",
                goals=goals or [],
                checklist=CHECKLIST,
                schedule=plan_schedule if plan_schedule is not None else SCHEDULE,
                approved_at=START,
            )
        )
        await session.flush()
        events.emit(session, PLAN_APPROVED, {"mentorship_id": str(mentorship.id)}, org_id=hr.org_id)
    return Pairing(hr.org_id, mentorship.id, uuid.UUID(mentor_id))


async def approve_again(
    runtime: Runtime, pairing: Pairing, plan_schedule: list[dict[str, Any]]
) -> None:
    """The plan edited and approved again: PLAN_APPROVED once more."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, pairing.org_id)
        await session.execute(
            update(MentorshipPlan)
            .where(MentorshipPlan.mentorship_id == pairing.mentorship_id)
            .values(schedule=plan_schedule, status="approved")
        )
        events.emit(
            session,
            PLAN_APPROVED,
            {"mentorship_id": str(pairing.mentorship_id)},
            org_id=pairing.org_id,
        )


async def plan_now(runtime: Runtime, pairing: Pairing, clock: FrozenClock) -> None:
    """What the subscribed job does, in the test's transaction (tests that do not run the
    worker)."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, pairing.org_id)
        await schedule.plan_schedule(session, pairing.org_id, pairing.mentorship_id, clock)


async def end_pairing(runtime: Runtime, pairing: Pairing) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, pairing.org_id)
        await session.execute(
            update(Mentorship)
            .where(Mentorship.id == pairing.mentorship_id)
            .values(status="completed", end_reason="Done", ended_at=START)
        )

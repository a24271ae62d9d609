"""A running pairing with an approved plan for the schedule and session tests, built over
HTTP: HR nominates and approves the mentor, writes the template, pairs, submits the plan and
approves it on the engine, and ends the pairing. Only a replayed `PLAN_APPROVED` (a retried
job) is written directly."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from httpx import AsyncClient

from hrcore.core import events
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.mentoring import schedule
from hrcore.mentoring.events import PLAN_APPROVED
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
MENTORSHIPS = "/api/v1/mentorships"
TEMPLATES = "/api/v1/mentee-templates"
GOALS = [{"kind": "skill_test_score", "key": "skills", "title": "Skill test", "target": 80}]
"""A template needs a goal; this one asks nothing of the schedule or sessions."""
SESSIONS = MENTORSHIPS + "/{}/sessions"
PLAN_FIELDS = ("goals", "checklist", "schedule", "starts_on", "ends_on", "version")


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


async def _approve(client: AsyncClient, hr: Account, mentorship_id: str) -> None:
    """HR approves the submitted plan on the engine (PLAN_APPROVED in that transaction)."""
    approved = await client.post(
        f"{MENTORSHIPS}/{mentorship_id}/plan/approve",
        json={"decision": "approve"},
        headers=hr.headers,
    )
    assert approved.status_code == 200, approved.text


async def _submit(
    client: AsyncClient, hr: Account, mentorship_id: str, **content: Any
) -> dict[str, Any]:
    """HR edits the plan (`content` replacing its parts) and submits it for approval."""
    url = f"{MENTORSHIPS}/{mentorship_id}/plan"
    plan = (await client.get(url, headers=hr.headers)).json()
    body = {name: plan[name] for name in PLAN_FIELDS} | content | {"submit": True}
    submitted = await client.put(url, json=body, headers=hr.headers)
    assert submitted.status_code == 200, submitted.text
    result: dict[str, Any] = submitted.json()
    return result


async def make_pairing(
    client: AsyncClient,
    hr: Account,
    mentor: Employee,
    mentee: Employee,
    *,
    goals: list[dict[str, Any]] | None = None,
    plan_schedule: list[dict[str, Any]] | None = None,
) -> Pairing:
    """Over HTTP: a pairing from STARTS_ON to ENDS_ON (a six-month template with `goals`
    (else GOALS),
    CHECKLIST and SCHEDULE) whose plan HR submitted (with `plan_schedule`) and approved."""
    program_id, mentor_id = await make_mentor(client, hr, mentor)
    template = await client.post(
        TEMPLATES,
        json={
            "name": f"New graduates {uuid.uuid4().hex[:6]}",
            "role": "new_graduate",
            "duration_months": 6,
            "goals": goals or GOALS,
            "checklist": CHECKLIST,
            "schedule": SCHEDULE,
        },
        headers=hr.headers,
    )
    assert template.status_code == 201, template.text
    paired = await client.post(
        MENTORSHIPS,
        json={
            "program_id": program_id,
            "mentor_id": mentor_id,
            "mentee_id": str(mentee.id),
            "template_id": template.json()["id"],
            "starts_on": STARTS_ON.isoformat(),
        },
        headers=hr.headers,
    )
    assert paired.status_code == 201, paired.text
    mentorship_id = paired.json()["id"]
    await _submit(client, hr, mentorship_id, schedule=plan_schedule or SCHEDULE)
    await _approve(client, hr, mentorship_id)
    return Pairing(hr.org_id, uuid.UUID(mentorship_id), uuid.UUID(mentor_id))


async def approve_again(
    client: AsyncClient, hr: Account, pairing: Pairing, plan_schedule: list[dict[str, Any]]
) -> None:
    """Over HTTP: the approved plan's schedule changed, submitted and approved again."""
    mentorship_id = str(pairing.mentorship_id)
    submitted = await _submit(client, hr, mentorship_id, schedule=plan_schedule)
    assert submitted["status"] == "submitted", "an unchanged plan is not approved again"
    await _approve(client, hr, mentorship_id)


async def replay_plan_approved(runtime: Runtime, pairing: Pairing) -> None:
    """PLAN_APPROVED emitted once more, as a retried job delivers it: written directly, since
    the API approves an unchanged plan only once."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, pairing.org_id)
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


async def end_pairing(client: AsyncClient, hr: Account, pairing: Pairing) -> None:
    """Over HTTP: HR completes the pairing (its open tasks closed, MENTORSHIP_ENDED)."""
    ended = await client.post(
        f"{MENTORSHIPS}/{pairing.mentorship_id}/end",
        json={"outcome": "completed"},
        headers=hr.headers,
    )
    assert ended.status_code == 200, ended.text

"""The "mentor of" relation opens the figures a running pairing's approved plan names: the
mentee's performance ratings for a `performance_score` goal, their competency profile (where
skill tests become evidence) for a `competency_level` goal — each only for its goal, each
read audited, none once the plan awaits approval again or the pairing ends."""

from __future__ import annotations

import uuid
from datetime import date

from httpx import AsyncClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.mentoring.mentorship_models import MentorshipPlan
from tests.factories import make_user
from tests.mentoring.effectiveness_helpers import end_pairing, make_mentor, make_pairing, rate
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["world"]
API = "/api/v1"
RATING_GOAL = {"kind": "performance_score", "key": "rating", "title": "Rating", "target": 4.2}


def _ratings(employee_id: uuid.UUID) -> str:
    return f"{API}/employees/{employee_id}/performance-ratings"


def _competencies(employee_id: uuid.UUID) -> str:
    return f"{API}/employees/{employee_id}/competency-profile"


async def _reads(owner_engine: AsyncEngine, employee_id: uuid.UUID) -> set[tuple[str, str]]:
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            select(AuditEvent.after).where(
                AuditEvent.action == "employee.read_through_relation",
                AuditEvent.object_id == str(employee_id),
            )
        )
        return {(after["relation"], after["purpose"]) for (after,) in rows}


async def test_the_mentor_reads_the_figures_the_approved_plan_names(
    client: AsyncClient, world: World, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    org_id = world.hr.org_id
    mentor = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=world.engineer.id)
    bystander = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=world.peer.id)
    await rate(client, world.hr, world.junior.id, y2025=3.5)
    competency = uuid.uuid4()
    level_goal = {
        "kind": "competency_level",
        "key": "closing",
        "title": "Closing",
        "competency_id": str(competency),
        "level": 3,
    }
    for url in (_ratings(world.junior.id), _competencies(world.member.id)):
        assert_problem(await client.get(url, headers=mentor.headers), 404)

    coach = await make_mentor(runtime, org_id, world.engineer.id)
    rated = await make_pairing(
        runtime,
        coach,
        world.junior.id,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        goals=[RATING_GOAL],
    )
    leveled = await make_pairing(
        runtime,
        coach,
        world.member.id,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        goals=[level_goal],
    )
    ratings = await client.get(_ratings(world.junior.id), headers=mentor.headers)
    assert ratings.status_code == 200, ratings.text
    assert [float(item["score"]) for item in ratings.json()["items"]] == [3.5]
    profile = await client.get(_competencies(world.member.id), headers=mentor.headers)
    assert profile.status_code == 200, profile.text
    assert profile.json()["employee"]["id"] == str(world.member.id)
    # each figure only for the goal that names it
    assert_problem(await client.get(_competencies(world.junior.id), headers=mentor.headers), 404)
    assert_problem(await client.get(_ratings(world.member.id), headers=mentor.headers), 404)
    for url in (_ratings(world.junior.id), _competencies(world.member.id)):
        assert_problem(await client.get(url, headers=bystander.headers), 404)
    assert await _reads(owner_engine, world.junior.id) == {("mentor_of", "performance_ratings")}
    assert await _reads(owner_engine, world.member.id) == {("mentor_of", "competency_profile")}

    async with unit_of_work(runtime.sessionmaker) as session:  # edited: awaiting approval
        await set_tenant(session, org_id)
        await session.execute(
            update(MentorshipPlan)
            .where(MentorshipPlan.mentorship_id == leveled.id)
            .values(status="submitted")
        )
    assert_problem(await client.get(_competencies(world.member.id), headers=mentor.headers), 404)
    await end_pairing(runtime, rated)
    assert_problem(await client.get(_ratings(world.junior.id), headers=mentor.headers), 404)

"""The "mentor of" relation (issue 23, item 8): a mentor of a running pairing reads the
mentee's performance goals and development plan — outside their reach otherwise (404) —
through people's relation hook, each read audited; once the pairing ends, 404 again."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.competencies.plans import new_plan
from tests.factories import make_user
from tests.mentoring.m4_helpers import pair
from tests.mentoring.test_programs import make_program
from tests.people.conftest import World, world
from tests.performance.goals_helpers import post_goal
from tests.problems import assert_problem

__all__ = ["world"]


async def test_a_mentor_reads_the_mentees_goals_and_plan_while_the_pairing_runs(
    client: AsyncClient, world: World, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    org_id = world.hr.org_id
    mentor = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=world.engineer.id)
    bystander = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=world.peer.id)
    plan = await new_plan(client, world.junior_account)
    goal = await post_goal(
        client, world.junior_account, "Ten new clients", "2026-Q4", employee_id=world.junior.id
    )
    plan_url, goal_url = f"/api/v1/development-plans/{plan['id']}", f"/api/v1/goals/{goal['id']}"
    for url in (plan_url, goal_url):
        assert_problem(await client.get(url, headers=mentor.headers), 404)

    program = await make_program(client, world.hr, rules=[])
    applied = await client.post(
        "/api/v1/mentor-applications",
        json={"program_id": program["id"], "employee_id": str(world.engineer.id)},
        headers=world.hr.headers,
    )
    approved = await client.post(
        f"/api/v1/mentor-applications/{applied.json()['id']}/approve", headers=world.hr.headers
    )
    assert approved.status_code == 200, approved.text
    [mentor_row] = (await client.get("/api/v1/mentors", headers=world.hr.headers)).json()["items"]
    pairing = await pair(client, world.hr, program["id"], mentor_row["id"], world.junior.id)

    read_plan = await client.get(plan_url, headers=mentor.headers)
    assert read_plan.status_code == 200, read_plan.text
    assert read_plan.json()["id"] == plan["id"]
    read_goal = await client.get(goal_url, headers=mentor.headers)
    assert read_goal.status_code == 200, read_goal.text
    tree = await client.get(
        "/api/v1/goals/tree", params={"period": "2026-Q4"}, headers=mentor.headers
    )
    assert goal["id"] in {g["id"] for g in tree.json()["goals"]}
    for url in (plan_url, goal_url):
        assert_problem(await client.get(url, headers=bystander.headers), 404)
    async with owner_engine.connect() as connection:
        reads = (
            await connection.execute(
                select(AuditEvent.actor_id, AuditEvent.after).where(
                    AuditEvent.action == "employee.read_through_relation",
                    AuditEvent.object_id == str(world.junior.id),
                )
            )
        ).all()
    assert {(str(actor), after["relation"], after["purpose"]) for actor, after in reads} == {
        (str(mentor.user_id), "mentor_of", "development_plan"),
        (str(mentor.user_id), "mentor_of", "performance_goals"),
    }

    ended = await client.post(
        f"/api/v1/mentorships/{pairing}/end",
        json={"outcome": "completed"},
        headers=world.hr.headers,
    )
    assert ended.status_code == 200, ended.text
    for url in (plan_url, goal_url):
        assert_problem(await client.get(url, headers=mentor.headers), 404)

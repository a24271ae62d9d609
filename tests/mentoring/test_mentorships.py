"""Pairings over HTTP: who pairs whom, the mentor re-checked against the program's rules (HR
overrides with a reason, audited), capacity and one running pairing per mentee and program,
the plan drafted from the template, the mentors' load, reach, and ending a pairing."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.mentoring import events
from hrcore.workflow import api as workflow
from tests.factories import make_org, make_user
from tests.mentoring.pairing_helpers import (
    API,
    MENTORS,
    MENTORSHIPS,
    ZH,
    emitted,
    listener,
    make_mentor,
    pair,
    pairing_body,
    rate,
    setup,
    try_pair,
)
from tests.mentoring.test_programs import make_program
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem

__all__ = ["listener", "world"]


async def _audit(owner_engine: AsyncEngine, action: str, object_id: str) -> Any:
    async with owner_engine.connect() as connection:
        [after] = (
            await connection.execute(
                select(AuditEvent.after).where(
                    AuditEvent.action == action, AuditEvent.object_id == object_id
                )
            )
        ).scalars()
    return after


async def test_hr_pairs_a_qualified_mentor_and_the_plan_is_drafted_from_the_template(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    ready = await setup(client, world)
    pairing = await pair(client, world.hr, ready, world.junior.id)
    assert (pairing["status"], pairing["starts_on"], pairing["ends_on"]) == (
        "active",
        "2027-01-04",
        "2028-01-04",
    )
    assert (pairing["mentor"]["id"], pairing["mentor_employee"]["name"]) == (
        ready.mentor["id"],
        "Lead",
    )
    assert (pairing["mentee"]["name"], pairing["template"]["name"]) == ("Junior", "New graduates")
    assert pairing["checks"] == [{"kind": "top_performance", "value": 2.0, "passed": True}]
    assert (pairing["plan_status"], pairing["mentor_load"], pairing["override_reason"]) == (
        "draft",
        1,
        None,
    )
    plan = (
        await client.get(f"{MENTORSHIPS}/{pairing['id']}/plan", headers=world.hr.headers)
    ).json()
    assert (plan["template_revision"], plan["goals"], plan["checklist"]) == (
        1,
        ready.template["goals"],
        ready.template["checklist"],
    )
    assert plan["schedule"] == ready.template["schedule"]
    after = await _audit(owner_engine, "mentorship.created", pairing["id"])
    assert (after["mentee_employee_id"], after["template_revision"]) == (str(world.junior.id), 1)
    mentor = (await client.get(f"{MENTORS}/{ready.mentor['id']}", headers=world.hr.headers)).json()
    assert (mentor["load"], mentor["capacity"], mentor["available"]) == (1, 3, True)


async def test_the_mentee_s_manager_pairs_and_others_may_not(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    ready = await setup(client, world)
    by_manager = await pair(client, world.member_account, ready, world.junior.id)
    assert by_manager["mentee"]["id"] == str(world.junior.id)
    assert_problem(await try_pair(client, world.junior_account, ready, world.junior.id), 403)
    assert_problem(await try_pair(client, world.junior_account, ready, world.peer.id), 404)
    key = await client.post(
        f"{API}/api-keys", json={"name": "CRM", "scopes": ["org:read"]}, headers=world.hr.headers
    )
    bearer = {"Authorization": f"Bearer {key.json()['key']}"}
    refused = await client.post(
        MENTORSHIPS, json=pairing_body(ready, world.peer.id), headers=bearer
    )
    assert_problem(refused, 403)
    assert_problem(await client.get(MENTORSHIPS, headers=bearer), 403)
    other = await make_org(runtime)
    assert_problem(await try_pair(client, other, ready, world.peer.id), 422)


async def test_an_ineligible_mentor_is_422_with_the_failing_rules_unless_hr_overrides(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    ready = await setup(client, world)
    await rate(client, world.hr, world.peer.id, "BA")
    peer = await make_mentor(client, world.hr, ready.program["id"], world.peer.id, "Trusted")
    body = {"mentor_id": peer["id"]}
    for headers, words in ((world.hr.headers, "override"), (world.hr.headers | ZH, "破格理由")):
        refused = await client.post(
            MENTORSHIPS,
            json={
                "program_id": ready.program["id"],
                "mentee_id": str(world.junior.id),
                "template_id": ready.template["id"],
                "starts_on": "2027-01-04",
            }
            | body,
            headers=headers,
        )
        problem = assert_problem(refused, 422, fields={"checks[0]"})
        assert words in problem["detail"]
        assert "top_performance" in problem["errors"][0]["message"]
        assert "1" in problem["errors"][0]["message"]
    by_manager = await try_pair(
        client, world.member_account, ready, world.junior.id, override_reason="Trust me", **body
    )
    assert_problem(by_manager, 403)
    overridden = await pair(
        client, world.hr, ready, world.junior.id, override_reason="Coaches the east team", **body
    )
    assert overridden["override_reason"] == "Coaches the east team"
    assert overridden["checks"] == [{"kind": "top_performance", "value": 1.0, "passed": False}]
    after = await _audit(owner_engine, "mentorship.created", overridden["id"])
    assert (after["override_reason"], after["checks"]) == (
        "Coaches the east team",
        overridden["checks"],
    )


async def test_capacity_and_one_running_pairing_per_mentee_and_program_are_409(
    client: AsyncClient, world: World
) -> None:
    ready = await setup(client, world, capacity=2)
    await pair(client, world.hr, ready, world.junior.id)
    twice = await try_pair(client, world.hr, ready, world.junior.id)
    assert_problem(twice, 409, detail="already paired")
    await pair(client, world.hr, ready, world.member.id)
    full = await try_pair(client, world.hr, ready, world.peer.id)
    assert_problem(full, 409, detail="capacity")
    mentor = (await client.get(f"{MENTORS}/{ready.mentor['id']}", headers=world.hr.headers)).json()
    assert (mentor["load"], mentor["available"]) == (2, False)


@pytest.mark.commits
async def test_two_pairings_at_once_cannot_both_take_the_last_place(
    client: AsyncClient, world: World
) -> None:
    ready = await setup(client, world, capacity=1)
    answers = await asyncio.gather(
        try_pair(client, world.hr, ready, world.junior.id),
        try_pair(client, world.hr, ready, world.peer.id),
    )
    assert sorted(answer.status_code for answer in answers) == [201, 409]
    listed = (await client.get(MENTORSHIPS, headers=world.hr.headers)).json()["items"]
    assert len(listed) == 1


async def test_bad_pairings_are_422(client: AsyncClient, world: World) -> None:
    ready = await setup(client, world, department_id=str(world.sales.id))
    assert_problem(
        await try_pair(client, world.hr, ready, world.lead.id), 422, fields={"mentee_id"}
    )
    assert_problem(
        await try_pair(client, world.hr, ready, world.engineer.id), 422, fields={"mentee_id"}
    )
    other = await make_program(client, world.hr, name="Other", rules=[])
    elsewhere = await make_mentor(client, world.hr, other["id"], world.peer.id)
    assert_problem(
        await try_pair(client, world.hr, ready, world.junior.id, mentor_id=elsewhere["id"]),
        422,
        fields={"mentor_id"},
    )
    assert_problem(
        await try_pair(client, world.hr, ready, world.junior.id, template_id=other["id"]),
        422,
        fields={"template_id"},
    )
    assert_problem(
        await try_pair(client, world.hr, ready, world.junior.id, program_id=ready.template["id"]),
        422,
        fields={"program_id"},
    )
    assert_problem(
        await try_pair(client, world.hr, ready, world.junior.id, starts_on="1800-01-01"), 422
    )


async def test_pairings_are_read_within_reach_only(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    ready = await setup(client, world)
    pairing = await pair(client, world.hr, ready, world.junior.id)
    one = f"{MENTORSHIPS}/{pairing['id']}"
    for account in (world.junior_account, world.lead_account, world.sales_head, world.hr):
        response = await client.get(one, headers=account.headers)
        assert response.status_code == 200, response.text
        listed = (await client.get(MENTORSHIPS, headers=account.headers)).json()["items"]
        assert [item["id"] for item in listed] == [pairing["id"]]
    peer = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.peer.id)
    assert_problem(await client.get(one, headers=peer.headers), 404)
    assert (await client.get(MENTORSHIPS, headers=peer.headers)).json()["items"] == []
    other = await make_org(runtime)
    assert_problem(await client.get(one, headers=other.headers), 404)
    assert (await client.get(MENTORSHIPS, headers=other.headers)).json()["items"] == []
    filtered = await client.get(
        MENTORSHIPS,
        params={"mentee_id": str(world.member.id), "status": "active"},
        headers=world.hr.headers,
    )
    assert filtered.json()["items"] == []


async def test_ending_closes_the_open_tasks_emits_and_twice_is_409(
    client: AsyncClient, world: World, runtime: Runtime, owner_engine: AsyncEngine, listener: None
) -> None:
    ready = await setup(client, world)
    pairing = await pair(client, world.hr, ready, world.junior.id)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        task_id = await workflow.create_task(
            session,
            org_id=world.hr.org_id,
            subject_type=events.SUBJECT_TYPE,
            subject_id=pairing["id"],
            kind="workflow.report",
            assignee_employee_id=world.lead.id,
            title="Monthly 1:1",
            due=date(2027, 2, 4),
        )
    end = f"{MENTORSHIPS}/{pairing['id']}/end"
    no_reason = await client.post(end, json={"outcome": "cancelled"}, headers=world.hr.headers)
    assert_problem(no_reason, 422)
    assert_problem(
        await client.post(end, json={"outcome": "completed"}, headers=world.junior_account.headers),
        403,
    )
    ended = await client.post(
        end, json={"outcome": "cancelled", "reason": "Moved abroad"}, headers=world.hr.headers
    )
    assert ended.status_code == 200, ended.text
    assert (ended.json()["status"], ended.json()["end_reason"]) == ("cancelled", "Moved abroad")
    assert ended.json()["ended_at"] is not None
    task = await client.get(f"{API}/tasks/{task_id}", headers=world.hr.headers)
    assert task.json()["status"] == "cancelled"
    assert_problem(
        await client.post(end, json={"outcome": "completed"}, headers=world.hr.headers), 409
    )
    assert await emitted(owner_engine) == [
        {"event": events.MENTORSHIP_ENDED, "mentorship_id": pairing["id"]}
    ]
    after = await _audit(owner_engine, "mentorship.ended", pairing["id"])
    assert (after["status"], after["tasks_cancelled"]) == ("cancelled", 1)
    mentor = (await client.get(f"{MENTORS}/{ready.mentor['id']}", headers=world.hr.headers)).json()
    assert mentor["load"] == 0
    again = await pair(client, world.hr, ready, world.junior.id)
    assert again["plan_status"] == "draft"


async def test_the_list_costs_the_same_statements_for_more_pairings(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    ready = await setup(client, world, capacity=5)
    await pair(client, world.hr, ready, world.junior.id)
    with count_statements(runtime) as few:
        await client.get(MENTORSHIPS, headers=world.sales_head.headers)
    for mentee in (world.member, world.peer):
        await pair(client, world.hr, ready, mentee.id)
    with count_statements(runtime) as many:
        response = await client.get(MENTORSHIPS, headers=world.sales_head.headers)
    assert len(response.json()["items"]) == 3
    assert many.count == few.count


async def test_a_plan_keeps_the_template_revision_it_was_drafted_from(
    client: AsyncClient, world: World
) -> None:
    ready = await setup(client, world)
    first = await pair(client, world.hr, ready, world.junior.id)
    revised = await client.patch(
        f"{API}/mentee-templates/{ready.template['id']}",
        json={
            "name": "New graduates",
            "role": "new_graduate",
            "duration_months": 6,
            "goals": [{"kind": "skill_test_score", "key": "skills", "title": "Test", "target": 70}],
            "version": ready.template["version"],
        },
        headers=world.hr.headers,
    )
    assert revised.status_code == 200, revised.text
    second = await pair(client, world.hr, ready, world.member.id)
    assert (first["ends_on"], second["ends_on"]) == ("2028-01-04", "2027-07-04")
    plans = [
        (await client.get(f"{MENTORSHIPS}/{p['id']}/plan", headers=world.hr.headers)).json()
        for p in (first, second)
    ]
    assert [(p["template_revision"], len(p["goals"])) for p in plans] == [(1, 2), (2, 1)]

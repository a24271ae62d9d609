"""Mentor suggestions over HTTP: the program's qualifying mentors ranked for a mentee and
explained (strengths on the mentee's competency gaps, distance in the department tree, room
left, each term's share), full mentors last, never the mentee nor another program's mentors;
reach (404), a fixed number of statements."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.competencies import api as competencies
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import create
from tests.factories import make_employee, make_org, make_user
from tests.mentoring.m4_helpers import pair
from tests.mentoring.test_programs import make_program
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem

__all__ = ["world"]


async def _evidence(runtime: Runtime, world: World, employee_id: uuid.UUID, *pairs: Any) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        for competency, value in pairs:
            await competencies.record_evidence(
                session,
                world.hr.org_id,
                employee_id=employee_id,
                competency_id=uuid.UUID(competency["id"]),
                value=value,
                source_kind="review",
                source_id=uuid.uuid4(),
                observed_at=datetime.now(UTC),
            )


async def _mentor(client: AsyncClient, world: World, program: Any, employee_id: Any) -> str:
    applied = await client.post(
        "/api/v1/mentor-applications",
        json={"program_id": program["id"], "employee_id": str(employee_id)},
        headers=world.hr.headers,
    )
    assert applied.status_code == 201, applied.text
    approved = await client.post(
        f"/api/v1/mentor-applications/{applied.json()['id']}/approve", headers=world.hr.headers
    )
    assert approved.status_code == 200, approved.text
    mentors = await client.get(
        "/api/v1/mentors", params={"program_id": program["id"]}, headers=world.hr.headers
    )
    [mentor] = [m for m in mentors.json()["items"] if m["employee"]["id"] == str(employee_id)]
    return str(mentor["id"])


def _url(program: Any) -> str:
    return f"/api/v1/mentoring-programs/{program['id']}/mentor-suggestions"


@pytest.mark.commits
async def test_mentors_ranked_for_a_graduate_each_rank_explained(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """The graduate (sales east, a clerk) falls short on customers (3 of 8) and team work
    (nothing of 6). Lead (sales) is strong in both, Engineer (engineering) in team work only,
    Member (the graduate's own department) in neither; Peer (sales) is full."""
    org_id = world.hr.org_id
    team = await create(client, world.hr, "Team work", levels=5)
    customers = await create(client, world.hr, "Customer care", levels=5)
    model = {
        "entries": [
            {"competency_id": customers["id"], "required_level": 4, "weight": 60},
            {"competency_id": team["id"], "required_level": 3, "weight": 40},
        ]
    }
    saved = await client.put(
        f"/api/v1/positions/{world.clerk.id}/competency-model", json=model, headers=world.hr.headers
    )
    assert saved.status_code == 200, saved.text
    graduate = await make_employee(
        runtime, org_id, world.sales_east, "Graduate", manager=world.member, position=world.clerk
    )
    await _evidence(runtime, world, graduate.id, (customers, 3.0))
    await _evidence(runtime, world, world.lead.id, (customers, 9.0), (team, 7.0))
    await _evidence(runtime, world, world.engineer.id, (team, 8.0))
    await run_burst(runtime)
    program = await make_program(client, world.hr, rules=[], capacity=2)
    other = await make_program(client, world.hr, name="Engineers", rules=[])
    for employee in (world.lead, world.member, world.engineer, graduate):
        await _mentor(client, world, program, employee.id)
    await _mentor(client, world, other, world.boss.id)
    peer = await _mentor(client, world, program, world.peer.id)
    for mentee in (world.junior, world.boss):
        await pair(client, world.hr, program["id"], peer, mentee.id)

    response = await client.get(
        _url(program), params={"mentee_id": str(graduate.id)}, headers=world.hr.headers
    )
    assert response.status_code == 200, response.text
    found = response.json()
    assert found["mentee"] == {"id": str(graduate.id), "name": "Graduate"}
    assert [(g["competency"]["name"], g["required"], g["current"]) for g in found["gaps"]] == [
        ("Customer care", 8.0, 3.0),
        ("Team work", 6.0, None),
    ]
    assert found["weights"] == {
        "strengths": 50.0,
        "proximity": 20.0,
        "capacity": 15.0,
        "effectiveness": 15.0,
    }
    ranked = [item["employee"]["name"] for item in found["items"]]
    assert ranked == ["Lead", "Engineer", "Member", "Peer"], "never the mentee, another program's"
    assert found["considered"] == 4
    lead, engineer, member, full = found["items"]
    assert (lead["relation"], lead["distance"], lead["load"], lead["has_room"]) == (
        "other",
        1,
        0,
        True,
    )
    assert [
        (s["competency"]["name"], s["mentor_score"], s["covers"]) for s in lead["strengths"]
    ] == [
        ("Customer care", 9.0, 1.0),
        ("Team work", 7.0, 1.0),
    ]
    terms = {t["term"]: (t["weight"], t["score"]) for t in lead["terms"]}
    assert terms == {
        "proximity": (0.2353, 75.0),
        "capacity": (0.1765, 100.0),
        "strengths": (0.5882, 100.0),
    }, "effectiveness is left out until it is computed; the shares add up to 1"
    assert lead["score"] == pytest.approx((50 * 100 + 20 * 75 + 15 * 100) / 85, abs=0.01)
    assert (engineer["relation"], engineer["distance"]) == ("other", 3)
    assert {t["term"]: t["score"] for t in engineer["terms"]}["proximity"] == 25.0
    assert member["relation"] == "same_department"
    assert {t["term"]: t["score"] for t in member["terms"]}["strengths"] == 0.0
    assert (full["load"], full["has_room"]) == (2, False), "full mentors last"
    available = await client.get(
        _url(program),
        params={"mentee_id": str(graduate.id), "available_only": "true", "limit": 2},
        headers=world.hr.headers,
    )
    assert [i["employee"]["name"] for i in available.json()["items"]] == ["Lead", "Engineer"]
    assert available.json()["considered"] == 3

    weighed = await client.patch(
        f"/api/v1/mentoring-programs/{program['id']}",
        json={
            "suggestion_weights": {
                "strengths": 0,
                "proximity": 100,
                "capacity": 0,
                "effectiveness": 0,
            },
            "version": program["version"],
        },
        headers=world.hr.headers,
    )
    assert weighed.status_code == 200, weighed.text
    nearest = await client.get(
        _url(program), params={"mentee_id": str(graduate.id)}, headers=world.hr.headers
    )
    assert [i["employee"]["name"] for i in nearest.json()["items"]][:3] == [
        "Member",
        "Lead",
        "Engineer",
    ]

    with count_statements(runtime) as few:
        await client.get(
            _url(other), params={"mentee_id": str(graduate.id)}, headers=world.hr.headers
        )
    with count_statements(runtime) as many:
        await client.get(
            _url(program), params={"mentee_id": str(graduate.id)}, headers=world.hr.headers
        )
    assert many.count == few.count


async def test_who_may_ask_and_bad_input(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    program = await make_program(client, world.hr, rules=[])
    await _mentor(client, world, program, world.lead.id)
    query = {"mentee_id": str(world.junior.id)}
    for account in (world.member_account, world.sales_head):
        allowed = await client.get(_url(program), params=query, headers=account.headers)
        assert allowed.status_code == 200, allowed.text
        assert [i["employee"]["name"] for i in allowed.json()["items"]] == ["Lead"]
    own = await client.get(_url(program), params=query, headers=world.junior_account.headers)
    assert_problem(own, 404)
    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    outside = await client.get(_url(program), params=query, headers=engineer.headers)
    assert_problem(outside, 404)
    stranger = await make_org(runtime)
    hidden = await client.get(_url(program), params=query, headers=stranger.headers)
    assert_problem(hidden, 404)
    missing = await client.get(_url(program), headers=world.hr.headers)
    assert_problem(missing, 422)
    east = await make_program(
        client, world.hr, name="East only", rules=[], department_id=str(world.sales_east.id)
    )
    refused = await client.get(
        _url(east), params={"mentee_id": str(world.engineer.id)}, headers=world.hr.headers
    )
    assert_problem(refused, 422, fields={"mentee_id"})
    for weights in ({"strengths": -1}, {"strengths": 101}, {"luck": 10}):
        bad = await client.patch(
            f"/api/v1/mentoring-programs/{program['id']}",
            json={"suggestion_weights": weights},
            headers=world.hr.headers,
        )
        assert_problem(bad, 422)

"""Matching both ways, explained: people ranked for an assignment and assignments ranked for
a person, each score with its factors (gap fit, readiness, load, pool) and weights, in a
fixed number of statements however many people or assignments."""

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
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.stretch_helpers import make_assignment
from tests.factories import make_employee, make_org, make_user
from tests.people.conftest import count_statements
from tests.problems import assert_problem

URL = f"{API}/stretch-assignments"


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


async def _model(client: AsyncClient, world: World, position_id: uuid.UUID, *entries: Any) -> None:
    body = {
        "entries": [
            {"competency_id": c["id"], "required_level": level, "weight": weight}
            for c, level, weight in entries
        ]
    }
    url = f"{API}/positions/{position_id}/competency-model"
    ok(await client.put(url, json=body, headers=world.hr.headers))


async def _pool_member(client: AsyncClient, world: World, employee_id: uuid.UUID) -> str:
    pools = f"{API}/talent-pools"
    pool = ok(
        await client.post(
            pools, json={"name": "Reserve chiefs", "rules": []}, headers=world.hr.headers
        ),
        201,
    )
    member = ok(
        await client.post(
            f"{pools}/{pool['id']}/members",
            json={"employee_id": str(employee_id), "reason": "Ready"},
            headers=world.hr.headers,
        ),
        201,
    )
    ok(
        await client.patch(
            f"{pools}/{pool['id']}/members/{member['id']}",
            json={"status": "active", "readiness": "one_to_two_years", "reason": "Strong 360"},
            headers=world.hr.headers,
        )
    )
    return str(pool["id"])


async def _setting(
    client: AsyncClient, world: World, runtime: Runtime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Team management (5 levels) and customer resource integration (4 levels); the chief's
    model needs 4 and 2 of them, the clerk's 4 of the second. Lead (chief): 5.0 and 6.0;
    Clerk: 3.0 in the second; Member in a talent pool; nobody else has evidence."""
    team = await create(client, world.hr, "Team management", levels=5)
    customers = await create(client, world.hr, "Customer resource integration", levels=4)
    await _model(client, world, world.chief.id, (team, 4, 60), (customers, 2, 40))
    await _model(client, world, world.clerk.id, (customers, 4, 100))
    clerk = await make_employee(
        runtime, world.hr.org_id, world.sales, "Clerk", manager=world.boss, position=world.clerk
    )
    await _evidence(runtime, world, world.lead.id, (team, 5.0), (customers, 6.0))
    await _evidence(runtime, world, clerk.id, (customers, 3.0))
    await run_burst(runtime)
    return team, customers


def _factors(item: dict[str, Any]) -> dict[str, tuple[float, float, float]]:
    return {f["factor"]: (f["value"], f["weight"], f["points"]) for f in item["factors"]}


@pytest.mark.commits
async def test_people_ranked_for_an_assignment_each_rank_explained(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team, customers = await _setting(client, world, runtime)
    pool_id = await _pool_member(client, world, world.member.id)
    assignment = await make_assignment(client, world.hr, world.sales.id, (team, 2), (customers, 1))
    url = f"{URL}/{assignment['id']}/matches"
    with count_statements(runtime) as few:
        matches = ok(await client.get(url, headers=world.hr.headers))
    ranked = [(item["rank"], item["employee"]["name"], item["score"]) for item in matches["items"]]
    assert ranked == [
        (1, "Lead", 57.5),
        (2, "Clerk", 49.0),
        (3, "Member", 30.0),
        (4, "Junior", 20.0),
        (5, "Peer", 20.0),
    ]
    lead, clerk_match, member = matches["items"][:3]
    assert _factors(lead) == {
        "gap_fit": (0.1875, 40.0, 7.5),
        "readiness": (1.0, 30.0, 30.0),
        "load": (1.0, 20.0, 20.0),
        "pool": (0.0, 10.0, 0.0),
    }
    lines = {line["competency"]["name"]: line for line in clerk_match["competencies"]}
    assert [
        (
            lines[name]["start"],
            lines[name]["required"],
            lines[name]["current"],
            lines[name]["gap"],
            lines[name]["ready"],
        )
        for name in ("Team management", "Customer resource integration")
    ] == [(4.0, None, None, 0.0, False), (2.5, 10.0, 3.0, 7.0, True)]
    assert member["pools"] == [{"id": pool_id, "name": "Reserve chiefs"}]
    assert (matches["candidates"], matches["assignment"]["name"]) == (5, assignment["title"])
    assert [
        i["employee"]["name"]
        for i in ok(await client.get(f"{url}?limit=2", headers=world.hr.headers))["items"]
    ] == ["Lead", "Clerk"]

    # Someone on it is no longer a candidate; their load counts elsewhere.
    ok(
        await client.post(
            f"{URL}/{assignment['id']}/assign",
            json={"employee_id": str(world.member.id)},
            headers=world.hr.headers,
        ),
        201,
    )
    other = await make_assignment(client, world.hr, world.sales.id, (team, 2))
    for n in range(3):
        more = await make_employee(
            runtime,
            world.hr.org_id,
            world.sales,
            f"Newcomer {n}",
            manager=world.boss,
            position=world.clerk,
        )
        await _evidence(runtime, world, more.id, (team, 3.0), (customers, 2.0))
    await run_burst(runtime)
    with count_statements(runtime) as many:
        again = ok(await client.get(f"{URL}/{other['id']}/matches", headers=world.hr.headers))
    assert many.count == few.count
    busy = next(item for item in again["items"] if item["employee"]["name"] == "Member")
    assert (busy["open_assignments"], busy["at_capacity"], _factors(busy)["load"][0]) == (
        1,
        False,
        0.5,
    )
    names = {
        item["employee"]["name"]
        for item in ok(await client.get(url, headers=world.hr.headers))["items"]
    }
    assert "Member" not in names


@pytest.mark.commits
async def test_who_may_rank_people(client: AsyncClient, world: World, runtime: Runtime) -> None:
    team = await create(client, world.hr, "Team management")
    assignment = await make_assignment(client, world.hr, world.sales.id, (team, 2))
    url = f"{URL}/{assignment['id']}/matches"
    head = ok(await client.get(url, headers=world.sales_head.headers))
    assert {i["employee"]["name"] for i in head["items"]} == {"Lead", "Member", "Junior", "Peer"}
    # A manager ranks the people they manage, never themself.
    lead = ok(await client.get(url, headers=world.lead_account.headers))
    assert {i["employee"]["name"] for i in lead["items"]} == {"Member", "Junior"}
    assert_problem(await client.get(url, headers=world.junior_account.headers), 403)
    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    assert_problem(await client.get(url, headers=engineer.headers), 404)
    assert_problem(
        await client.get(f"{url}?limit=0", headers=world.hr.headers), 422, fields={"query.limit"}
    )


@pytest.mark.commits
async def test_my_matches_rank_the_open_assignments_of_my_departments(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team, customers = await _setting(client, world, runtime)
    sales = await make_assignment(client, world.hr, world.sales.id, (team, 2), (customers, 1))
    me = f"{API}/me/stretch-assignment-matches"
    with count_statements(runtime) as one:
        mine = ok(await client.get(me, headers=world.lead_account.headers))
    assert [(i["assignment"]["name"], i["score"]) for i in mine["items"]] == [
        (sales["title"], 57.5)
    ]
    office = await make_assignment(
        client, world.hr, world.head_office.id, (customers, 3), title="Key accounts"
    )
    await make_assignment(client, world.hr, world.engineering.id, (team, 1), title="Line")
    await make_assignment(client, world.hr, world.sales_east.id, (team, 1), title="East")
    closed = await make_assignment(client, world.hr, world.sales.id, (team, 1), title="Closed")
    ok(
        await client.patch(
            f"{URL}/{closed['id']}", json={"status": "closed"}, headers=world.hr.headers
        )
    )
    with count_statements(runtime) as several:
        mine = ok(await client.get(me, headers=world.lead_account.headers))
    assert several.count == one.count
    assert [(i["rank"], i["assignment"]["name"], i["score"]) for i in mine["items"]] == [
        (1, sales["title"], 57.5),
        (2, "Key accounts", 44.0),
    ]
    key_accounts = mine["items"][1]
    assert key_accounts["department"]["name"] == "Head office"
    assert _factors(key_accounts)["readiness"] == (0.8, 30.0, 24.0)
    assert (mine["open_assignments"], mine["at_capacity"], mine["pools"]) == (0, False, [])
    ok(
        await client.post(
            f"{URL}/{office['id']}/assign",
            json={"employee_id": str(world.lead.id)},
            headers=world.hr.headers,
        ),
        201,
    )
    mine = ok(await client.get(me, headers=world.lead_account.headers))
    assert [i["assignment"]["name"] for i in mine["items"]] == [sales["title"]]
    assert mine["open_assignments"] == 1
    assert_problem(await client.get(me, headers=world.hr.headers), 404, detail="not linked")


@pytest.mark.commits
async def test_matches_for_someone_else_read_as_they_read_their_own(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team, customers = await _setting(client, world, runtime)
    await make_assignment(client, world.hr, world.sales.id, (team, 2), (customers, 1))
    url = f"{API}/employees/{world.lead.id}/stretch-assignment-matches"
    own = ok(
        await client.get(f"{API}/me/stretch-assignment-matches", headers=world.lead_account.headers)
    )
    with count_statements(runtime) as one:
        hr = ok(await client.get(url, headers=world.hr.headers))
    assert hr == own
    assert (hr["employee"]["name"], [i["score"] for i in hr["items"]]) == ("Lead", [57.5])
    # Their manager (Boss has no account: the department head over them reads) and themself.
    assert ok(await client.get(url, headers=world.sales_head.headers)) == own
    assert ok(await client.get(url, headers=world.lead_account.headers)) == own
    member_url = f"{API}/employees/{world.member.id}/stretch-assignment-matches"
    assert ok(await client.get(member_url, headers=world.lead_account.headers))["employee"] == {
        "id": str(world.member.id),
        "name": "Member",
    }

    await make_assignment(client, world.hr, world.head_office.id, (customers, 3), title="Key")
    await make_assignment(client, world.hr, world.sales.id, (team, 1), title="Second")
    with count_statements(runtime) as several:
        three = ok(await client.get(url, headers=world.hr.headers))
    assert (len(three["items"]), several.count) == (3, one.count)

    # Outside the caller's reach, another organization's HR included: 404 in their language.
    for account in (world.member_account, world.junior_account):
        assert_problem(await client.get(url, headers=account.headers), 404, detail="No such")
    stranger = await make_org(runtime)
    refused = await client.get(url, headers=stranger.headers | {"Accept-Language": "zh-CN"})
    assert_problem(refused, 404, detail="员工不存在")
    assert_problem(
        await client.get(f"{url}?limit=0", headers=world.hr.headers), 422, fields={"query.limit"}
    )

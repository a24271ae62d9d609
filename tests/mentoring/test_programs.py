"""Mentoring programs over HTTP: HR writes, the reach of department programs, rules as
typed data, another organization invisible, one statement count per list."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.runtime import Runtime
from tests.factories import Account, make_org
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem

__all__ = ["world"]
PROGRAMS = "/api/v1/mentoring-programs"
SEED_RULES = [
    {"kind": "top_performance", "letter": "A", "periods": 3},
    {"kind": "tenure", "min_months": 24},
]


async def make_program(
    client: AsyncClient, hr: Account, name: str = "Apprentices 2027", **fields: Any
) -> Any:
    response = await client.post(
        PROGRAMS, json={"name": name, "rules": SEED_RULES} | fields, headers=hr.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_hr_creates_a_program_with_rules_as_data_audited(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    program = await make_program(client, world.hr, description="师徒制, as a system")
    assert program["capacity"] == 3
    assert program["rules"] == SEED_RULES
    assert program["department"] is None
    read = await client.get(f"{PROGRAMS}/{program['id']}", headers=world.member_account.headers)
    assert read.json() == program
    async with owner_engine.connect() as connection:
        [after] = (
            await connection.execute(
                select(AuditEvent.after).where(
                    AuditEvent.action == "mentoring_program.created",
                    AuditEvent.object_id == program["id"],
                )
            )
        ).scalars()
    assert after["rules"] == SEED_RULES


async def test_only_hr_writes_and_bad_rules_are_422(client: AsyncClient, world: World) -> None:
    denied = await client.post(PROGRAMS, json={"name": "Mine"}, headers=world.sales_head.headers)
    assert_problem(denied, 403)
    unknown_rule = await client.post(
        PROGRAMS,
        json={"name": "Courses", "rules": [{"kind": "completed_course", "course": "Mentor"}]},
        headers=world.hr.headers,
    )
    assert_problem(unknown_rule, 422)
    too_big = await client.post(
        PROGRAMS, json={"name": "Big", "capacity": 0}, headers=world.hr.headers
    )
    assert_problem(too_big, 422, fields={"body.capacity"})
    await make_program(client, world.hr)
    taken = await client.post(
        PROGRAMS,
        json={"name": "Apprentices 2027"},
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    body = assert_problem(taken, 409)
    assert "Apprentices 2027" in body["detail"]
    assert "导师计划" in body["detail"]


async def test_a_department_program_is_read_within_its_subtree_and_above_only(
    client: AsyncClient, world: World
) -> None:
    organization = await make_program(client, world.hr, "Everyone")
    sales = await make_program(client, world.hr, "Sales mentors", department_id=str(world.sales.id))
    assert sales["department"]["id"] == str(world.sales.id)
    engineering = await make_program(
        client, world.hr, "Engineering mentors", department_id=str(world.engineering.id)
    )

    async def names(account: Account) -> set[str]:
        response = await client.get(PROGRAMS, headers=account.headers)
        assert response.status_code == 200, response.text
        return {item["name"] for item in response.json()["items"]}

    everything = {organization["name"], sales["name"], engineering["name"]}
    assert await names(world.hr) == everything
    assert await names(world.junior_account) == {"Everyone", "Sales mentors"}
    assert await names(world.sales_head) == {"Everyone", "Sales mentors"}
    hidden = await client.get(
        f"{PROGRAMS}/{engineering['id']}",
        headers=world.junior_account.headers | {"Accept-Language": "zh-CN"},
    )
    assert_problem(hidden, 404, detail="导师计划不存在")


async def test_hr_changes_a_program_with_its_version(client: AsyncClient, world: World) -> None:
    program = await make_program(client, world.hr)
    changed = await client.patch(
        f"{PROGRAMS}/{program['id']}",
        json={"capacity": 5, "rules": [{"kind": "tenure", "min_months": 6}], "version": 1},
        headers=world.hr.headers,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["capacity"], changed.json()["rules"]) == (
        5,
        [{"kind": "tenure", "min_months": 6}],
    )
    stale = await client.patch(
        f"{PROGRAMS}/{program['id']}", json={"capacity": 4, "version": 1}, headers=world.hr.headers
    )
    assert stale.status_code == 409, stale.text
    denied = await client.patch(
        f"{PROGRAMS}/{program['id']}", json={"capacity": 4}, headers=world.member_account.headers
    )
    assert_problem(denied, 403)


async def test_another_organization_s_program_is_not_found(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    program = await make_program(client, world.hr)
    other = await make_org(runtime)
    for response in (
        await client.get(f"{PROGRAMS}/{program['id']}", headers=other.headers),
        await client.patch(
            f"{PROGRAMS}/{program['id']}", json={"capacity": 4}, headers=other.headers
        ),
    ):
        assert_problem(response, 404)
    assert (await client.get(PROGRAMS, headers=other.headers)).json()["items"] == []


async def test_the_program_list_costs_the_same_statements_for_more_programs(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await make_program(client, world.hr, "First", department_id=str(world.sales.id))
    with count_statements(runtime) as few:
        await client.get(PROGRAMS, headers=world.junior_account.headers)
    for index in range(4):
        await make_program(client, world.hr, f"More {index}", department_id=str(world.sales.id))
    with count_statements(runtime) as many:
        response = await client.get(PROGRAMS, headers=world.junior_account.headers)
    assert len(response.json()["items"]) == 5
    assert many.count == few.count

"""Pool members, screening results, candidates and vacancies name their departments, members
and the 9-box their pool and who decided, in a fixed number of statements."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_employee, make_org, make_position
from tests.people.conftest import World, count_statements, world
from tests.talent.test_vacancies import (
    POOLS,
    VACANCIES,
    Succession,
    _member,
    _ok,
    _open,
    clock,
    storage_dir,
    succession,
)

__all__ = ["clock", "storage_dir", "succession", "world"]


def _link(row: Any) -> dict[str, str]:
    return {"id": str(row.id), "name": row.name}


async def test_members_and_screening_name_the_department(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    pool = await _ok(
        await client.post(POOLS, json={"name": "Reserve", "rules": []}, headers=world.hr.headers),
        201,
    )
    for employee in (world.lead, world.member, world.engineer):
        await _member(client, world.hr, pool["id"], employee.id)
    with count_statements(runtime) as few:
        members = await _ok(
            await client.get(f"{POOLS}/{pool['id']}/members", headers=world.hr.headers)
        )
    assert {m["employee"]["name"]: m["department"] for m in members["items"]} == {
        "Lead": _link(world.sales),
        "Member": _link(world.sales_east),
        "Engineer": _link(world.engineering),
    }
    for index in range(4):
        extra = await make_employee(runtime, world.hr.org_id, world.head_office, f"Extra {index}")
        await _member(client, world.hr, pool["id"], extra.id)
    pending = await make_employee(runtime, world.hr.org_id, world.head_office, "Pending")
    await _ok(
        await client.post(
            f"{POOLS}/{pool['id']}/members",
            json={"employee_id": str(pending.id), "reason": "Strong results"},
            headers=world.hr.headers,
        ),
        201,
    )
    with count_statements(runtime) as many:
        members = await _ok(
            await client.get(f"{POOLS}/{pool['id']}/members", headers=world.hr.headers)
        )
    assert len(members["items"]) == 8
    assert many.count == few.count
    hr_user = await _ok(
        await client.get(f"/api/v1/users/{world.hr.user_id}", headers=world.hr.headers)
    )
    decider = {"id": str(world.hr.user_id), "name": hr_user["display_name"]}
    assert {(m["pool_id"], m["pool"]["name"]) for m in members["items"]} == {
        (pool["id"], "Reserve")
    }
    assert {m["employee"]["name"]: m["decided_by_user"] for m in members["items"]} == {
        name: None if name == "Pending" else decider
        for name in ("Lead", "Member", "Engineer", "Pending", *(f"Extra {i}" for i in range(4)))
    }, "an undecided nomination names no decider"
    nine_box = await _ok(
        await client.get(f"{POOLS}/{pool['id']}/nine-box", headers=world.hr.headers)
    )
    assert nine_box["pool"] == {"id": pool["id"], "name": "Reserve"}
    measured = await _ok(
        await client.get(
            f"{POOLS}/measures", params={"pool_id": pool["id"]}, headers=world.hr.headers
        )
    )
    assert measured["pool"] == {"id": pool["id"], "name": "Reserve"}
    everything = await _ok(await client.get(f"{POOLS}/measures", headers=world.hr.headers))
    assert (everything["pool_id"], everything["pool"]) == (None, None)
    screened = await _ok(
        await client.post(
            f"{POOLS}/{pool['id']}/screen", json={"only_passing": False}, headers=world.hr.headers
        )
    )
    departments = {c["employee"]["name"]: c["department"] for c in screened["candidates"]}
    assert departments["Junior"] == _link(world.sales_east)
    assert departments["Boss"] == _link(world.head_office)
    assert all(c["department"]["id"] == c["department_id"] for c in screened["candidates"])


async def test_candidates_name_their_department(
    client: AsyncClient, world: World, succession: Succession
) -> None:
    url = f"{VACANCIES}/{succession.vacancy['id']}/candidates"
    ranked = await _ok(await client.get(url, headers=world.hr.headers))
    assert {c["employee"]["name"]: c["department"] for c in ranked["items"]} == {
        "Member": _link(world.sales_east),
        "Peer": _link(world.sales),
        "Engineer": _link(world.engineering),
    }
    body = {
        "employee_id": str(world.member.id),
        "effective_date": "2027-03-01",
        "reason": "Best candidate",
    }
    appointed = await _ok(
        await client.post(
            f"{VACANCIES}/{succession.vacancy['id']}/appoint", json=body, headers=world.hr.headers
        )
    )
    assert appointed["appointment"]["ranking"]["department"] == _link(world.sales_east)


async def test_vacancies_name_their_department_in_fixed_statements(
    client: AsyncClient, runtime: Runtime, world: World, succession: Succession
) -> None:
    assert succession.vacancy["department"] == _link(world.sales)
    assert succession.vacancy["vacated_by_employee"] is None
    with count_statements(runtime) as few:
        listed = await _ok(await client.get(VACANCIES, headers=world.hr.headers))
    assert len(listed["items"]) == 1
    for index in range(3):
        post = await make_position(
            runtime, world.hr.org_id, world.engineering, f"Head {index}", management=True
        )
        opened = await _open(client, world.hr, post.id)
        assert opened["department"] == _link(world.engineering)
    with count_statements(runtime) as many:
        listed = await _ok(await client.get(VACANCIES, headers=world.hr.headers))
    assert len(listed["items"]) == 4
    assert many.count == few.count
    other = await make_org(runtime)
    assert (await _ok(await client.get(VACANCIES, headers=other.headers)))["items"] == []

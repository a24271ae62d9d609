"""Employees carry the names of their department, position and manager, joined in the
statement that reads them: a team screen needs no lookup per row."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_department, make_employee, make_org, make_position
from tests.people.conftest import World, count_statements


def _link(row: Any, name: str) -> dict[str, str] | None:
    return {"id": str(row.id), "name": name} if row is not None else None


def _expected(world: World) -> dict[str, tuple[Any, ...]]:
    """Full name → (department link, position link, manager link)."""
    return {
        "Boss": (_link(world.head_office, "Head office"), None, None),
        "Lead": (
            _link(world.sales, "Sales"),
            _link(world.chief, "Sales chief"),
            _link(world.boss, "Boss"),
        ),
        "Member": (_link(world.sales_east, "Sales East"), None, _link(world.lead, "Lead")),
        "Junior": (_link(world.sales_east, "Sales East"), None, _link(world.member, "Member")),
        "Peer": (_link(world.sales, "Sales"), None, _link(world.boss, "Boss")),
        "Engineer": (_link(world.engineering, "Engineering"), None, _link(world.boss, "Boss")),
    }


def _links(item: dict[str, Any]) -> tuple[Any, ...]:
    for link, id_field in (("department", "department_id"), ("position", "position_id")):
        assert (item[link] or {}).get("id") == item[id_field]
    assert (item["manager"] or {}).get("id") == item["manager_id"]
    return item["department"], item["position"], item["manager"]


async def _listed(client: AsyncClient, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = await client.get("/api/v1/employees", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {item["full_name"]: _links(item) for item in response.json()["items"]}


async def test_every_list_path_names_the_links(client: AsyncClient, world: World) -> None:
    expected = _expected(world)
    department_names = {world.head_office.name, world.sales.name, world.sales_east.name}
    assert department_names == {"Head office", "Sales", "Sales East"}, "the tree's names"
    first_page = await _listed(client, world.hr.headers)
    assert first_page == expected
    searched = await _listed(client, world.hr.headers, q="er")
    assert searched == {name: links for name, links in expected.items() if "er" in name.lower()}
    subtree = await _listed(
        client, world.hr.headers, department_id=str(world.sales.id), include_subtree="true"
    )
    assert subtree == {name: expected[name] for name in ("Lead", "Member", "Junior", "Peer")}
    cursor = (
        await client.get("/api/v1/employees", params={"limit": 2}, headers=world.hr.headers)
    ).json()["next_cursor"]
    rest = await _listed(client, world.hr.headers, cursor=cursor)
    assert len(rest) == 4
    assert all(expected[name] == links for name, links in rest.items())
    team = await _listed(client, world.lead_account.headers)
    assert team == {name: expected[name] for name in ("Lead", "Member", "Junior")}


async def test_a_team_member_sees_the_manager_s_name_not_more(
    client: AsyncClient, world: World
) -> None:
    """The manager is outside a member's reach: the link names them, the record stays hidden."""
    mine = await client.get(
        f"/api/v1/employees/{world.member.id}", headers=world.member_account.headers
    )
    assert mine.status_code == 200, mine.text
    assert mine.json()["manager"] == {"id": str(world.lead.id), "name": "Lead"}
    assert set(mine.json()["manager"]) == {"id", "name"}
    hidden = await client.get(
        f"/api/v1/employees/{world.lead.id}", headers=world.member_account.headers
    )
    assert hidden.status_code == 404


async def test_writes_answer_with_the_new_names(client: AsyncClient, world: World) -> None:
    body = {
        "employee_number": "N-100",
        "full_name": "New Hire",
        "department_id": str(world.sales.id),
        "position_id": str(world.clerk.id),
        "manager_id": str(world.lead.id),
        "hire_date": "2024-03-01",
    }
    created = await client.post("/api/v1/employees", json=body, headers=world.hr.headers)
    assert created.status_code == 201, created.text
    assert _links(created.json()) == (
        {"id": str(world.sales.id), "name": "Sales"},
        {"id": str(world.clerk.id), "name": "Sales clerk"},
        {"id": str(world.lead.id), "name": "Lead"},
    )
    moved = await client.patch(
        f"/api/v1/employees/{created.json()['id']}",
        json={"department_id": str(world.engineering.id), "position_id": None, "manager_id": None},
        headers=world.hr.headers,
    )
    assert moved.status_code == 200, moved.text
    engineering = {"id": str(world.engineering.id), "name": "Engineering"}
    assert _links(moved.json()) == (engineering, None, None)


async def test_names_cost_no_statement_per_row(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """Ten rows with ten different positions and managers cost what one row costs, on the
    compiled first page, on a later page and within a manager's reach."""
    org_id = world.hr.org_id
    manager = world.lead
    for number in range(10):
        position = await make_position(runtime, org_id, world.sales, f"Post {number}")
        manager = await make_employee(
            runtime, org_id, world.sales_east, f"Extra {number}", manager=manager, position=position
        )
    cursor = (
        await client.get("/api/v1/employees", params={"limit": 1}, headers=world.hr.headers)
    ).json()["next_cursor"]
    for headers, params in (
        (world.hr.headers, {}),
        (world.hr.headers, {"cursor": cursor}),
        (world.lead_account.headers, {}),
    ):
        counts = []
        for limit in (1, 10):
            with count_statements(runtime) as counter:
                response = await client.get(
                    "/api/v1/employees", params=params | {"limit": limit}, headers=headers
                )
            items = response.json()["items"]
            assert len(items) == limit
            assert all(item["department"]["name"] for item in items)
            counts.append(counter.count)
        assert counts[0] == counts[1], params


async def test_another_organization_s_names_never_show(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    other = await make_org(runtime, slug="other-names")
    elsewhere = await make_department(runtime, other.org_id, "Elsewhere")
    await make_employee(runtime, other.org_id, elsewhere, "Stranger")
    theirs = await _listed(client, other.headers)
    assert theirs == {"Stranger": (_link(elsewhere, "Elsewhere"), None, None)}
    ours = await _listed(client, world.hr.headers)
    assert ours == _expected(world)
    outside = await client.get(f"/api/v1/employees/{world.lead.id}", headers=other.headers)
    assert outside.status_code == 404

"""Departments name their parent, positions their department: a list costs the same
statements whatever its size."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_department, make_org, make_position
from tests.org.conftest import World, recorded_statements


def _link(row: Any) -> dict[str, str]:
    return {"id": str(row.id), "name": row.name}


async def _page(
    client: AsyncClient, runtime: Runtime, url: str, headers: dict[str, str]
) -> tuple[list[dict[str, Any]], int]:
    with recorded_statements(runtime) as statements:
        response = await client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"], len(statements)


async def test_departments_name_their_parent(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    items, _ = await _page(client, runtime, "/api/v1/departments", world.employee.headers)
    parents = {item["name"]: item["parent"] for item in items}
    assert parents == {
        "Head office": None,
        "Sales": _link(world.head_office),
        "Sales East": _link(world.sales),
        "Engineering": _link(world.head_office),
    }
    assert all((item["parent"] or {}).get("id") == item["parent_id"] for item in items)
    one = await client.get(f"/api/v1/departments/{world.sales_east.id}", headers=world.hr.headers)
    assert one.json()["parent"] == _link(world.sales)
    moved = await client.patch(
        f"/api/v1/departments/{world.sales_east.id}",
        json={"parent_id": str(world.engineering.id)},
        headers=world.hr.headers,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["parent"] == _link(world.engineering)
    top = await client.patch(
        f"/api/v1/departments/{world.sales_east.id}",
        json={"parent_id": None},
        headers=world.hr.headers,
    )
    assert top.json()["parent"] is None
    created = await client.post(
        "/api/v1/departments",
        json={"name": "Sales West", "code": "SW", "parent_id": str(world.sales.id)},
        headers=world.hr.headers,
    )
    assert created.json()["parent"] == _link(world.sales)


async def test_a_department_page_costs_the_same_whatever_its_size(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    parent = world.sales_east
    for number in range(8):
        parent = await make_department(runtime, world.hr.org_id, f"Level {number}", parent)
    url = "/api/v1/departments?sort=name&limit="
    one, small = await _page(client, runtime, url + "1", world.hr.headers)
    ten, large = await _page(client, runtime, url + "10", world.hr.headers)
    assert len(one) == 1
    assert len(ten) == 10
    assert one[0]["parent"] == _link(world.head_office), "Engineering"
    assert all(item["parent"]["name"] for item in ten if item["name"] != "Head office")
    assert small == large


async def test_positions_name_their_department(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    for number in range(5):
        department = world.sales if number % 2 else world.engineering
        await make_position(runtime, org_id, department, f"Post {number}")
    one, small = await _page(client, runtime, "/api/v1/positions?limit=1", world.hr.headers)
    five, large = await _page(client, runtime, "/api/v1/positions?limit=5", world.hr.headers)
    assert small == large
    assert len(one) == 1
    expected = {f"Post {n}": _link(world.sales if n % 2 else world.engineering) for n in range(5)}
    assert {item["title"]: item["department"] for item in five} == expected
    body = {"code": "NEW", "title": "New", "department_id": str(world.sales.id), "grade": "P5"}
    created = await client.post("/api/v1/positions", json=body, headers=world.hr.headers)
    assert created.status_code == 201, created.text
    assert created.json()["department"] == _link(world.sales)
    url = f"/api/v1/positions/{created.json()['id']}"
    moved = await client.patch(
        url, json={"department_id": str(world.engineering.id)}, headers=world.hr.headers
    )
    assert moved.json()["department"] == _link(world.engineering)
    renamed = await client.patch(url, json={"title": "Newer"}, headers=world.hr.headers)
    assert renamed.json()["department"] == _link(world.engineering)
    read = await client.get(url, headers=world.employee.headers)
    assert read.json()["department"] == _link(world.engineering)


async def test_another_organization_sees_only_its_own_names(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    other = await make_org(runtime)
    top = await make_department(runtime, other.org_id, "Their top")
    below = await make_department(runtime, other.org_id, "Their unit", top)
    await make_position(runtime, other.org_id, below, "Their post")
    departments, _ = await _page(client, runtime, "/api/v1/departments", other.headers)
    assert {item["name"]: item["parent"] for item in departments} == {
        "Their top": None,
        "Their unit": _link(top),
    }
    positions, _ = await _page(client, runtime, "/api/v1/positions", other.headers)
    assert [item["department"] for item in positions] == [_link(below)]

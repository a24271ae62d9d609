"""Creating, correcting and listing employees."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.conftest import recorded_statements
from tests.factories import make_department, make_employee, make_org, make_position
from tests.people.conftest import World, count_statements
from tests.problems import problem_fields


def _new(world: World, number: str = "N-001", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "employee_number": number,
        "full_name": "New Hire",
        "email": "new.hire@example.com",
        "phone": "+86 139 0000 0000",
        "department_id": str(world.sales.id),
        "position_id": str(world.clerk.id),
        "manager_id": str(world.lead.id),
        "hire_date": "2024-03-01",
    }
    return body | overrides


async def test_hr_creates_an_employee_with_a_hire_event(client: AsyncClient, world: World) -> None:
    response = await client.post("/api/v1/employees", json=_new(world), headers=world.hr.headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "active"
    assert created["email"] == "new.hire@example.com"
    assert response.headers["etag"].startswith(f'"{created["version"]}.')
    events = await client.get(f"/api/v1/employees/{created['id']}/events", headers=world.hr.headers)
    [hire] = events.json()["items"]
    assert hire["kind"] == "hire"
    assert hire["effective_date"] == "2024-03-01"
    assert hire["position_id"] == str(world.clerk.id)


async def test_only_hr_creates_employees(client: AsyncClient, world: World) -> None:
    for account in (world.lead_account, world.sales_head):
        response = await client.post("/api/v1/employees", json=_new(world), headers=account.headers)
        assert response.status_code == 403


async def test_duplicate_employee_number_is_409(client: AsyncClient, world: World) -> None:
    first = await client.post("/api/v1/employees", json=_new(world), headers=world.hr.headers)
    assert first.status_code == 201
    again = await client.post("/api/v1/employees", json=_new(world), headers=world.hr.headers)
    assert again.status_code == 409
    renumber = await client.patch(
        f"/api/v1/employees/{world.peer.id}",
        json={"employee_number": "N-001"},
        headers=world.hr.headers,
    )
    assert renumber.status_code == 409


async def test_references_from_another_org_are_422(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    other = await make_org(runtime)
    department = await make_department(runtime, other.org_id, "Elsewhere")
    position = await make_position(runtime, other.org_id, department, "Foreign")
    stranger = await make_employee(runtime, other.org_id, department, "Stranger")
    for field, value in (
        ("department_id", department.id),
        ("position_id", position.id),
        ("manager_id", stranger.id),
    ):
        body = _new(world, **{field: str(value)})
        response = await client.post("/api/v1/employees", json=body, headers=world.hr.headers)
        assert response.status_code == 422, field
        assert problem_fields(response) == {field}


async def test_invalid_input_is_422(client: AsyncClient, world: World) -> None:
    cases = [
        _new(world, status="retired"),
        _new(world, email="not-an-email"),
        _new(world, employee_number=""),
        {"full_name": "Missing everything"},
    ]
    for body in cases:
        response = await client.post("/api/v1/employees", json=body, headers=world.hr.headers)
        assert response.status_code == 422, body
    cleared = await client.patch(
        f"/api/v1/employees/{world.peer.id}", json={"full_name": None}, headers=world.hr.headers
    )
    assert cleared.status_code == 422


async def test_manager_cycle_is_422(client: AsyncClient, world: World) -> None:
    # junior reports (indirectly) to lead: lead may not report to junior.
    for manager in (world.junior, world.lead):
        response = await client.patch(
            f"/api/v1/employees/{world.lead.id}",
            json={"manager_id": str(manager.id)},
            headers=world.hr.headers,
        )
        assert response.status_code == 422
        assert problem_fields(response) == {"manager_id"}
    sideways = await client.patch(
        f"/api/v1/employees/{world.junior.id}",
        json={"manager_id": str(world.peer.id)},
        headers=world.hr.headers,
    )
    assert sideways.status_code == 200
    assert sideways.json()["manager_id"] == str(world.peer.id)


async def test_patch_needs_hr_403_when_visible_404_when_not(
    client: AsyncClient, world: World
) -> None:
    own = await client.patch(
        f"/api/v1/employees/{world.member.id}",
        json={"manager_id": str(world.boss.id)},
        headers=world.member_account.headers,
    )
    assert own.status_code == 403
    report = await client.patch(
        f"/api/v1/employees/{world.junior.id}",
        json={"full_name": "X"},
        headers=world.member_account.headers,
    )
    assert report.status_code == 403
    hidden = await client.patch(
        f"/api/v1/employees/{world.peer.id}",
        json={"full_name": "X"},
        headers=world.member_account.headers,
    )
    assert hidden.status_code == 404


async def test_patch_with_versions(client: AsyncClient, world: World) -> None:
    path = f"/api/v1/employees/{world.peer.id}"
    read = await client.get(path, headers=world.hr.headers)
    etag = read.headers["etag"]
    changed = await client.patch(
        path, json={"phone": None}, headers=world.hr.headers | {"If-Match": etag}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["phone"] is None
    assert changed.headers["etag"] != etag
    stale_header = await client.patch(
        path, json={"full_name": "Y"}, headers=world.hr.headers | {"If-Match": etag}
    )
    assert stale_header.status_code == 412
    stale_body = await client.patch(
        path, json={"full_name": "Y", "version": read.json()["version"]}, headers=world.hr.headers
    )
    assert stale_body.status_code == 409


async def test_unknown_employee_is_404(client: AsyncClient, world: World) -> None:
    path = f"/api/v1/employees/{uuid.uuid4()}"
    assert (await client.get(path, headers=world.hr.headers)).status_code == 404
    patched = await client.patch(path, json={"full_name": "X"}, headers=world.hr.headers)
    assert patched.status_code == 404


async def test_changes_are_audited_with_before_and_after(client: AsyncClient, world: World) -> None:
    created = await client.post("/api/v1/employees", json=_new(world), headers=world.hr.headers)
    employee_id = created.json()["id"]
    await client.patch(
        f"/api/v1/employees/{employee_id}",
        json={"full_name": "Renamed", "status": "on_leave"},
        headers=world.hr.headers,
    )
    response = await client.get(
        "/api/v1/audit-events",
        params={"object_type": "employee", "object_id": employee_id},
        headers=world.hr.headers,
    )
    assert response.status_code == 200
    by_action = {item["action"]: item for item in response.json()["items"]}
    assert by_action.keys() == {"employee.created", "employee.updated"}
    created_event, updated_event = by_action["employee.created"], by_action["employee.updated"]
    assert created_event["after"]["employee_number"] == "N-001"
    assert updated_event["action"] == "employee.updated"
    assert updated_event["before"] == {"full_name": "New Hire", "status": "active"}
    assert updated_event["after"] == {"full_name": "Renamed", "status": "on_leave"}
    assert updated_event["actor_id"] == str(world.hr.user_id)


# --- lists --------------------------------------------------------------------------------


async def _names(client: AsyncClient, world: World, **params: Any) -> list[str]:
    response = await client.get("/api/v1/employees", params=params, headers=world.hr.headers)
    assert response.status_code == 200, response.text
    return [item["full_name"] for item in response.json()["items"]]


async def test_list_filters(client: AsyncClient, world: World) -> None:
    assert await _names(client, world, department_id=str(world.sales.id)) == ["Lead", "Peer"]
    subtree = await _names(client, world, department_id=str(world.sales.id), include_subtree="true")
    assert subtree == ["Junior", "Lead", "Member", "Peer"]
    assert await _names(client, world, manager_id=str(world.boss.id)) == [
        "Engineer",
        "Lead",
        "Peer",
    ]
    assert await _names(client, world, position_id=str(world.chief.id)) == ["Lead"]
    assert await _names(client, world, q="EE") == ["Engineer", "Peer"]
    number = await client.get(f"/api/v1/employees/{world.boss.id}", headers=world.hr.headers)
    assert await _names(client, world, q=number.json()["employee_number"].lower()) == ["Boss"]
    assert await _names(client, world, q="%") == []
    await client.patch(
        f"/api/v1/employees/{world.peer.id}", json={"status": "exited"}, headers=world.hr.headers
    )
    assert await _names(client, world, status="exited") == ["Peer"]


async def test_a_first_page_continues_into_the_next_with_the_filters_combined(
    client: AsyncClient, world: World
) -> None:
    """An organization-wide reader's first page runs a statement compiled once per filter
    shape, the next pages the composed one: their cursor and filters must agree."""
    filters = {"department_id": str(world.sales.id), "include_subtree": "true", "status": "active"}
    everyone = await _names(client, world, **filters)
    for sort in ("full_name", "employee_number", "hire_date"):
        seen: list[str] = []
        cursor = None
        while True:
            params = filters | {"sort": sort, "limit": "1"} | ({"cursor": cursor} if cursor else {})
            response = await client.get(
                "/api/v1/employees", params=params, headers=world.hr.headers
            )
            assert response.status_code == 200, response.text
            seen += [item["full_name"] for item in response.json()["items"]]
            cursor = response.json()["next_cursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(everyone) == ["Junior", "Lead", "Member", "Peer"], sort
    assert await _names(client, world, **filters, manager_id=str(world.boss.id)) == ["Lead", "Peer"]
    assert await _names(client, world, **filters, position_id=str(world.chief.id)) == ["Lead"]


async def test_list_rejects_unknown_parameters_and_sorts(client: AsyncClient, world: World) -> None:
    for params in ({"sort": "email"}, {"departmnet_id": str(world.sales.id)}):
        response = await client.get("/api/v1/employees", params=params, headers=world.hr.headers)
        assert response.status_code in {400, 422}, params


async def test_list_pages_through_every_sort(client: AsyncClient, world: World) -> None:
    for sort in ("full_name", "employee_number", "hire_date"):
        seen: list[str] = []
        cursor = None
        while True:
            params = {"sort": sort, "limit": "4"} | ({"cursor": cursor} if cursor else {})
            response = await client.get(
                "/api/v1/employees", params=params, headers=world.hr.headers
            )
            assert response.status_code == 200, response.text
            seen += [item["id"] for item in response.json()["items"]]
            cursor = response.json()["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == 6, sort
    by_name = await _names(client, world, sort="full_name")
    assert by_name == sorted(by_name)


async def test_list_costs_the_same_whatever_the_page_size(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    for _ in range(8):
        await make_employee(runtime, world.hr.org_id, world.sales_east, "Extra", manager=world.lead)
    counts = []
    for account in (world.hr, world.lead_account, world.sales_head):
        for limit in (1, 10):
            with count_statements(runtime) as counter:
                response = await client.get(
                    "/api/v1/employees",
                    params={
                        "limit": limit,
                        "department_id": str(world.sales.id),
                        "include_subtree": "true",
                    },
                    headers=account.headers,
                )
            assert response.status_code == 200
            assert len(response.json()["items"]) == limit
            counts.append(counter.count)
        assert counts[-1] == counts[-2], account


async def test_a_name_search_within_a_reach_is_planned_for_its_values(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """A prepared statement's generic plan walks every name testing the reach per row (70 ms
    at 100,000 employees); a search inside a restricted reach asks for a plan per value."""
    planned = []
    for account in (world.hr, world.lead_account):
        with recorded_statements(runtime) as statements:
            response = await client.get(
                "/api/v1/employees", params={"q": "mem"}, headers=account.headers
            )
        assert response.status_code == 200, response.text
        planned.append(any("plan_cache_mode" in statement for statement in statements))
    assert planned == [False, True], "HR reads the whole organization; the lead a reach"


@pytest.mark.commits
async def test_a_retried_create_is_replayed_not_duplicated(
    client: AsyncClient, world: World
) -> None:
    headers = world.hr.headers | {"Idempotency-Key": "hire-n-001"}
    first = await client.post("/api/v1/employees", json=_new(world), headers=headers)
    retry = await client.post("/api/v1/employees", json=_new(world), headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json()["id"] == first.json()["id"]
    assert await _names(client, world, q="New Hire") == ["New Hire"]

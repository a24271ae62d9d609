"""Employment events: history, and the moves they make to the current post."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_department, make_org, make_position
from tests.people.conftest import World


async def _post(client: AsyncClient, world: World, employee_id: Any, body: dict[str, Any]) -> Any:
    return await client.post(
        f"/api/v1/employees/{employee_id}/events", json=body, headers=world.hr.headers
    )


async def _employee(client: AsyncClient, world: World, employee_id: Any) -> dict[str, Any]:
    response = await client.get(f"/api/v1/employees/{employee_id}", headers=world.hr.headers)
    return response.json()  # type: ignore[no-any-return]


async def test_transfer_and_promotion_move_the_current_post(
    client: AsyncClient, world: World
) -> None:
    transfer = await _post(
        client,
        world,
        world.peer.id,
        {
            "kind": "transfer",
            "effective_date": "2024-01-01",
            "department_id": str(world.engineering.id),
        },
    )
    assert transfer.status_code == 201, transfer.text
    assert (await _employee(client, world, world.peer.id))["department_id"] == str(
        world.engineering.id
    )
    promotion = await _post(
        client,
        world,
        world.peer.id,
        {"kind": "promotion", "effective_date": "2025-01-01", "position_id": str(world.chief.id)},
    )
    assert promotion.status_code == 201
    moved = await _employee(client, world, world.peer.id)
    assert moved["position_id"] == str(world.chief.id)
    assert moved["department_id"] == str(world.engineering.id)
    history = await client.get(
        f"/api/v1/employees/{world.peer.id}/events", headers=world.hr.headers
    )
    assert [event["kind"] for event in history.json()["items"]] == ["transfer", "promotion"]


async def test_temporary_post_needs_title_and_end_date_and_keeps_the_post(
    client: AsyncClient, world: World
) -> None:
    base = {"kind": "temporary_post", "effective_date": "2025-01-01", "title": "Project lead"}
    missing = await _post(client, world, world.member.id, base)
    assert missing.status_code == 422
    assert "end_date" in missing.text
    backwards = await _post(client, world, world.member.id, base | {"end_date": "2024-12-31"})
    assert backwards.status_code == 422
    ok = await _post(
        client,
        world,
        world.member.id,
        base
        | {
            "end_date": "2025-06-30",
            "allowance": "1500.00",
            "leads_team": True,
            "department_id": str(world.engineering.id),
        },
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["allowance"] == "1500.00"
    assert (await _employee(client, world, world.member.id))["department_id"] == str(
        world.sales_east.id
    )


async def test_kind_specific_fields_are_checked(client: AsyncClient, world: World) -> None:
    for body in (
        {"kind": "transfer", "effective_date": "2025-01-01"},
        {"kind": "promotion", "effective_date": "2025-01-01"},
        {"kind": "exit", "effective_date": "2025-01-01", "department_id": str(world.sales.id)},
        {
            "kind": "promotion",
            "effective_date": "2025-01-01",
            "position_id": str(world.chief.id),
            "end_date": "2025-02-01",
        },
        {"kind": "exit", "effective_date": "2019-12-31"},
    ):
        response = await _post(client, world, world.peer.id, body)
        assert response.status_code == 422, body


async def test_exit_and_rehire(client: AsyncClient, world: World) -> None:
    exit_ = await _post(
        client, world, world.peer.id, {"kind": "exit", "effective_date": "2025-03-31"}
    )
    assert exit_.status_code == 201
    assert (await _employee(client, world, world.peer.id))["status"] == "exited"
    again = await _post(
        client, world, world.peer.id, {"kind": "exit", "effective_date": "2025-04-01"}
    )
    assert again.status_code == 409
    rehire = await _post(
        client, world, world.peer.id, {"kind": "hire", "effective_date": "2026-01-05"}
    )
    assert rehire.status_code == 201
    back = await _employee(client, world, world.peer.id)
    assert back["status"] == "active"
    assert back["hire_date"] == "2026-01-05"
    double_hire = await _post(
        client, world, world.peer.id, {"kind": "hire", "effective_date": "2026-02-01"}
    )
    assert double_hire.status_code == 409


async def test_only_hr_writes_viewers_read(client: AsyncClient, world: World) -> None:
    body = {"kind": "exit", "effective_date": "2025-03-31"}
    path = f"/api/v1/employees/{world.junior.id}/events"
    assert (
        await client.post(path, json=body, headers=world.lead_account.headers)
    ).status_code == 403
    assert (
        await client.post(path, json=body, headers=world.junior_account.headers)
    ).status_code == 403
    peer_path = f"/api/v1/employees/{world.peer.id}/events"
    assert (
        await client.post(peer_path, json=body, headers=world.lead_account.headers)
    ).status_code == 404
    assert (await client.get(path, headers=world.lead_account.headers)).status_code == 200
    assert (await client.get(path, headers=world.junior_account.headers)).status_code == 200
    assert (await client.get(peer_path, headers=world.junior_account.headers)).status_code == 404


async def test_foreign_department_or_position_is_422(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    other = await make_org(runtime)
    department = await make_department(runtime, other.org_id, "Elsewhere")
    position = await make_position(runtime, other.org_id, department, "Foreign")
    transfer = await _post(
        client,
        world,
        world.peer.id,
        {"kind": "transfer", "effective_date": "2025-01-01", "department_id": str(department.id)},
    )
    assert transfer.status_code == 422
    promotion = await _post(
        client,
        world,
        world.peer.id,
        {"kind": "promotion", "effective_date": "2025-01-01", "position_id": str(position.id)},
    )
    assert promotion.status_code == 422


async def test_events_are_audited(client: AsyncClient, world: World) -> None:
    await _post(
        client,
        world,
        world.peer.id,
        {
            "kind": "transfer",
            "effective_date": "2025-01-01",
            "department_id": str(world.engineering.id),
        },
    )
    events = await client.get(
        "/api/v1/audit-events", params={"object_type": "employment_event"}, headers=world.hr.headers
    )
    [recorded] = events.json()["items"]
    assert recorded["after"]["kind"] == "transfer"
    moves = await client.get(
        "/api/v1/audit-events",
        params={"object_type": "employee", "object_id": str(world.peer.id)},
        headers=world.hr.headers,
    )
    [moved] = moves.json()["items"]
    assert moved["before"] == {"department_id": str(world.sales.id)}
    assert moved["after"] == {"department_id": str(world.engineering.id)}

"""Moving someone to another manager moves everyone below them, and reach follows."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.factories import make_user
from tests.people.conftest import World


async def test_moving_a_manager_moves_their_reports(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    peer_account = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.peer.id
    )
    junior_url = f"/api/v1/employees/{world.junior.id}"
    assert (await client.get(junior_url, headers=world.lead_account.headers)).status_code == 200
    assert (await client.get(junior_url, headers=peer_account.headers)).status_code == 404

    moved = await client.patch(
        f"/api/v1/employees/{world.member.id}",
        json={"manager_id": str(world.peer.id)},
        headers=world.hr.headers,
    )
    assert moved.status_code == 200, moved.text

    assert (await client.get(junior_url, headers=peer_account.headers)).status_code == 200
    assert (await client.get(junior_url, headers=world.lead_account.headers)).status_code == 404
    listed = await client.get("/api/v1/employees", headers=peer_account.headers)
    names = {item["full_name"] for item in listed.json()["items"]}
    assert names == {"Peer", "Member", "Junior"}


async def test_a_manager_cannot_move_under_their_own_report(
    client: AsyncClient, world: World
) -> None:
    response = await client.patch(
        f"/api/v1/employees/{world.lead.id}",
        json={"manager_id": str(world.junior.id)},
        headers=world.hr.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "manager_id"


async def test_removing_a_manager_makes_the_chain_start_there(
    client: AsyncClient, world: World
) -> None:
    response = await client.patch(
        f"/api/v1/employees/{world.member.id}", json={"manager_id": None}, headers=world.hr.headers
    )
    assert response.status_code == 200
    junior = await client.get(
        f"/api/v1/employees/{world.junior.id}", headers=world.lead_account.headers
    )
    assert junior.status_code == 404, "the lead no longer manages the member's line"

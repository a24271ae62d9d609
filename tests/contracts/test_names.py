"""Contracts and amendments name their employee, department and position."""

from __future__ import annotations

from datetime import date
from typing import Any

from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from tests.contracts.conftest import World, make_contract
from tests.factories import make_org

URL = "/api/v1/contracts"


def _link(row: Any, name: str) -> dict[str, str]:
    return {"id": str(row.id), "name": name}


async def test_contracts_name_employee_department_and_position(
    client: AsyncClient, world: World, clock: FrozenClock
) -> None:
    lead = await make_contract(client, world.hr, world.lead.id, end=date(2027, 5, 1))
    assert lead["employee"] == _link(world.lead, "Lead")
    assert lead["department"] == _link(world.sales, "Sales")
    assert lead["position"] == _link(world.chief, "Sales chief")
    member = await make_contract(client, world.hr, world.member.id)
    assert member["position"] is None
    listed = await client.get(URL, headers=world.hr.headers)
    names = {item["employee"]["name"]: item for item in listed.json()["items"]}
    assert names["Member"]["department"] == _link(world.sales_east, "Sales East")
    assert names["Lead"]["position"] == _link(world.chief, "Sales chief")
    for item in listed.json()["items"]:
        assert item["employee"]["id"] == item["employee_id"]
        assert item["department"]["id"] == item["department_id"]
    own = await client.get(f"{URL}/{member['id']}", headers=world.member_account.headers)
    assert own.json()["employee"] == _link(world.member, "Member")
    expiring = await client.get(f"{URL}/expiring", headers=world.hr.headers)
    [soon] = expiring.json()["items"]
    assert soon["contract"]["employee"] == _link(world.lead, "Lead")
    extended = await client.post(
        f"{URL}/{lead['id']}/extend", json={"end_date": "2029-01-31"}, headers=world.hr.headers
    )
    assert extended.json()["position"] == _link(world.chief, "Sales chief")


async def test_amendments_name_their_employee(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock, storage_dir: Any
) -> None:
    contract = await make_contract(client, world.hr, world.peer.id)
    drafted = await client.post(
        f"{URL}/{contract['id']}/amendments",
        json={"effective_date": "2027-04-01", "allowance": "100.00"},
        headers=world.hr.headers,
    )
    assert drafted.status_code == 201, drafted.text
    assert drafted.json()["employee"] == _link(world.peer, "Peer")
    listed = await client.get(f"{URL}/{contract['id']}/amendments", headers=world.hr.headers)
    assert [item["employee"] for item in listed.json()["items"]] == [_link(world.peer, "Peer")]
    one = await client.get(f"/api/v1/amendments/{drafted.json()['id']}", headers=world.hr.headers)
    assert one.json()["employee"] == _link(world.peer, "Peer")


async def test_another_organization_sees_no_contract_names(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    contract = await make_contract(client, world.hr, world.lead.id)
    other = await make_org(runtime)
    assert (await client.get(URL, headers=other.headers)).json()["items"] == []
    outside = await client.get(f"{URL}/{contract['id']}", headers=other.headers)
    assert outside.status_code == 404

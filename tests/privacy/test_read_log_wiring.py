"""Reads of sensitive contract data wired into the read-access log: a contract's amendments
(listed and one by one) and the expiring-contracts list, each logged per person shown, the
employee's own reads not logged."""

from __future__ import annotations

from datetime import date
from typing import Any

from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.privacy import read_log_jobs
from tests.contracts.conftest import World, clock, make_contract, storage_dir, world
from tests.privacy.test_read_log import EVENTS, MY_LOG, _items

__all__ = ["clock", "storage_dir", "world"]


async def _drain(runtime: Runtime) -> int:
    return await read_log_jobs.drain_read_log({"runtime": runtime})


async def test_amendment_reads_are_logged_as_sensitive_and_the_employees_own_are_not(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock, storage_dir: Any
) -> None:
    contract = await make_contract(client, world.hr, world.member.id)
    drafted = await client.post(
        f"/api/v1/contracts/{contract['id']}/amendments",
        json={"effective_date": "2027-04-01", "allowance": "100.00"},
        headers=world.hr.headers,
    )
    assert drafted.status_code == 201, drafted.text
    listed = await client.get(
        f"/api/v1/contracts/{contract['id']}/amendments", headers=world.hr.headers
    )
    assert len(listed.json()["items"]) == 1
    one = await client.get(f"/api/v1/amendments/{drafted.json()['id']}", headers=world.hr.headers)
    assert one.status_code == 200, one.text
    own = await client.get(
        f"/api/v1/amendments/{drafted.json()['id']}", headers=world.member_account.headers
    )
    assert own.status_code == 200, own.text
    assert await _drain(runtime) == 2, "HR's two reads; the member's own is not logged"

    entries = await _items(client, MY_LOG, world.member_account)
    assert sorted((e["operation"], e["what"], e["data_class"]) for e in entries) == [
        ("get_amendment", "contract.amendment", "sensitive"),
        ("list_contract_amendments", "contract.amendment", "sensitive"),
    ]
    assert {e["actor_id"] for e in entries} == {str(world.hr.user_id)}


async def test_the_expiring_contracts_list_logs_each_person_listed(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    await make_contract(client, world.hr, world.member.id, end=date(2027, 5, 15))
    await make_contract(client, world.hr, world.junior.id, end=date(2027, 4, 30))
    await make_contract(client, world.hr, world.peer.id, end=None, kind="open_ended")
    expiring = await client.get("/api/v1/contracts/expiring", headers=world.hr.headers)
    assert expiring.status_code == 200, expiring.text
    assert len(expiring.json()["items"]) == 2
    assert await _drain(runtime) == 2, "the open-ended contract is not listed, so not read"

    events = await _items(client, EVENTS, world.hr, data_class="sensitive")
    assert sorted((e["subject"]["name"], e["what"], e["operation"]) for e in events) == [
        ("Junior", "contract", "list_expiring_contracts"),
        ("Member", "contract", "list_expiring_contracts"),
    ]

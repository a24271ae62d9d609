"""Contracts over HTTP: one active contract at a time, dates, HR-only reach, history."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.contracts import lifecycle
from hrcore.contracts.schemas import ContractCreate
from hrcore.core.authz import Principal, Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.errors import Conflict
from hrcore.core.runtime import Runtime
from tests.contracts.conftest import World, count_statements, make_contract
from tests.servers import blocked_on_a_lock

URL = "/api/v1/contracts"


@pytest.mark.commits
async def test_hr_records_contracts_and_overlaps_are_refused(
    client: AsyncClient, world: World
) -> None:
    hr = world.hr
    contract = await make_contract(client, hr, world.lead.id, end=date(2026, 12, 31))
    assert contract["position_id"] == str(world.chief.id), "defaults to the current post"
    assert contract["grade"] == "G5"
    assert contract["department_id"] == str(world.sales.id)

    overlap = {
        "employee_id": str(world.lead.id),
        "kind": "open_ended",
        "start_date": "2026-12-31",
        "work_location": "上海",
        "pay_terms_ref": "BAND-5",
    }
    response = await client.post(URL, json=overlap, headers=hr.headers)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"

    follow_up = await make_contract(
        client, hr, world.lead.id, start=date(2027, 1, 1), end=None, kind="open_ended"
    )
    history = await client.get(URL, params={"employee_id": str(world.lead.id)}, headers=hr.headers)
    assert [c["id"] for c in history.json()["items"]] == [follow_up["id"], contract["id"]]


async def test_bad_dates_and_unknown_references_are_422(client: AsyncClient, world: World) -> None:
    base = {
        "employee_id": str(world.lead.id),
        "kind": "fixed_term",
        "start_date": "2026-06-01",
        "work_location": "上海",
        "pay_terms_ref": "BAND-5",
    }
    cases = [
        base | {"end_date": "2026-05-31"},
        base,  # a fixed-term contract needs an end date
        base | {"kind": "open_ended", "employee_id": "00000000-0000-0000-0000-000000000001"},
        base | {"kind": "open_ended", "position_id": "00000000-0000-0000-0000-000000000001"},
        base | {"kind": "open_ended", "work_location": ""},
    ]
    for body in cases:
        response = await client.post(URL, json=body, headers=world.hr.headers)
        assert response.status_code == 422, (body, response.text)
    listed = await client.get(URL, headers=world.hr.headers)
    assert listed.json()["items"] == [], "nothing was written"


async def test_contracts_are_hr_data_employees_see_their_own(
    client: AsyncClient, world: World
) -> None:
    mine = await make_contract(client, world.hr, world.member.id)
    theirs = await make_contract(client, world.hr, world.junior.id)
    member = world.member_account
    assert (await client.get(f"{URL}/{mine['id']}", headers=member.headers)).status_code == 200
    own = await client.get(URL, headers=member.headers)
    assert [c["id"] for c in own.json()["items"]] == [mine["id"]]
    # The member manages the junior, yet contracts are HR data: not found.
    assert (await client.get(f"{URL}/{theirs['id']}", headers=member.headers)).status_code == 404
    other = await client.get(
        URL, params={"employee_id": str(world.junior.id)}, headers=member.headers
    )
    assert other.json()["items"] == []
    head = world.sales_head
    assert (await client.get(f"{URL}/{mine['id']}", headers=head.headers)).status_code == 404
    body = {
        "employee_id": str(world.member.id),
        "kind": "open_ended",
        "start_date": "2030-01-01",
        "work_location": "x",
        "pay_terms_ref": "y",
    }
    assert (await client.post(URL, json=body, headers=member.headers)).status_code == 403


async def test_list_costs_the_same_whatever_the_page_size(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """Every contract names a position, so each page looks up every kind of name."""
    for employee in (world.lead, world.member, world.junior, world.peer):
        await make_contract(client, world.hr, employee.id, position_id=str(world.clerk.id))
    counts = []
    for limit in (1, 4):
        with count_statements(runtime) as counter:
            response = await client.get(URL, params={"limit": limit}, headers=world.hr.headers)
        items = response.json()["items"]
        assert len(items) == limit
        assert all(item["position"]["name"] == "Sales clerk" for item in items)
        counts.append(counter.count)
    assert counts[0] == counts[1]


async def test_an_exited_employee_gets_no_new_contract(client: AsyncClient, world: World) -> None:
    exit_event = {"kind": "exit", "effective_date": "2026-01-31"}
    response = await client.post(
        f"/api/v1/employees/{world.peer.id}/events", json=exit_event, headers=world.hr.headers
    )
    assert response.status_code == 201
    body = {
        "employee_id": str(world.peer.id),
        "kind": "open_ended",
        "start_date": "2026-03-01",
        "work_location": "上海",
        "pay_terms_ref": "BAND-5",
    }
    assert (await client.post(URL, json=body, headers=world.hr.headers)).status_code == 409


async def _create_in_own_transaction(runtime: Runtime, hr: Principal, body: ContractCreate) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, hr.org_id)
        await lifecycle.create_contract(session, hr, body, runtime.clock)


@pytest.mark.commits
async def test_a_concurrent_overlapping_contract_waits_and_is_refused(
    runtime: Runtime, owner_engine: AsyncEngine, world: World
) -> None:
    """The second transaction checks for overlaps only once the first has committed."""
    hr = Principal(
        kind="user", id=world.hr.user_id, org_id=world.hr.org_id, roles=frozenset({Role.HR_ADMIN})
    )
    body = ContractCreate(
        employee_id=world.engineer.id,
        kind="open_ended",
        start_date=date(2026, 3, 1),
        work_location="上海",
        pay_terms_ref="BAND-5",
    )
    async with unit_of_work(runtime.sessionmaker) as first:
        await set_tenant(first, hr.org_id)
        await lifecycle.create_contract(first, hr, body, runtime.clock)
        second = asyncio.create_task(_create_in_own_transaction(runtime, hr, body))
        while not await blocked_on_a_lock(owner_engine):
            finished, _ = await asyncio.wait({second}, timeout=0.01)
            if finished:  # it did not wait for the first transaction: the lock is missing
                break
    with pytest.raises(Conflict):
        await second

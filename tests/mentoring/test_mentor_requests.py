"""An employee asks for a mentor: the request carries the program's suggestions, the
deciders hear of it, their manager pairs through the pairing rules (or declines), and reach
is the pairings' (404 outside it, 403 for keys); published as `mentor_request.created`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import storage_dir
from tests.factories import Account, make_user
from tests.mentoring.pairing_helpers import (
    API,
    STARTS_ON,
    ZH,
    Setup,
    make_mentor,
    pair,
    setup,
)
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.webhooks.talent_loop import delivered
from tests.workflow.conftest import clock

__all__ = ["clock", "configure", "receiver", "storage_dir", "world"]

REQUESTS = f"{API}/mentor-requests"


async def ask(client: AsyncClient, account: Account, ready: Setup, **fields: Any) -> Any:
    response = await client.post(
        REQUESTS,
        json={"program_id": ready.program["id"], "note": "I am new here"} | fields,
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def decision(ready: Setup, mentor_id: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "mentor_id": mentor_id or ready.mentor["id"],
        "template_id": ready.template["id"],
        "starts_on": STARTS_ON,
    } | fields


async def _audited(owner_engine: AsyncEngine, action: str, object_id: str) -> dict[str, Any]:
    async with owner_engine.connect() as connection:
        [after] = (
            await connection.execute(
                select(AuditEvent.after).where(
                    AuditEvent.action == action, AuditEvent.object_id == object_id
                )
            )
        ).scalars()
    assert isinstance(after, dict)
    return after


async def test_a_graduate_asks_and_the_manager_pairs_through_a_suggestion(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    ready = await setup(client, world)
    request = await ask(client, world.junior_account, ready)
    assert request["status"] == "open"
    assert request["employee"]["id"] == str(world.junior.id)
    [suggested] = request["suggestions"]
    assert suggested["mentor_id"] == ready.mentor["id"]
    assert {term["term"] for term in suggested["terms"]} >= {"proximity", "capacity"}
    await _audited(owner_engine, "mentor_request.created", request["id"])

    inbox = await client.get(f"{API}/me/notifications", headers=world.member_account.headers)
    [told] = [n for n in inbox.json()["items"] if n["kind"] == "mentor_request.created"]
    assert "Junior" in told["title"]
    assert told["subject"] == {
        "type": "mentor_request",
        "id": request["id"],
        "name": ready.program["name"],
    }

    twice = await client.post(
        REQUESTS, json={"program_id": ready.program["id"]}, headers=world.junior_account.headers
    )
    assert_problem(twice, 409)

    by_self = await client.post(
        f"{REQUESTS}/{request['id']}/decide",
        json=decision(ready),
        headers=world.junior_account.headers,
    )
    assert_problem(by_self, 403)
    decided = await client.post(
        f"{REQUESTS}/{request['id']}/decide",
        json=decision(ready, suggested["mentor_id"]),
        headers=world.member_account.headers,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "paired"
    pairing = await client.get(
        f"{API}/mentorships/{decided.json()['mentorship_id']}", headers=world.hr.headers
    )
    assert pairing.json()["mentee"]["id"] == str(world.junior.id)
    assert pairing.json()["mentor"]["id"] == ready.mentor["id"]
    after = await _audited(owner_engine, "mentor_request.paired", request["id"])
    assert after["suggested"] is True

    again = await client.post(
        f"{REQUESTS}/{request['id']}/decide",
        json=decision(ready),
        headers=world.member_account.headers,
    )
    assert_problem(again, 409)


async def test_deciding_keeps_the_pairing_rules(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """Capacity (409), a mentee paired already (409), an ineligible mentor (422 unless HR
    overrides with a reason); a failed decision leaves the request open."""
    ready = await setup(client, world, capacity=1)
    unqualified = await make_mentor(
        client, world.hr, ready.program["id"], world.peer.id, override="needed now"
    )
    await pair(client, world.hr, ready, world.member.id)
    request = await ask(client, world.junior_account, ready)
    url = f"{REQUESTS}/{request['id']}/decide"

    full = await client.post(url, json=decision(ready), headers=world.hr.headers)
    assert_problem(full, 409)
    failing = await client.post(
        url, json=decision(ready, unqualified["id"]), headers=world.member_account.headers | ZH
    )
    assert_problem(failing, 422, fields={"checks[0]"})
    assert (await client.get(f"{REQUESTS}/{request['id']}", headers=world.hr.headers)).json()[
        "status"
    ] == "open"
    overridden = await client.post(
        url,
        json=decision(ready, unqualified["id"], override_reason="the only one free"),
        headers=world.hr.headers,
    )
    assert overridden.status_code == 200, overridden.text

    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    second = await ask(client, engineer, ready)
    paired = await client.post(
        f"{REQUESTS}/{second['id']}/decide", json=decision(ready), headers=world.hr.headers
    )
    assert_problem(paired, 409)


async def test_declined_with_a_reason_then_asked_again(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    ready = await setup(client, world)
    request = await ask(client, world.junior_account, ready)
    url = f"{REQUESTS}/{request['id']}/decline"
    assert_problem(await client.post(url, json={}, headers=world.hr.headers), 422)
    assert_problem(
        await client.post(url, json={"reason": "no"}, headers=world.junior_account.headers), 403
    )
    declined = await client.post(url, json={"reason": "next quarter"}, headers=world.hr.headers)
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"
    assert declined.json()["decision_reason"] == "next quarter"
    assert (await _audited(owner_engine, "mentor_request.declined", request["id"]))["reason"] == (
        "next quarter"
    )
    assert_problem(await client.post(url, json={"reason": "x"}, headers=world.hr.headers), 409)
    await ask(client, world.junior_account, ready)


async def test_reach_of_requests(client: AsyncClient, world: World, runtime: Runtime) -> None:
    """The requester their own, the manager and department head theirs in reach, HR all;
    anyone else 404 (and an empty list); integration keys 403."""
    ready = await setup(client, world)
    request = await ask(client, world.junior_account, ready)
    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    for account in (world.junior_account, world.member_account, world.sales_head, world.hr):
        listed = await client.get(REQUESTS, headers=account.headers)
        assert [r["id"] for r in listed.json()["items"]] == [request["id"]]
        one = await client.get(f"{REQUESTS}/{request['id']}", headers=account.headers)
        assert one.status_code == 200, one.text
    assert (await client.get(REQUESTS, headers=engineer.headers)).json()["items"] == []
    hidden = await client.get(f"{REQUESTS}/{request['id']}", headers=engineer.headers)
    assert_problem(hidden, 404)
    refused = await client.post(
        f"{REQUESTS}/{request['id']}/decide", json=decision(ready), headers=engineer.headers
    )
    assert_problem(refused, 404)
    key = await client.post(
        f"{API}/api-keys", json={"name": "CRM", "scopes": ["org:read"]}, headers=world.hr.headers
    )
    bearer = {"Authorization": f"Bearer {key.json()['key']}"}
    assert_problem(await client.get(REQUESTS, headers=bearer), 403)


async def test_a_page_costs_the_same_statements_for_one_request_or_three(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    ready = await setup(client, world)
    await ask(client, world.junior_account, ready)
    with count_statements(runtime) as few:
        await client.get(REQUESTS, headers=world.sales_head.headers)
    for employee in (world.member, world.peer):
        account = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=employee.id)
        await ask(client, account, ready)
    with count_statements(runtime) as many:
        response = await client.get(REQUESTS, headers=world.sales_head.headers)
    assert len(response.json()["items"]) == 3
    assert many.count == few.count


@pytest.mark.commits
async def test_a_request_is_published(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    storage_dir: Path,
    configure: Configure,
    receiver: Receiver,
) -> None:
    subscribed = await client.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "event_types": ["mentor_request.created"]},
        headers=world.hr.headers,
    )
    assert subscribed.status_code == 201, subscribed.text
    receiver.secret = subscribed.json()["secret"]
    ready = await setup(client, world)
    request = await ask(client, world.junior_account, ready)
    await run_burst(runtime)
    assert delivered(receiver) == [
        (
            "mentor_request.created",
            {
                "mentor_request_id": request["id"],
                "program_id": ready.program["id"],
                "employee_id": str(world.junior.id),
                "suggested_mentor_ids": [ready.mentor["id"]],
            },
        )
    ]

"""The daily purge over HTTP and the worker's cron entry point: a departed employee's
identity anonymised and evaluation records deleted once their rule's period after the exit
is over, each batch audited; the dry run shows the same and writes nothing; a legal hold
stops every purge of the person until it is released."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.privacy import holds_api, retention_jobs
from tests.conftest import frozen_clock
from tests.factories import make_org
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["world"]
API = "/api/v1"
NOW = datetime(2027, 3, 1, 4, 0, tzinfo=UTC)
"""When the purge runs: the peer left more than three years before, the engineer three
months before."""


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


async def _departed(client: AsyncClient, world: World) -> None:
    """Peer left on 30 June 2021, Engineer on 30 November 2026; both were rated."""
    for employee, left_on in ((world.peer, "2021-06-30"), (world.engineer, "2026-11-30")):
        path = f"{API}/employees/{employee.id}"
        rating = {"period": "2020", "letter": "A"}
        await _ok(
            await client.post(f"{path}/performance-ratings", json=rating, headers=world.hr.headers),
            201,
        )
        exit_event = {"kind": "exit", "effective_date": left_on}
        await _ok(
            await client.post(f"{path}/events", json=exit_event, headers=world.hr.headers), 201
        )


async def _rules(client: AsyncClient, world: World) -> dict[str, str]:
    bodies = [
        {
            "subject_kind": "departed_employee_identity",
            "period": {"amount": 3, "unit": "years"},
            "action": "anonymise",
        },
        {
            "subject_kind": "departed_employee_evaluations",
            "period": {"amount": 24, "unit": "months"},
            "action": "delete",
        },
    ]
    ids = {}
    for body in bodies:
        rule = await _ok(
            await client.post(f"{API}/retention-rules", json=body, headers=world.hr.headers), 201
        )
        ids[body["subject_kind"]] = rule["id"]
    return ids


async def _dry_run(client: AsyncClient, world: World, **body: Any) -> dict[str, Any]:
    answer = await client.post(
        f"{API}/retention-rules/dry-run", json=body, headers=world.hr.headers
    )
    return {rule["subject_kind"]: rule for rule in (await _ok(answer))["rules"]}


async def _employee(client: AsyncClient, world: World, employee_id: Any) -> Any:
    return await _ok(await client.get(f"{API}/employees/{employee_id}", headers=world.hr.headers))


async def _ratings(client: AsyncClient, world: World, employee_id: Any) -> list[Any]:
    path = f"{API}/employees/{employee_id}/performance-ratings"
    return list((await _ok(await client.get(path, headers=world.hr.headers)))["items"])


async def _audit_count(owner_engine: AsyncEngine, world: World) -> int:
    async with owner_engine.connect() as connection:
        count = await connection.scalar(
            select(func.count()).where(AuditEvent.org_id == world.hr.org_id)
        )
    return int(count or 0)


async def _purge(runtime: Runtime) -> int:
    async with frozen_clock(runtime, NOW):
        return await retention_jobs.apply_retention({"runtime": runtime})


async def test_a_departed_employee_is_anonymised_and_their_ratings_deleted(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    await _departed(client, world)
    rules = await _rules(client, world)
    before = await _audit_count(owner_engine, world)

    async with frozen_clock(runtime, NOW):
        dry = await _dry_run(client, world)
    assert {kind: rule["count"] for kind, rule in dry.items()} == {
        "departed_employee_identity": 1,
        "departed_employee_evaluations": 1,
    }
    [item] = dry["departed_employee_identity"]["sample"]["items"]
    assert item["employee"] == {"id": str(world.peer.id), "name": "Peer"}
    assert item["event_on"] == "2021-06-30"
    assert dry["departed_employee_identity"]["cutoff"].startswith("2024-03-01")
    assert await _audit_count(owner_engine, world) == before, "the dry run writes nothing"
    assert (await _employee(client, world, world.peer.id))["full_name"] == "Peer"

    assert await _purge(runtime) == 2

    peer = await _employee(client, world, world.peer.id)
    assert peer["full_name"] == "#" + world.peer.id.hex[-8:]
    assert peer["employee_number"] == world.peer.id.hex
    assert (peer["email"], peer["phone"]) == (None, None)
    assert peer["department_id"] == str(world.sales.id), "the record still counts where it was"
    assert peer["status"] == "exited"
    assert await _ratings(client, world, world.peer.id) == []
    engineer = await _employee(client, world, world.engineer.id)
    assert engineer["full_name"] == "Engineer"
    assert engineer["email"] is not None
    assert len(await _ratings(client, world, world.engineer.id)) == 1, "left three months ago"

    for kind, rule_id in rules.items():
        audit = await client.get(
            f"{API}/audit-events", params={"object_id": rule_id}, headers=world.hr.headers
        )
        [event] = [e for e in audit.json()["items"] if e["action"] == "retention.purged"]
        assert event["actor_kind"] == "system"
        assert event["after"]["subject_kind"] == kind
        assert (event["after"]["count"], event["after"]["ids"]) == (1, [str(world.peer.id)])

    audited = await _audit_count(owner_engine, world)
    assert await _purge(runtime) == 0, "nothing is purged twice"
    assert await _audit_count(owner_engine, world) == audited
    async with frozen_clock(runtime, NOW):
        after = await _dry_run(client, world)
    assert {rule["count"] for rule in after.values()} == {0}


async def test_a_legal_hold_stops_every_purge_of_the_person_until_released(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _departed(client, world)
    await _rules(client, world)
    hold = await _ok(
        await client.post(
            f"{API}/legal-holds",
            json={
                "employee_id": str(world.peer.id),
                "reason": "Labour arbitration pending",
                "case_reference": "ARB-2027-7",
            },
            headers=world.hr.headers,
        ),
        201,
    )
    assert hold["employee"] == {"id": str(world.peer.id), "name": "Peer"}
    assert hold["placed_by"] == str(world.hr.user_id)
    assert hold["released_at"] is None
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        assert await holds_api.is_on_hold(session, world.hr.org_id, world.peer.id) == (
            "Labour arbitration pending"
        )
        assert await holds_api.is_on_hold(session, world.hr.org_id, world.engineer.id) is None

    async with frozen_clock(runtime, NOW):
        dry = await _dry_run(client, world)
    assert {rule["count"] for rule in dry.values()} == {0}, "the dry run spares the held too"
    assert await _purge(runtime) == 0
    assert (await _employee(client, world, world.peer.id))["full_name"] == "Peer"
    assert len(await _ratings(client, world, world.peer.id)) == 1

    listed = await _ok(
        await client.get(
            f"{API}/legal-holds", params={"case_reference": "ARB-2027-7"}, headers=world.hr.headers
        )
    )
    assert [h["id"] for h in listed["items"]] == [hold["id"]]
    await _ok(await client.delete(f"{API}/legal-holds/{hold['id']}", headers=world.hr.headers), 204)
    again = await client.delete(f"{API}/legal-holds/{hold['id']}", headers=world.hr.headers)
    assert_problem(again, 409, kind="conflict")
    released = await _ok(
        await client.get(f"{API}/legal-holds", params={"active": False}, headers=world.hr.headers)
    )
    [record] = released["items"]
    assert record["released_by_user"]["id"] == str(world.hr.user_id)
    active = await client.get(
        f"{API}/legal-holds", params={"active": True}, headers=world.hr.headers
    )
    assert active.json()["items"] == []

    assert await _purge(runtime) == 2, "released: the expired data goes"
    assert (await _employee(client, world, world.peer.id))["full_name"].startswith("#")
    assert await _ratings(client, world, world.peer.id) == []


async def test_bad_holds_are_refused(client: AsyncClient, runtime: Runtime, world: World) -> None:
    holds = f"{API}/legal-holds"
    other = await make_org(runtime)
    for body, fields in (
        ({"employee_id": str(world.peer.id), "reason": "   "}, {"body.reason"}),
        ({"employee_id": str(world.peer.id)}, {"body.reason"}),
        ({"employee_id": "nope", "reason": "Audit"}, {"body.employee_id"}),
    ):
        assert_problem(
            await client.post(holds, json=body, headers=world.hr.headers), 422, fields=fields
        )
    elsewhere = await client.post(
        holds, json={"employee_id": str(world.peer.id), "reason": "Audit"}, headers=other.headers
    )
    assert_problem(elsewhere, 422, fields={"body.employee_id"})
    placed = await _ok(
        await client.post(
            holds,
            json={"employee_id": str(world.peer.id), "reason": "Audit"},
            headers=world.hr.headers,
        ),
        201,
    )
    assert (await client.get(holds, headers=other.headers)).json()["items"] == []
    assert_problem(await client.delete(f"{holds}/{placed['id']}", headers=other.headers), 404)
    for account in (world.member_account, world.sales_head):
        assert_problem(await client.get(holds, headers=account.headers), 403)
        body = {"employee_id": str(world.junior.id), "reason": "Mine"}
        assert_problem(await client.post(holds, json=body, headers=account.headers), 403)
        assert_problem(await client.delete(f"{holds}/{placed['id']}", headers=account.headers), 403)
    audit = await client.get(
        f"{API}/audit-events", params={"object_id": placed["id"]}, headers=world.hr.headers
    )
    assert [e["action"] for e in audit.json()["items"]] == ["legal_hold.placed"]

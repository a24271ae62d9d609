"""A contract ending before the employee's development program: flagged on the expiring
list, and one task for HR when the run starts (through the worker)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.contracts import conflicts, jobs
from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.i18n import format_date
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import World, make_contract
from tests.factories import Account, make_user

API = "/api/v1"
TODAY = date(2027, 3, 1)
PROGRAM_ENDS = TODAY + timedelta(days=39)


async def _post(client: AsyncClient, account: Account, path: str, body: Any = None) -> Any:
    response = await client.post(f"{API}{path}", json=body, headers=account.headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _pool_with(
    client: AsyncClient, hr: Account, employees: list[uuid.UUID], approver: Account
) -> Any:
    """HR nominates the employees and another HR admin approves them (nobody approves their
    own request)."""
    pool = await _post(client, hr, "/talent-pools", {"name": "Reserve chiefs", "rules": []})
    for employee_id in employees:
        member = await _post(
            client,
            hr,
            f"/talent-pools/{pool['id']}/members",
            {"employee_id": str(employee_id), "reason": "strong results"},
        )
        approved = await client.patch(
            f"{API}/talent-pools/{pool['id']}/members/{member['id']}",
            json={"status": "active", "reason": "approved"},
            headers=approver.headers,
        )
        assert approved.status_code == 200, approved.text
    return pool


async def _start_program(
    client: AsyncClient, hr: Account, employees: list[uuid.UUID], approver: Account
) -> Any:
    """A 40-day, one-stage program starting today: it ends on PROGRAM_ENDS."""
    pool = await _pool_with(client, hr, employees, approver)
    stage = {"key": "training", "name": "Training", "kind": "training", "duration_days": 40}
    template = await _post(client, hr, "/program-templates", {"name": "T", "stages": [stage]})
    run = await _post(
        client,
        hr,
        "/programs",
        {
            "name": "2027 H1 reserve chiefs",
            "template_id": template["id"],
            "pool_id": pool["id"],
            "starts_on": TODAY.isoformat(),
        },
    )
    body = {"employee_ids": [str(e) for e in employees]}
    await _post(client, hr, f"/programs/{run['id']}/participants", body)
    await _post(client, hr, f"/programs/{run['id']}/start")
    return pool, run


async def _conflict_tasks(client: AsyncClient, hr: Account) -> list[dict[str, Any]]:
    response = await client.get(
        f"{API}/tasks", params={"kind": conflicts.CONFLICT_TASK_KIND}, headers=hr.headers
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def _flags(client: AsyncClient, hr: Account) -> dict[str, list[dict[str, Any]]]:
    response = await client.get(f"{API}/contracts/expiring", headers=hr.headers)
    assert response.status_code == 200, response.text
    return {i["contract"]["employee_id"]: i["program_conflicts"] for i in response.json()["items"]}


async def _remove_from_pool(
    client: AsyncClient, hr: Account, pool: dict[str, Any], employee_id: uuid.UUID
) -> None:
    members = await client.get(f"{API}/talent-pools/{pool['id']}/members", headers=hr.headers)
    [member] = [m for m in members.json()["items"] if m["employee"]["id"] == str(employee_id)]
    removed = await client.patch(
        f"{API}/talent-pools/{pool['id']}/members/{member['id']}",
        json={"status": "removed", "reason": "moved on"},
        headers=hr.headers,
    )
    assert removed.status_code == 200, removed.text


@pytest.mark.commits
async def test_a_contract_ending_mid_program_is_flagged_once_until_extended(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    second_hr = await make_user(runtime, hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    short = await make_contract(client, hr, world.member.id, end=TODAY + timedelta(days=20))
    await make_contract(client, hr, world.engineer.id, end=TODAY + timedelta(days=60))
    await make_contract(client, hr, world.peer.id, end=TODAY + timedelta(days=20))
    pool, run = await _start_program(
        client, hr, [world.member.id, world.engineer.id, world.peer.id], second_hr
    )
    await run_burst(runtime)
    [peer_task] = [t for t in await _conflict_tasks(client, hr) if "Peer" in t["title"]]
    assert peer_task["status"] == "open"
    await _remove_from_pool(client, hr, pool, world.peer.id)
    await run_burst(runtime)
    [peer_task] = [t for t in await _conflict_tasks(client, hr) if "Peer" in t["title"]]
    assert peer_task["status"] == "cancelled", "withdrawal settles the conflict"

    flags = await _flags(client, hr)
    assert flags[str(world.member.id)] == [
        {
            "run": {"id": run["id"], "name": run["name"]},
            "participant_id": flags[str(world.member.id)][0]["participant_id"],
            "program_ends_on": PROGRAM_ENDS.isoformat(),
        }
    ]
    assert flags[str(world.engineer.id)] == [], "the program ends before this contract"
    assert flags[str(world.peer.id)] == [], "a withdrawn participant is no conflict"

    await jobs.watch_expiry({"runtime": runtime})
    member_tasks = [
        t
        for t in await _conflict_tasks(client, hr)
        if t["subject"]["id"] == flags[str(world.member.id)][0]["participant_id"]
    ]
    [task] = member_tasks
    assert (task["status"], task["assignee_employee_id"]) == ("open", str(world.boss.id))
    assert task["subject"]["type"] == "program_participant"

    extended = await client.post(
        f"{API}/contracts/{short['id']}/extend",
        json={"end_date": (PROGRAM_ENDS + timedelta(days=10)).isoformat()},
        headers=hr.headers,
    )
    assert extended.status_code == 200, extended.text
    assert (await _flags(client, hr))[str(world.member.id)] == []
    statuses = {t["id"]: t["status"] for t in await _conflict_tasks(client, hr)}
    assert statuses[task["id"]] == "cancelled", "the conflict is settled"


@pytest.mark.commits
async def test_a_new_contract_shorter_than_the_program_asks_hr(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    second_hr = await make_user(runtime, hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    await _start_program(client, hr, [world.member.id], second_hr)
    await run_burst(runtime)
    assert await _conflict_tasks(client, hr) == [], "no contract, nothing to compare"
    await make_contract(client, hr, world.member.id, end=TODAY + timedelta(days=10))
    [task] = await _conflict_tasks(client, hr)
    assert format_date(PROGRAM_ENDS, "en") in task["title"]
    assert task["due_at"].startswith((TODAY + timedelta(days=10)).isoformat())


@pytest.mark.commits
async def test_an_appointment_graduating_the_participant_settles_the_conflict(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    second_hr = await make_user(runtime, hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    await make_contract(client, hr, world.member.id, end=TODAY + timedelta(days=20))
    await _start_program(client, hr, [world.member.id], second_hr)
    await run_burst(runtime)
    [task] = await _conflict_tasks(client, hr)
    assert task["status"] == "open"
    vacancy = await _post(client, hr, "/vacancies", {"position_id": str(world.clerk.id)})
    await _post(
        client,
        hr,
        f"/vacancies/{vacancy['id']}/appoint",
        {
            "employee_id": str(world.member.id),
            "effective_date": TODAY.isoformat(),
            "reason": "Best candidate",
            "override_reason": "Readiness reassessed",
        },
    )
    await run_burst(runtime)
    [task] = await _conflict_tasks(client, hr)
    assert task["status"] == "cancelled", "the graduated program outlives nothing"

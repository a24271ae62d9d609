"""The loop after an appointment, over HTTP and the real worker: the appointee's other
memberships end (active ones graduated, pending nominations rejected), their programs
graduate with their open work cancelled, all with the reason and as the appointing HR admin;
they are told; a future-dated appointment keeps the current post until its date, its amendment
carries the new pay band, and they are told again when it takes effect."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.people import jobs as people_jobs
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.contracts.conftest import make_contract, storage_dir
from tests.factories import Account, make_user
from tests.people.conftest import world
from tests.programs.test_programs import Setup, _participant, setup

__all__ = ["setup", "storage_dir", "world"]
API = "/api/v1"
REASON = "Best candidate for the clerks"


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _actions(
    client: AsyncClient, hr: Account, object_id: str, action: str
) -> list[tuple[str | None, Any]]:
    """Who did `action` on the object, and why, from the audit log."""
    audit = await _ok(
        await client.get(f"{API}/audit-events", params={"object_id": object_id}, headers=hr.headers)
    )
    return [(e["actor_id"], e["after"]["reason"]) for e in audit["items"] if e["action"] == action]


async def _inbox(client: AsyncClient, headers: dict[str, str]) -> list[Any]:
    """The appointee's appointment notices (the nomination's notices aside)."""
    page = await _ok(await client.get(f"{API}/me/notifications", headers=headers))
    return [n for n in page["items"] if n["kind"].startswith("talent.appoint")]


@pytest.mark.commits
async def test_an_appointment_closes_the_loop_and_takes_effect_on_its_date(
    client: AsyncClient, runtime: Runtime, setup: Setup, storage_dir: Path
) -> None:
    world = setup.world
    hr, member = world.hr, world.member_account
    en = {"Accept-Language": "en"}
    await make_user(runtime, hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    contract = await make_contract(client, hr, world.member.id)
    run = await setup.run(client, [world.member.id, world.engineer.id])
    await _ok(await client.post(f"{API}/programs/{run['id']}/start", headers=hr.headers))
    open_work = await _ok(
        await client.get(
            f"{API}/tasks",
            params={"assignee_employee_id": str(world.member.id), "status": "open"},
            headers=hr.headers,
        )
    )
    assert open_work["items"], "the member has program work open"
    other_pool = await _ok(
        await client.post(f"{API}/talent-pools", json={"name": "Experts"}, headers=hr.headers), 201
    )
    nominated = await _ok(
        await client.post(
            f"{API}/talent-pools/{other_pool['id']}/members",
            json={"employee_id": str(world.member.id), "reason": "deep knowledge"},
            headers=hr.headers,
        ),
        201,
    )
    vacancy = await _ok(
        await client.post(
            f"{API}/vacancies", json={"position_id": str(world.clerk.id)}, headers=hr.headers
        ),
        201,
    )

    filled = await _ok(
        await client.post(
            f"{API}/vacancies/{vacancy['id']}/appoint",
            json={
                "employee_id": str(world.member.id),
                "effective_date": "2027-01-01",
                "reason": REASON,
                "override_reason": "No pool for clerks",
                "manager_id": str(world.boss.id),
                "pay_terms_ref": "BAND-6",
            },
            headers=hr.headers,
        )
    )

    assert filled["status"] == "filled"
    graduated = await _ok(
        await client.get(
            f"{API}/talent-pools/{setup.pool['id']}/members",
            params={"status": "graduated"},
            headers=hr.headers,
        )
    )
    assert [(m["employee"]["name"], m["ended_reason"]) for m in graduated["items"]] == [
        ("Member", REASON)
    ], "the membership ends with its reason; the row is kept"
    rejected = await _ok(
        await client.get(
            f"{API}/talent-pools/{other_pool['id']}/members",
            params={"status": "rejected"},
            headers=hr.headers,
        )
    )
    assert [
        (m["id"], m["ended_reason"], m["decision_reason"], m["decided_by"])
        for m in rejected["items"]
    ] == [(nominated["id"], REASON, REASON, str(hr.user_id))], (
        "a pending nomination is rejected by the appointment, not removed"
    )
    assert rejected["items"][0]["decided_by_user"]["id"] == str(hr.user_id)
    for ended, status in ((graduated["items"][0], "graduated"), (nominated, "rejected")):
        history = await _ok(
            await client.get(
                f"{API}/talent-pools/{ended['pool_id']}/members/{ended['id']}/history",
                headers=hr.headers,
            )
        )
        assert [(c["status"], c["source"], c["reason"]) for c in history["items"]][-1] == (
            status,
            "hr",
            REASON,
        ), "the member's history says how it ended"
    [decision_task] = (
        await _ok(
            await client.get(
                f"{API}/tasks", params={"kind": "approvals.decision"}, headers=hr.headers
            )
        )
    )["items"]
    assert decision_task["status"] == "cancelled", (
        "nothing is left for HR to decide on the rejected nomination"
    )
    approval = await _ok(
        await client.get(f"{API}/approvals/{decision_task['subject']['id']}", headers=hr.headers)
    )
    assert (approval["subject_id"], approval["status"]) == (nominated["id"], "withdrawn")
    assert await _actions(client, hr, decision_task["id"], "task.cancelled") == [
        (str(hr.user_id), "withdrawn")
    ]
    participant = await _participant(client, hr, run["id"], "Member")
    assert (
        participant["status"],
        participant["ended_reason"],
        participant["withdrawn_reason"],
    ) == ("graduated", REASON, None)
    assert participant["ended_at"] is not None
    assert await _actions(client, hr, participant["id"], "program_participant.graduated") == [
        (str(hr.user_id), REASON)
    ], "audited as the appointing HR admin"
    assert await _actions(client, hr, participant["id"], "program_participant.withdrawn") == []
    assert (await _participant(client, hr, run["id"], "Engineer"))["status"] == "active"
    for task in open_work["items"]:
        after = await _ok(await client.get(f"{API}/tasks/{task['id']}", headers=hr.headers))
        assert after["status"] == "cancelled"
        assert await _actions(client, hr, task["id"], "task.cancelled") == [
            (str(hr.user_id), REASON)
        ]
    audit = await _ok(
        await client.get(
            f"{API}/audit-events", params={"object_id": vacancy["id"]}, headers=hr.headers
        )
    )
    [fill] = [e for e in audit["items"] if e["action"] == "vacancy.filled"]
    assert (fill["after"]["memberships_ended"], fill["after"]["programs_graduated"]) == (2, 1)
    [told] = await _inbox(client, member.headers | en)
    assert (told["kind"], told["title"]) == ("talent.appointed", "You are appointed Sales clerk")
    assert "takes effect on 1 Jan 2027" in told["body"]

    employee_url = f"{API}/employees/{world.member.id}"
    before = await _ok(await client.get(employee_url, headers=hr.headers))
    assert (before["position_id"], before["manager_id"]) == (None, str(world.lead.id))
    [pending] = before["pending_changes"]
    assert (pending["effective_date"], pending["position"]["name"]) == ("2027-01-01", "Sales clerk")
    await run_burst(runtime)
    [amendment] = (
        await _ok(
            await client.get(f"{API}/contracts/{contract['id']}/amendments", headers=hr.headers)
        )
    )["items"]
    changes = {c["field"]: (c["before"], c["after"]) for c in amendment["current"]["changes"]}
    assert changes["pay_terms_ref"] == ("BAND-5", "BAND-6"), "the new pay band"
    assert changes["position"] == (None, "Sales clerk")

    async with frozen_clock(runtime, datetime(2026, 12, 31, 16, 0, tzinfo=UTC)):  # 1 Jan, CST
        assert await people_jobs.apply_due_changes({"runtime": runtime}) == 1
        await run_burst(runtime)
    after = await _ok(await client.get(employee_url, headers=hr.headers))
    assert (after["position_id"], after["manager_id"], after["pending_changes"]) == (
        str(world.clerk.id),
        str(world.boss.id),
        [],
    )
    [in_effect] = [
        m
        for m in await _inbox(client, member.headers | en)
        if m["kind"] == "talent.appointment_in_effect"
    ]
    assert in_effect["title"] == "Your appointment as Sales clerk is in effect"
    assert date(2027, 1, 1).strftime("%-d %b %Y") in in_effect["body"]


@pytest.mark.commits
async def test_a_future_exit_ends_memberships_and_programs_on_its_date(
    client: AsyncClient, runtime: Runtime, setup: Setup
) -> None:
    world = setup.world
    hr = world.hr
    run = await setup.run(client, [world.engineer.id])
    await _ok(await client.post(f"{API}/programs/{run['id']}/start", headers=hr.headers))
    leaves_on = date.today() + timedelta(days=30)
    exit_event = {"kind": "exit", "effective_date": leaves_on.isoformat()}
    await _ok(
        await client.post(
            f"{API}/employees/{world.engineer.id}/events", json=exit_event, headers=hr.headers
        ),
        201,
    )
    await run_burst(runtime)

    async def states() -> tuple[str, str, str]:
        members = await _ok(
            await client.get(f"{API}/talent-pools/{setup.pool['id']}/members", headers=hr.headers)
        )
        [member] = [m for m in members["items"] if m["employee"]["name"] == "Engineer"]
        employee = await _ok(
            await client.get(f"{API}/employees/{world.engineer.id}", headers=hr.headers)
        )
        participant = await _participant(client, hr, run["id"], "Engineer")
        return employee["status"], member["status"], participant["status"]

    assert await states() == ("active", "active", "active"), "until the exit's date"
    midnight = datetime.combine(leaves_on, time(), tzinfo=ZoneInfo("Asia/Shanghai"))
    async with frozen_clock(runtime, midnight):
        assert await people_jobs.apply_due_changes({"runtime": runtime}) == 1
        await run_burst(runtime)
    assert await states() == ("exited", "left", "withdrawn")

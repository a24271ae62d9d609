"""Moves take effect on their effective date, in the organization's time zone: dated later,
the record keeps the current post and manager and shows the pending change until the hourly
job applies it on that date."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.people import jobs
from tests.factories import make_org
from tests.people.conftest import World
from tests.problems import assert_problem
from tests.workflow.conftest import clock

__all__ = ["clock"]


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.mark.commits
async def test_a_future_promotion_waits_for_its_date_and_then_moves_post_and_manager_chain(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    member_url = f"/api/v1/employees/{world.member.id}"
    promotion = {
        "kind": "promotion",
        "effective_date": "2027-04-01",
        "department_id": str(world.sales.id),
        "position_id": str(world.chief.id),
        "manager_id": str(world.boss.id),
        "pay_terms_ref": "M2",
    }
    event = await _ok(
        await client.post(f"{member_url}/events", json=promotion, headers=hr.headers), 201
    )
    assert (event["applied_at"], event["manager_id"], event["pay_terms_ref"]) == (
        None,
        str(world.boss.id),
        "M2",
    )

    named = {
        "department": {"id": str(world.sales.id), "name": "Sales"},
        "position": {"id": str(world.chief.id), "name": "Sales chief"},
        "manager": {"id": str(world.boss.id), "name": "Boss"},
    }
    assert {key: event[key] for key in named} == named, "the event names what it moves to"
    pending = {
        "event_id": event["id"],
        "kind": "promotion",
        "effective_date": "2027-04-01",
        **named,
    }
    before = await _ok(await client.get(member_url, headers=hr.headers))
    assert (before["department_id"], before["position_id"], before["manager_id"]) == (
        str(world.sales_east.id),
        None,
        str(world.lead.id),
    ), "the current post until the date"
    assert before["pending_changes"] == [pending]
    profile = await _ok(await client.get(f"{member_url}/profile", headers=hr.headers))
    assert profile["current_post"]["department"]["id"] == str(world.sales_east.id)
    assert profile["current_post"]["pending_changes"] == [pending]
    assert profile["basics"]["manager"]["name"] == "Lead"
    assert profile["management_experience"] == 0, "a pending management post does not count"
    junior_url = f"/api/v1/employees/{world.junior.id}"
    lead = world.lead_account.headers
    assert (await client.get(member_url, headers=lead)).status_code == 200
    assert (await client.get(junior_url, headers=lead)).status_code == 200

    assert await jobs.apply_due_changes({"runtime": runtime}) == 0, "31 March in Shanghai"
    clock.advance(timedelta(days=30, hours=14))  # 2027-04-01 00:00 in Asia/Shanghai
    assert await jobs.apply_due_changes({"runtime": runtime}) == 1
    assert await jobs.apply_due_changes({"runtime": runtime}) == 0, "applied once"

    after = await _ok(await client.get(member_url, headers=hr.headers))
    assert (after["department_id"], after["position_id"], after["manager_id"]) == (
        str(world.sales.id),
        str(world.chief.id),
        str(world.boss.id),
    )
    assert after["pending_changes"] == []
    assert (await client.get(member_url, headers=lead)).status_code == 404
    assert (await client.get(junior_url, headers=lead)).status_code == 404, (
        "the member's reports moved with them under the new manager"
    )
    reports = await _ok(
        await client.get(
            "/api/v1/employees", params={"manager_id": str(world.boss.id)}, headers=hr.headers
        )
    )
    assert "Member" in [e["full_name"] for e in reports["items"]]
    events = await _ok(await client.get(f"{member_url}/events", headers=hr.headers))
    [applied] = [e for e in events["items"] if e["id"] == event["id"]]
    assert {key: applied[key] for key in named} == named, "the history names them too"
    profile = await _ok(await client.get(f"{member_url}/profile", headers=hr.headers))
    [in_profile] = [e for e in profile["employment_history"] if e["id"] == event["id"]]
    assert {key: in_profile[key] for key in named} == named
    assert datetime.fromisoformat(applied["applied_at"]) == clock.now()
    audit = await _ok(
        await client.get(
            "/api/v1/audit-events", params={"object_id": event["id"]}, headers=hr.headers
        )
    )
    assert sorted((e["action"], e["actor_kind"]) for e in audit["items"]) == [
        ("employment_event.applied", "system"),
        ("employment_event.created", "user"),
    ]
    profile = await _ok(await client.get(f"{member_url}/profile", headers=hr.headers))
    assert profile["current_post"]["pending_changes"] == []
    assert profile["management_experience"] == 1


async def test_a_move_dated_today_or_earlier_applies_at_once(
    client: AsyncClient, world: World, clock: FrozenClock
) -> None:
    url = f"/api/v1/employees/{world.peer.id}"
    transfer = {
        "kind": "transfer",
        "effective_date": "2027-03-01",
        "department_id": str(world.engineering.id),
        "manager_id": str(world.engineer.id),
    }
    event = await _ok(
        await client.post(f"{url}/events", json=transfer, headers=world.hr.headers), 201
    )
    assert datetime.fromisoformat(event["applied_at"]) == clock.now()
    peer = await _ok(await client.get(url, headers=world.hr.headers))
    assert (peer["department_id"], peer["manager_id"], peer["pending_changes"]) == (
        str(world.engineering.id),
        str(world.engineer.id),
        [],
    )


async def test_a_move_naming_a_bad_manager_is_refused(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    url = f"/api/v1/employees/{world.member.id}/events"
    other_org = await make_org(runtime)
    future = {
        "kind": "promotion",
        "effective_date": "2027-06-01",
        "position_id": str(world.chief.id),
    }
    for manager_id in (world.junior.id, world.member.id, other_org.org_id):
        response = await client.post(
            url,
            json=future | {"manager_id": str(manager_id)},
            headers=world.hr.headers | {"Accept-Language": "zh-CN"},
        )
        body = assert_problem(response, 422, fields={"manager_id"})
        assert body["detail"].isascii() is False, "in the reader's language"
    exit_with_manager = {
        "kind": "exit",
        "effective_date": "2027-06-01",
        "manager_id": str(world.boss.id),
    }
    response = await client.post(url, json=exit_with_manager, headers=world.hr.headers)
    assert_problem(response, 422)
    events = await _ok(await client.get(url, headers=world.hr.headers))
    assert [e["kind"] for e in events["items"]] == [], "nothing was written"


@pytest.mark.commits
async def test_a_move_of_someone_who_left_before_its_date_lapses(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    """Recorded for 1 April, the employee exits today: on the date nothing moves and nobody
    is told; the event is marked and audited as lapsed, and the job counts nothing applied."""
    url = f"/api/v1/employees/{world.peer.id}"
    promotion = {
        "kind": "promotion",
        "effective_date": "2027-04-01",
        "position_id": str(world.chief.id),
    }
    event = await _ok(
        await client.post(f"{url}/events", json=promotion, headers=world.hr.headers), 201
    )
    today = clock.now().astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    exit_now = {"kind": "exit", "effective_date": today}
    await _ok(await client.post(f"{url}/events", json=exit_now, headers=world.hr.headers), 201)
    clock.advance(timedelta(days=120))
    assert await jobs.apply_due_changes({"runtime": runtime}) == 0
    peer = await _ok(await client.get(url, headers=world.hr.headers))
    assert (peer["status"], peer["position_id"], peer["pending_changes"]) == (
        "exited",
        str(world.peer.position_id) if world.peer.position_id else None,
        [],
    )
    audit = await _ok(
        await client.get(
            "/api/v1/audit-events", params={"object_id": event["id"]}, headers=world.hr.headers
        )
    )
    assert "employment_event.lapsed" in [e["action"] for e in audit["items"]]

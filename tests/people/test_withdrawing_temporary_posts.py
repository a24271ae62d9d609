"""Withdrawing a recorded temporary post before its first day: kept in the history with its
reason, never applied, gone from the pending changes; refused once begun, twice, without a
reason, and for what is not the caller's to withdraw."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.people import jobs as people_jobs
from tests.factories import make_org
from tests.people.conftest import World
from tests.problems import assert_problem
from tests.workflow.conftest import clock

__all__ = ["clock"]

API = "/api/v1"


async def _record(client: AsyncClient, world: World, **fields: Any) -> dict[str, Any]:
    body = {
        "kind": "temporary_post",
        "effective_date": "2027-03-08",
        "end_date": "2027-05-31",
        "title": "Assistant to the chief",
        "department_id": str(world.engineering.id),
        "allowance": "600.00",
    } | fields
    response = await client.post(
        f"{API}/employees/{world.member.id}/events", json=body, headers=world.hr.headers
    )
    assert response.status_code == 201, response.text
    recorded: dict[str, Any] = response.json()
    return recorded


async def test_a_post_not_begun_is_withdrawn_and_never_applies(
    client: AsyncClient, world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    post = await _record(client, world)
    url = f"{API}/employees/{world.member.id}/events/{post['id']}/withdraw"
    reason = {"reason": "The host department was merged"}

    for body in ({}, {"reason": "  "}):
        missing = await client.post(url, json=body, headers=world.hr.headers)
        assert_problem(missing, 422, fields={"body.reason"})
    by_manager = await client.post(url, json=reason, headers=world.lead_account.headers)
    assert_problem(by_manager, 403)
    other_employee = f"{API}/employees/{world.peer.id}/events/{post['id']}/withdraw"
    assert_problem(await client.post(other_employee, json=reason, headers=world.hr.headers), 404)
    stranger = await make_org(runtime)
    assert_problem(await client.post(url, json=reason, headers=stranger.headers), 404)
    transfer = await _record(
        client, world, kind="transfer", end_date=None, title=None, allowance=None
    )
    not_a_post = f"{API}/employees/{world.member.id}/events/{transfer['id']}/withdraw"
    assert_problem(await client.post(not_a_post, json=reason, headers=world.hr.headers), 404)

    withdrawn = await client.post(url, json=reason, headers=world.hr.headers)
    assert withdrawn.status_code == 200, withdrawn.text
    event = withdrawn.json()
    assert (event["withdrawal_reason"], event["applied_at"]) == (reason["reason"], None)
    assert event["withdrawn_at"] is not None
    twice = await client.post(
        url, json=reason, headers=world.hr.headers | {"Accept-Language": "zh-CN"}
    )
    assert assert_problem(twice, 409)["detail"] == "该临时任职已撤回"

    detail = await client.get(f"{API}/employees/{world.member.id}", headers=world.hr.headers)
    pending = [change["event_id"] for change in detail.json()["pending_changes"]]
    assert pending == [transfer["id"]], "the withdrawn post is no longer ahead"
    profile = await client.get(
        f"{API}/employees/{world.member.id}/profile", headers=world.hr.headers
    )
    history = {e["id"]: e for e in profile.json()["employment_history"]}
    assert history[post["id"]]["withdrawal_reason"] == reason["reason"]
    assert [c["event_id"] for c in profile.json()["current_post"]["pending_changes"]] == [
        transfer["id"]
    ]

    clock.advance(timedelta(days=8))  # 9 March: the post's first day has passed
    await people_jobs.apply_due_changes({"runtime": runtime})
    events = await client.get(f"{API}/employees/{world.member.id}/events", headers=world.hr.headers)
    by_id = {e["id"]: e for e in events.json()["items"]}
    assert by_id[post["id"]]["applied_at"] is None, "a withdrawn post never applies"
    assert by_id[transfer["id"]]["applied_at"] is not None
    audit = await client.get(
        f"{API}/audit-events",
        params={"object_type": "employment_event", "object_id": post["id"]},
        headers=world.hr.headers,
    )
    [entry] = [e for e in audit.json()["items"] if e["action"] == "employment_event.withdrawn"]
    assert entry["after"]["reason"] == reason["reason"]

    begun = await _record(client, world, effective_date="2027-03-09")
    begun_url = f"{API}/employees/{world.member.id}/events/{begun['id']}/withdraw"
    refused = await client.post(begun_url, json=reason, headers=world.hr.headers)
    assert_problem(refused, 409, detail="end it early instead")

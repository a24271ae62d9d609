"""A peer nomination's decision carries its reason: required to reject on `/decision` (422 in
the reader's language, nothing decided), kept as the decision's comment in the approval's
history, and sent in the participant's notification (and the approved nominee's); a
rejected nominee is never told."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.factories import Account
from tests.problems import assert_problem
from tests.reviews.conftest import API, Setup, post_ok
from tests.reviews.test_nomination_approvals import _nominate, _nomination_status


async def _inbox(client: AsyncClient, account: Account, kind: str) -> list[dict[str, Any]]:
    response = await client.get(f"{API}/me/notifications", headers=account.headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["items"] if n["kind"].startswith(kind)]


async def test_rejecting_needs_a_reason_in_the_readers_language_and_decides_nothing(
    client: AsyncClient, setup: Setup
) -> None:
    world, boss = setup.world, setup.accounts["boss"]
    _cycle_id, made = await _nominate(client, setup, world.engineer)
    nomination = made[str(world.engineer.id)]
    url = f"{API}/review-nominations/{nomination['id']}/decision"
    for body in ({"approve": False}, {"approve": False, "reason": "   "}):
        refused = await client.post(url, json=body, headers=boss.headers)
        assert_problem(refused, 422, fields={"reason"}, detail="reason for rejecting")
    zh = boss.headers | {"Accept-Language": "zh-CN"}
    refused = await client.post(url, json={"approve": False}, headers=zh)
    body = assert_problem(refused, 422, fields={"reason"})
    assert body["detail"] == "请填写驳回提名的理由"
    assert body["errors"][0]["message"] == "驳回时必填"
    too_long = await client.post(
        url, json={"approve": False, "reason": "x" * 2001}, headers=boss.headers
    )
    assert_problem(too_long, 422, fields={"body.reason"})

    assert await _nomination_status(client, setup, nomination["participant_id"]) == {
        str(world.engineer.id): "nominated"
    }
    history = await client.get(
        f"{API}/approvals?subject_id={nomination['id']}", headers=world.hr.headers
    )
    [approval] = history.json()["items"]
    assert approval["status"] == "pending"
    assert [p["status"] for p in approval["assignments"]] == ["pending"]


async def test_the_reason_is_the_approvals_comment_and_reaches_the_participant_only(
    client: AsyncClient, setup: Setup
) -> None:
    world, accounts = setup.world, setup.accounts
    _cycle_id, made = await _nominate(client, setup, world.engineer)
    nomination = made[str(world.engineer.id)]
    decided = await post_ok(
        client,
        accounts["boss"],
        f"/review-nominations/{nomination['id']}/decision",
        {"approve": False, "reason": "Engineer has never worked with Lead"},
    )
    assert decided["status"] == "rejected"

    history = await client.get(
        f"{API}/approvals?subject_id={nomination['id']}", headers=world.lead_account.headers
    )
    [approval] = history.json()["items"]
    assert approval["status"] == "rejected"
    parts = [(p["approver"]["name"], p["status"], p["comment"]) for p in approval["assignments"]]
    assert parts == [("Boss", "rejected", "Engineer has never worked with Lead")]
    [told] = await _inbox(client, world.lead_account, "review.nomination")
    assert (told["kind"], told["title"], told["body"]) == (
        "review.nomination_rejected",
        "Your peer nomination of Engineer is rejected",
        "Reason: Engineer has never worked with Lead",
    )
    assert told["subject"]["type"] == "review_nomination"
    assert await _inbox(client, accounts["engineer"], "review.nomination") == []
    audit = await client.get(
        f"{API}/audit-events?object_type=review_nomination&object_id={nomination['id']}",
        headers=world.hr.headers,
    )
    [event] = audit.json()["items"]
    assert (event["action"], event["after"]["reason"]) == (
        "review_nomination.rejected",
        "Engineer has never worked with Lead",
    )


async def test_an_approval_tells_the_participant_and_the_nominee_with_or_without_a_reason(
    client: AsyncClient, setup: Setup
) -> None:
    world, accounts = setup.world, setup.accounts
    _cycle_id, made = await _nominate(client, setup, world.peer, world.engineer)
    await post_ok(
        client,
        accounts["boss"],
        f"/review-nominations/{made[str(world.peer.id)]['id']}/decision",
        {"approve": True, "reason": "They ran the launch together"},
    )
    await post_ok(
        client,
        world.hr,
        f"/review-nominations/{made[str(world.engineer.id)]['id']}/decision",
        {"approve": True},
    )
    told = {n["title"]: n["body"] for n in await _inbox(client, world.lead_account, "review")}
    assert told == {
        "Your peer nomination of Peer is approved": "Reason: They ran the launch together",
        "Your peer nomination of Engineer is approved": "No reason was given.",
    }
    [asked] = await _inbox(client, accounts["peer"], "review.nomination")
    assert (asked["kind"], asked["title"], asked["body"]) == (
        "review.nomination_rater",
        "You are asked to rate Lead as a peer",
        "Reason: They ran the launch together",
    )
    assert asked["employee"]["name"] == "Lead"

"""Peer nominations over HTTP: the participant names peers (never themselves, never below
the cycle's minimum), the supervisor approves, approved peers are asked to rate; progress
counts participants short of the minimum."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.reviews.conftest import API, Setup, answer_as, post_ok


async def _nominating_cycle(client: AsyncClient, setup: Setup) -> dict[str, Any]:
    world = setup.world
    cycle = await post_ok(
        client,
        world.hr,
        "/review-cycles",
        {
            "name": "2027 360",
            "kind": "campaign_360",
            "template_id": setup.cycle["template_id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
            "peer_nomination": True,
            "min_raters": {"peer": 2},
        },
    )
    await post_ok(
        client,
        world.hr,
        f"/review-cycles/{cycle['id']}/participants",
        {"employee_ids": [str(world.lead.id)]},
    )
    return dict(await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/open"))


async def test_peers_are_nominated_and_approved_by_the_supervisor(
    client: AsyncClient, setup: Setup
) -> None:
    world, accounts = setup.world, setup.accounts
    cycle = await _nominating_cycle(client, setup)
    assert cycle["peer_nomination"] is True
    assert cycle["min_raters"] == {"peer": 2, "subordinate": 0}
    mine = await client.get(f"{API}/me/review-assignments", headers=world.lead_account.headers)
    [own] = [
        a
        for a in mine.json()["items"]
        if a["cycle_id"] == cycle["id"] and a["relationship"] == "self"
    ]
    url = f"{API}/review-participants/{own['participant_id']}/nominations"
    for nominees, why in (
        ([world.lead.id], "yourself"),
        ([world.boss.id], "your manager"),
        ([world.peer.id], "below the minimum of 2"),
    ):
        refused = await client.post(
            url,
            json={"employee_ids": [str(n) for n in nominees]},
            headers=world.lead_account.headers,
        )
        assert refused.status_code == 422, why
    not_theirs = await client.post(
        url, json={"employee_ids": [str(world.peer.id)]}, headers=world.member_account.headers
    )
    assert not_theirs.status_code == 404
    made = await client.post(
        url,
        json={"employee_ids": [str(world.peer.id), str(world.engineer.id)]},
        headers=world.lead_account.headers,
    )
    assert made.status_code == 200, made.text
    by_nominee = {n["nominee"]["id"]: n for n in made.json()}
    assert [n["status"] for n in by_nominee.values()] == ["nominated", "nominated"]

    peer_nomination = by_nominee[str(world.peer.id)]
    decision = f"{API}/review-nominations/{peer_nomination['id']}/decision"
    by_peer = await client.post(decision, json={"approve": True}, headers=accounts["peer"].headers)
    assert by_peer.status_code == 404, "a peer cannot approve"
    approved = await post_ok(
        client, accounts["boss"], decision.removeprefix(API), {"approve": True}
    )
    assert approved["status"] == "approved"
    again = await client.post(
        decision, json={"approve": False, "reason": "Too late"}, headers=world.hr.headers
    )
    assert again.status_code == 409
    engineer = by_nominee[str(world.engineer.id)]
    rejected = await post_ok(
        client,
        world.hr,
        f"/review-nominations/{engineer['id']}/decision",
        {"approve": False, "reason": "Engineer works on another product"},
    )
    assert rejected["status"] == "rejected"

    peer_work = await client.get(f"{API}/me/review-assignments", headers=accounts["peer"].headers)
    asked = [a for a in peer_work.json()["items"] if a["cycle_id"] == cycle["id"]]
    assert [(a["participant"]["name"], a["relationship"]) for a in asked] == [("Lead", "peer")]
    engineer_work = await client.get(
        f"{API}/me/review-assignments", headers=accounts["engineer"].headers
    )
    assert not [a for a in engineer_work.json()["items"] if a["cycle_id"] == cycle["id"]]

    await answer_as(
        client, accounts["peer"], "Lead", {"teamwork": {"score": 4}}, cycle_id=cycle["id"]
    )
    progress = await client.get(
        f"{API}/review-cycles/{cycle['id']}/progress", headers=world.hr.headers
    )
    peers = {r["relationship"]: r for r in progress.json()["by_relationship"]}["peer"]
    assert peers["minimum"] == 2
    assert peers["submitted"] == 1
    assert peers["participants_below_minimum"] == 1, "one peer answer of the two wanted"


async def test_nominations_only_where_the_cycle_asks_for_them(
    client: AsyncClient, setup: Setup
) -> None:
    world = setup.world
    mine = await client.get(f"{API}/me/review-assignments", headers=world.lead_account.headers)
    [own] = [a for a in mine.json()["items"] if a["relationship"] == "self"]
    refused = await client.post(
        f"{API}/review-participants/{own['participant_id']}/nominations",
        json={"employee_ids": [str(world.peer.id)]},
        headers=world.lead_account.headers,
    )
    assert refused.status_code == 409

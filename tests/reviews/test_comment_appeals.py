"""Objections to a comment over HTTP: named by the id the result shows, handled exactly like
an objection by whoever wrote the comment (so the flow cannot name the author), resolved by
HR by keeping it or hiding it from the published result, audited and told to the employee."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.problems import assert_problem
from tests.reviews.conftest import API, Setup, answer_as, post_ok

COMMENTS = ["Helpful", "Helpful", "Rude in meetings", "Strong quarter"]
"""Peer Two and Engineer wrote "Helpful", Peer "Rude in meetings", Boss (supervisor)
"Strong quarter": three peers answered, so the peer group and its comments are shown."""


@pytest.fixture
async def published(
    client: AsyncClient, setup: Setup, runtime: Runtime, clock: FrozenClock
) -> dict[str, Any]:
    world, accounts = setup.world, setup.accounts
    boss = accounts["boss"]
    await answer_as(
        client, boss, "Lead", {"sales": {"actual": 80}, "teamwork": {"score": 5}}, "Strong quarter"
    )
    for who, text in (("peer", "Rude in meetings"), ("peer2", "Helpful"), ("engineer", "Helpful")):
        await answer_as(client, accounts[who], "Lead", {"teamwork": {"score": 4}}, text)
    await post_ok(client, world.hr, f"/review-cycles/{setup.cycle['id']}/close")
    await run_burst(runtime)
    results = await client.get(
        f"{API}/review-cycles/{setup.cycle['id']}/results", headers=world.hr.headers
    )
    [lead] = [r for r in results.json()["items"] if r["employee"]["name"] == "Lead"]
    return dict(await post_ok(client, world.hr, f"/review-results/{lead['id']}/publish"))


def _ids(result: dict[str, Any]) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {}
    for item in result["comment_items"]:
        ids.setdefault(item["text"], []).append(item["id"])
    return ids


def _without_subject(appeal: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in appeal.items()
        if k not in {"id", "comment_id", "comment", "reason", "created_at"}
    }


@pytest.mark.commits
async def test_an_upheld_objection_hides_the_comment_and_never_names_its_author(
    client: AsyncClient, setup: Setup, published: dict[str, Any], clock: FrozenClock
) -> None:
    world, boss, lead = setup.world, setup.accounts["boss"], setup.world.lead_account
    url = f"/review-results/{published['id']}/appeals"
    mine = (
        await client.get(f"{API}/review-results/{published['id']}", headers=lead.headers)
    ).json()
    assert mine["comments"] == COMMENTS
    ids = _ids(mine)
    assert len({i for same in ids.values() for i in same}) == 4, "identical texts, distinct ids"
    for text, same in ids.items():
        for occurrence, comment_id in enumerate(same):
            made_of = uuid.uuid5(uuid.UUID(published["id"]), f"{occurrence}:{text}")
            assert comment_id == str(made_of), "made of what the reviewee sees, nothing else"

    on_peer = await post_ok(
        client,
        lead,
        url,
        {"comment_id": ids["Rude in meetings"][0], "reason": "A personal remark"},
    )
    on_supervisor = await post_ok(
        client, lead, url, {"comment_id": ids["Strong quarter"][0], "reason": "Say more"}
    )
    assert on_peer["about"] == "comment"
    assert on_peer["indicator_key"] is None
    assert on_peer["comment"] == "Rude in meetings"
    assert _without_subject(on_peer) == _without_subject(on_supervisor), (
        "a peer's comment and the supervisor's are appealed alike"
    )
    again = await client.post(
        f"{API}{url}",
        json={"comment_id": ids["Rude in meetings"][0], "reason": "Again"},
        headers=lead.headers,
    )
    assert_problem(again, 409, detail="An appeal on this comment is already open")
    tasks = (await client.get(f"{API}/me/tasks", headers=boss.headers)).json()["items"]
    replies = [t for t in tasks if t["kind"] == "review.appeal_reply"]
    assert len(replies) == 2, "the manager replies, whoever wrote the comment"
    assert len({t["title"] for t in replies}) == 1
    hr_inbox = (await client.get(f"{API}/me/notifications", headers=world.hr.headers)).json()
    told = [n["body"] for n in hr_inbox["items"] if n["title"] == "A review result is appealed"]
    assert told == ["A comment on the result: reply or resolve the appeal."] * 2

    scored = await client.post(
        f"{API}/appeals/{on_peer['id']}/resolve",
        json={"outcome": "upheld", "resolution": "Hidden", "score": 90},
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    body = assert_problem(scored, 422, fields={"score"})
    assert "评语" in body["detail"], "in the reader's language"
    upheld = await post_ok(
        client,
        world.hr,
        f"/appeals/{on_peer['id']}/resolve",
        {"outcome": "upheld", "resolution": "A personal remark, not about the work"},
    )
    assert upheld["status"] == "upheld"
    assert upheld["new_score"] is None
    rejected = await post_ok(
        client,
        world.hr,
        f"/appeals/{on_supervisor['id']}/resolve",
        {"outcome": "rejected", "resolution": "It stands"},
    )
    assert rejected["status"] == "rejected"

    for reader in (lead, boss, world.hr):
        now = await client.get(f"{API}/review-results/{published['id']}", headers=reader.headers)
        shown = now.json()
        assert shown["comments"] == ["Helpful", "Helpful", "Strong quarter"]
        assert _ids(shown)["Helpful"] == ids["Helpful"], "the other ids stay"
        [hidden] = shown["hidden_comments"]
        assert hidden["id"] == ids["Rude in meetings"][0]
        assert hidden["appeal_id"] == on_peer["id"]
        assert hidden["reason"] == "A personal remark, not about the work"
        assert "Rude" not in str(shown)
        assert shown["overall"] == published["overall"], "hiding a comment scores nothing"
    quoted = {
        name: (await client.get(f"{API}/appeals/{on_peer['id']}", headers=who.headers)).json()
        for name, who in (("lead", lead), ("boss", boss), ("hr", world.hr))
    }
    assert quoted["lead"]["comment"] == quoted["hr"]["comment"] == "Rude in meetings"
    assert quoted["boss"]["comment"] is None, "hidden from the result, hidden from its readers"
    hidden_again = await client.post(
        f"{API}{url}",
        json={"comment_id": ids["Rude in meetings"][0], "reason": "Once more"},
        headers=lead.headers,
    )
    assert_problem(hidden_again, 422, fields={"comment_id"})

    inbox = (await client.get(f"{API}/me/notifications", headers=lead.headers)).json()["items"]
    titles = [n["title"] for n in inbox]
    assert "Your review appeal was upheld" in titles
    assert "Your review appeal was rejected" in titles
    audited = await client.get(
        f"{API}/audit-events",
        params={"object_id": on_peer["id"], "action": "review_appeal.upheld"},
        headers=world.hr.headers,
    )
    [event] = audited.json()["items"]
    assert event["after"]["hidden_comment"] == ids["Rude in meetings"][0]


@pytest.mark.commits
async def test_comment_objections_keep_the_appeal_rules_and_peers_see_nothing(
    client: AsyncClient, setup: Setup, published: dict[str, Any], clock: FrozenClock
) -> None:
    lead, peer = setup.world.lead_account, setup.accounts["peer"]
    url = f"{API}/review-results/{published['id']}/appeals"
    [first, *_] = published["comment_items"]
    both = await client.post(
        url,
        json={"comment_id": first["id"], "indicator_key": "sales", "reason": "x"},
        headers=lead.headers,
    )
    assert_problem(both, 422)
    unknown = await client.post(
        url, json={"comment_id": str(uuid.uuid4()), "reason": "x"}, headers=lead.headers
    )
    assert_problem(unknown, 422, fields={"comment_id"})
    by_peer = await client.post(
        url, json={"comment_id": first["id"], "reason": "x"}, headers=peer.headers
    )
    assert_problem(by_peer, 404)
    appeal = await post_ok(
        client,
        lead,
        f"/review-results/{published['id']}/appeals",
        {"comment_id": first["id"], "reason": "Unfair"},
    )
    for path in (
        f"/review-results/{published['id']}",
        f"/review-results/{published['id']}/appeals",
        f"/review-results/{published['id']}/answers",
        f"/appeals/{appeal['id']}",
    ):
        assert_problem(await client.get(f"{API}{path}", headers=peer.headers), 404)
    others = await client.get(
        f"{API}/me/review-assignments", headers=setup.accounts["peer2"].headers
    )
    [theirs] = others.json()["items"]
    seen = await client.get(f"{API}/review-assignments/{theirs['id']}", headers=peer.headers)
    assert_problem(seen, 404)  # a peer never reads another peer's answer
    clock.advance(timedelta(days=7, minutes=1))
    late = await client.post(
        url,
        json={"comment_id": published["comment_items"][-1]["id"], "reason": "x"},
        headers=lead.headers,
    )
    assert_problem(late, 422, detail="window")

"""Appeals over HTTP: filing within the window, one open per indicator, the reviewer's reply
task, HR's resolution with a recomputed score, notifications, and who may do what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.reviews.conftest import API, Setup, answer_as, post_ok


@pytest.fixture
async def published(
    client: AsyncClient, setup: Setup, runtime: Runtime, clock: FrozenClock
) -> dict[str, Any]:
    """Lead's published result (sales weights): sales 80 (weight 70), teamwork 100 (18)."""
    world, accounts = setup.world, setup.accounts
    await answer_as(
        client, accounts["boss"], "Lead", {"sales": {"actual": 80}, "teamwork": {"score": 5}}
    )
    await post_ok(client, world.hr, f"/review-cycles/{setup.cycle['id']}/close")
    await run_burst(runtime)
    results = await client.get(
        f"{API}/review-cycles/{setup.cycle['id']}/results", headers=world.hr.headers
    )
    [lead] = [r for r in results.json()["items"] if r["employee"]["name"] == "Lead"]
    return dict(await post_ok(client, world.hr, f"/review-results/{lead['id']}/publish"))


@pytest.mark.commits
async def test_an_upheld_appeal_rescores_the_indicator_and_the_overall(
    client: AsyncClient, setup: Setup, published: dict[str, Any], clock: FrozenClock
) -> None:
    world, boss = setup.world, setup.accounts["boss"]
    scores = {i["key"]: i["score"] for i in published["indicators"]}
    assert scores == {"sales": 80, "teamwork": 100}
    before = published["overall"]
    url = f"/review-results/{published['id']}/appeals"
    appeal = await post_ok(
        client,
        world.lead_account,
        url,
        {"indicator_key": "sales", "reason": "Q4 orders booked late count"},
    )
    assert appeal["status"] == "open"
    assert appeal["original_score"] == 80
    again = await client.post(
        f"{API}{url}",
        json={"indicator_key": "sales", "reason": "Again"},
        headers=world.lead_account.headers,
    )
    assert again.status_code == 409, "one open appeal per indicator"

    tasks = (await client.get(f"{API}/me/tasks", headers=boss.headers)).json()["items"]
    [task] = [t for t in tasks if t["kind"] == "review.appeal_reply"]
    direct = await client.post(f"{API}/tasks/{task['id']}/complete", json={}, headers=boss.headers)
    assert direct.status_code == 422, "the task closes by replying"
    replied = await post_ok(
        client, boss, f"/appeals/{appeal['id']}/reply", {"reply": "Agreed, 12 orders missed"}
    )
    assert replied["status"] == "answered"
    task_now = await client.get(f"{API}/tasks/{task['id']}", headers=boss.headers)
    assert task_now.json()["status"] == "completed"

    by_boss = await client.post(
        f"{API}/appeals/{appeal['id']}/resolve",
        json={"outcome": "upheld", "resolution": "Yes", "score": 95},
        headers=boss.headers,
    )
    assert by_boss.status_code == 403, "HR resolves"
    no_score = await client.post(
        f"{API}/appeals/{appeal['id']}/resolve",
        json={"outcome": "upheld", "resolution": "Yes"},
        headers=world.hr.headers,
    )
    assert no_score.status_code == 422
    upheld = await post_ok(
        client,
        world.hr,
        f"/appeals/{appeal['id']}/resolve",
        {"outcome": "upheld", "resolution": "Late orders count", "score": 95},
    )
    assert upheld["status"] == "upheld"
    assert upheld["new_score"] == 95
    mine = (await client.get(f"{API}/me/review-results", headers=world.lead_account.headers)).json()
    [result] = mine["items"]
    indicators = {i["key"]: i for i in result["indicators"]}
    assert indicators["sales"]["score"] == 95
    assert indicators["sales"]["adjusted"] is True, "the result says the score was changed"
    assert indicators["sales"]["computed_score"] == 80, "what its groups were computed to"
    assert [g["score"] for g in indicators["sales"]["groups"]] == [80]
    assert indicators["teamwork"]["adjusted"] is False
    assert indicators["teamwork"]["computed_score"] is None
    assert before == pytest.approx((80 * 70 + 100 * 18) / 88, abs=0.01)
    expected = before + (95 - 80) * 70 / (70 + 18)
    assert result["overall"] == pytest.approx(expected, abs=0.01)
    assert result["computed_overall"] == before, "the computed figure is kept"
    hr_view = await client.get(f"{API}/review-results/{result['id']}", headers=world.hr.headers)
    [adjustment] = hr_view.json()["adjustments"]
    assert adjustment["indicator"] == "sales"
    assert adjustment["reason"] == "Appeal upheld: Late orders count"
    assert adjustment["by_user"]["id"] == adjustment["by"], "it names who upheld it"
    in_chinese = await client.get(
        f"{API}/review-results/{result['id']}",
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    assert in_chinese.json()["adjustments"][0]["reason"] == "申诉已获支持：Late orders count"
    inbox = await client.get(f"{API}/me/notifications", headers=world.lead_account.headers)
    titles = [n["title"] for n in inbox.json()["items"]]
    assert "Your review appeal was answered" in titles
    assert "Your review appeal was upheld" in titles
    twice = await client.post(
        f"{API}/appeals/{appeal['id']}/resolve",
        json={"outcome": "rejected", "resolution": "No"},
        headers=world.hr.headers,
    )
    assert twice.status_code == 409
    reopened = await post_ok(
        client, world.lead_account, url, {"indicator_key": "sales", "reason": "Still low"}
    )
    assert reopened["status"] == "open", "a settled appeal frees the indicator"


@pytest.mark.commits
async def test_appeals_outside_the_window_or_the_result_are_refused(
    client: AsyncClient, setup: Setup, published: dict[str, Any], clock: FrozenClock
) -> None:
    world = setup.world
    url = f"{API}/review-results/{published['id']}/appeals"
    unknown = await client.post(
        url, json={"indicator_key": "charm", "reason": "x"}, headers=world.lead_account.headers
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "indicator_key"
    not_mine = await client.post(
        url, json={"indicator_key": "sales", "reason": "x"}, headers=world.member_account.headers
    )
    assert not_mine.status_code == 404
    clock.advance(timedelta(days=7, minutes=1))
    late = await client.post(
        url, json={"indicator_key": "sales", "reason": "x"}, headers=world.lead_account.headers
    )
    assert late.status_code == 422
    assert "window" in late.json()["detail"]


@pytest.mark.commits
async def test_a_rejected_appeal_keeps_the_score_and_peers_cannot_see_it(
    client: AsyncClient, setup: Setup, published: dict[str, Any], clock: FrozenClock
) -> None:
    world = setup.world
    appeal = await post_ok(
        client,
        world.lead_account,
        f"/review-results/{published['id']}/appeals",
        {"indicator_key": "teamwork", "reason": "Too generous, honestly"},
    )
    peer = setup.accounts["peer"]
    for path in (f"/appeals/{appeal['id']}", f"/review-results/{published['id']}/appeals"):
        hidden = await client.get(f"{API}{path}", headers=peer.headers)
        assert hidden.status_code == 404
    peer_reply = await client.post(
        f"{API}/appeals/{appeal['id']}/reply", json={"reply": "x"}, headers=peer.headers
    )
    assert peer_reply.status_code == 404
    rejected = await post_ok(
        client,
        world.hr,
        f"/appeals/{appeal['id']}/resolve",
        {"outcome": "rejected", "resolution": "The ratings stand"},
    )
    assert rejected["status"] == "rejected"
    assert rejected["new_score"] is None
    result = await client.get(
        f"{API}/review-results/{published['id']}", headers=world.lead_account.headers
    )
    assert result.json()["overall"] == published["overall"]
    boss_tasks = await client.get(f"{API}/me/tasks", headers=setup.accounts["boss"].headers)
    [task] = [t for t in boss_tasks.json()["items"] if t["kind"] == "review.appeal_reply"]
    assert task["status"] == "cancelled", "resolving first withdraws the reviewer's task"

"""Webhook events of performance periods: `performance.score_updated` from the worker's
recompute, one per employee and period whose score moved (nothing for a repeat, nothing from
the request path), and `performance.period_closed` from a close; the cron that closes a
period once its grace days have passed in the organization's time zone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.performance import closing_jobs
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.performance.closing_helpers import (
    NOVEMBER,
    OBSERVATIONS,
    PERIODS,
    close,
    scored_november,
)
from tests.performance.conftest import API, World, observation, ok
from tests.webhooks.conftest import Configure, Receiver, configure, receiver

__all__ = ["configure", "receiver"]


@pytest.mark.commits
async def test_moved_scores_and_a_close_are_published(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    configure: Configure,
    receiver: Receiver,
) -> None:
    hook = ok(
        await client.post(
            f"{API}/webhooks",
            json={
                "url": receiver.url,
                "event_types": ["performance.score_updated", "performance.period_closed"],
            },
            headers=world.hr.headers,
        ),
        201,
    )
    receiver.secret = hook["secret"]
    await scored_november(client, world, runtime)
    same = [observation(world.lead.id, "output", 95, NOVEMBER, f"nov-{world.lead.id}")]
    moved = [observation(world.member.id, "output", 85, NOVEMBER, f"nov-{world.member.id}")]
    for items in (same, moved):
        ok(await client.post(OBSERVATIONS, json={"items": items}, headers=world.hr.headers))
    await run_burst(runtime)
    await close(client, world)
    await run_burst(runtime)

    assert all(request.signature_ok for request in receiver.requests)
    delivered = [json.loads(request.body) for request in receiver.requests]
    updates = [d["data"] for d in delivered if d["type"] == "performance.score_updated"]
    assert sorted(
        ((u["employee_id"], u["before"], u["overall"]) for u in updates), key=str
    ) == sorted(
        [
            (str(world.lead.id), None, 95.0),
            (str(world.member.id), None, 80.0),
            (str(world.junior.id), None, 60.0),
            (str(world.peer.id), None, 40.0),
            (str(world.member.id), 80.0, 85.0),
        ],
        key=str,
    )
    assert {u["period"] for u in updates} == {"2026-11"}
    [closed] = [d["data"] for d in delivered if d["type"] == "performance.period_closed"]
    assert (closed["period"], closed["ratings"], closed["by_cron"]) == ("2026-11", 4, False)
    assert (closed["starts_on"], closed["ends_on"]) == ("2026-11-01", "2026-12-01")


@pytest.mark.commits
async def test_the_cron_closes_a_period_after_its_grace_days(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """November ends on 1 December 00:00 in Shanghai; five grace days: closed on the 6th."""
    await scored_november(client, world, runtime)
    period = f"{PERIODS}/2026-11"
    start = datetime(2026, 12, 5, 15, 30, tzinfo=UTC)  # 5 December 23:30 in Shanghai
    async with frozen_clock(runtime, start) as clock:
        assert await closing_jobs.close_due_periods({"runtime": runtime}) == 0
        clock.advance(timedelta(hours=1))  # 6 December 00:30 in Shanghai
        assert await closing_jobs.close_due_periods({"runtime": runtime}) == 1
        assert await closing_jobs.close_due_periods({"runtime": runtime}) == 0, "once"
        closed = ok(await client.get(period, headers=world.hr.headers))
        assert (closed["state"], closed["closed_by"]) == ("closed", None)
        reopen = {"reason": "Quality figures arrive on the 10th"}
        ok(await client.post(f"{period}/reopen", json=reopen, headers=world.hr.headers))
        clock.advance(timedelta(days=3))
        assert await closing_jobs.close_due_periods({"runtime": runtime}) == 0, "left to HR"
    ratings = ok(
        await client.get(
            f"{API}/employees/{world.lead.id}/performance-ratings", headers=world.hr.headers
        )
    )["items"]
    assert [(r["period"], r["letter"], r["rated_by"]) for r in ratings] == [("2026-11", "A", None)]

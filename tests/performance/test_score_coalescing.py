"""Coalesced recomputes: batches mark their (employee, month) keys stale and share the one
pending recompute job of their organization, which brings every stale score up to date;
a done job is never relied on, a backlog above the drain limit is worked off in bounded
jobs, a key marked again while its job ran stays stale, and a second job of the
organization defers while one runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.exc import DataError
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.metrics import REGISTRY
from hrcore.core.outbox import OutboxMessage
from hrcore.core.runtime import Runtime
from hrcore.performance import live_scores, score_queue
from hrcore.performance.live_scores import RECOMPUTE_JOB
from hrcore.performance.models import StaleScore
from hrcore.worker import run_burst
from tests.performance.conftest import API, World, api_key, observation, ok, post_scheme, scheme

AT = datetime(2026, 12, 3, 9, tzinfo=UTC)
URL = f"{API}/metric-observations"

pytestmark = pytest.mark.commits


async def _jobs(engine: AsyncEngine) -> list[str]:
    """The statuses of the recompute jobs, oldest first."""
    async with engine.connect() as connection:
        return list(
            (
                await connection.scalars(
                    select(OutboxMessage.status)
                    .where(OutboxMessage.job == RECOMPUTE_JOB)
                    .order_by(OutboxMessage.created_at, OutboxMessage.id)
                )
            ).all()
        )


async def _stale(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(StaleScore)) or 0)


async def _overall(client: AsyncClient, world: World, employee: Any) -> list[tuple[str, float]]:
    url = f"{API}/employees/{employee.id}/performance"
    periods = ok(await client.get(url, headers=world.hr.headers))["periods"]
    return [(p["period"], p["overall"]) for p in periods]


async def _send(client: AsyncClient, key: dict[str, str], *items: dict[str, Any]) -> None:
    assert ok(await client.post(URL, json={"items": list(items)}, headers=key))["refused"] == 0


async def test_two_batches_share_one_recompute_and_both_scores_are_current(
    client: AsyncClient, world: World, runtime: Runtime, schema_owner_engine: AsyncEngine
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    await _send(client, key, observation(world.member.id, "output", 40, AT, "a-1"))
    await _send(client, key, observation(world.junior.id, "output", 30, AT, "b-1"))
    assert await _jobs(schema_owner_engine) == ["pending"], "the second batch joined the first's"
    assert await _stale(schema_owner_engine) == 2

    await run_burst(runtime)
    assert await _overall(client, world, world.member) == [("2026-12", 40)]
    assert await _overall(client, world, world.junior) == [("2026-12", 30)]
    assert await _stale(schema_owner_engine) == 0

    await _send(client, key, observation(world.member.id, "output", 45, AT, "a-1"))
    assert await _jobs(schema_owner_engine) == ["done", "pending"], "a done job is not reused"
    await run_burst(runtime)
    assert await _overall(client, world, world.member) == [("2026-12", 45)], "the correction"


async def test_a_backlog_above_the_limit_is_drained_by_further_jobs(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    schema_owner_engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(score_queue, "DRAIN_LIMIT", 1)
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    await _send(
        client,
        key,
        observation(world.member.id, "output", 40, AT, "a-1"),
        observation(world.junior.id, "output", 30, AT, "b-1"),
        observation(world.junior.id, "output", 20, datetime(2026, 11, 3, 9, tzinfo=UTC), "b-2"),
    )
    assert await _stale(schema_owner_engine) == 3

    await run_burst(runtime)
    assert await _jobs(schema_owner_engine) == ["done"] * 4, "one key a job, the last finds none"
    assert await _overall(client, world, world.member) == [("2026-12", 40)]
    assert await _overall(client, world, world.junior) == [("2026-12", 30), ("2026-11", 20)]


async def test_a_key_marked_again_while_its_job_ran_stays_stale_and_jobs_run_alone(
    client: AsyncClient, world: World, runtime: Runtime, schema_owner_engine: AsyncEngine
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    await _send(client, key, observation(world.member.id, "output", 40, AT, "a-1"))
    async with unit_of_work(runtime.sessionmaker) as running:
        await set_tenant(running, world.hr.org_id)
        picked = await score_queue.pick(running, world.hr.org_id)
        assert picked is not None
        assert picked.months == {str(world.member.id): ["2026-12"]}
        async with unit_of_work(runtime.sessionmaker) as second:
            await set_tenant(second, world.hr.org_id)
            assert await score_queue.pick(second, world.hr.org_id) is None, "one at a time"
        await _send(client, key, observation(world.member.id, "output", 45, AT, "a-2"))
        await score_queue.clear(running, world.hr.org_id, picked)
    assert await _stale(schema_owner_engine) == 1, "the second batch's mark outlives the job"
    await run_burst(runtime)
    assert await _stale(schema_owner_engine) == 0
    assert await _overall(client, world, world.member) == [("2026-12", 85)]


async def test_an_employee_whose_recompute_fails_on_its_data_holds_up_no_one(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    schema_owner_engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The failing employee's keys leave the queue (logged, counted); the others' scores are
    stored, and the next batch is not held up behind them."""
    recompute = live_scores.recompute
    poisoned = str(world.member.id)

    async def failing_for_member(session: Any, org_id: Any, months: Any, now: Any) -> int:
        if poisoned in months:
            raise DataError("INSERT …", {}, Exception("numeric field overflow"))
        return await recompute(session, org_id, months, now)

    monkeypatch.setattr(live_scores, "recompute", failing_for_member)
    dropped = REGISTRY.get_sample_value("hrcore_worker_dropped_recomputes_total") or 0
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    await _send(
        client,
        key,
        observation(world.member.id, "output", 40, AT, "a-1"),
        observation(world.junior.id, "output", 30, AT, "b-1"),
    )
    await run_burst(runtime)
    assert await _jobs(schema_owner_engine) == ["done"]
    assert await _overall(client, world, world.junior) == [("2026-12", 30)]
    assert await _overall(client, world, world.member) == []
    assert await _stale(schema_owner_engine) == 0, "the failing key left the queue"
    assert REGISTRY.get_sample_value("hrcore_worker_dropped_recomputes_total") == dropped + 1

    monkeypatch.setattr(live_scores, "recompute", recompute)
    await _send(client, key, observation(world.member.id, "output", 45, AT, "a-2"))
    await run_burst(runtime)
    assert await _overall(client, world, world.member) == [("2026-12", 85)]

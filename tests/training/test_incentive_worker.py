"""The cron queues each organization's periods as they end in its time zone, once; the real
worker evaluates them; a retried evaluation writes nothing twice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import incentive_evaluation, incentive_jobs
from hrcore.training.incentive_models import IncentiveEvaluation
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.training.incentive_helpers import make_world

# 2026-09-30 16:30 UTC is 2026-10-01 00:30 in Shanghai: Q3 has ended there, not in UTC.
Q3_ENDED_IN_SHANGHAI = datetime(2026, 9, 30, 16, 30, tzinfo=UTC)


async def _evaluations(runtime: Runtime, org_id: uuid.UUID) -> dict[str, tuple[str, int | None]]:
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        rows = await session.execute(
            text("SELECT period, status, incentives FROM incentive_evaluations ORDER BY period")
        )
        return {row.period: (row.status, row.incentives) for row in rows}


@pytest.mark.commits
async def test_the_cron_queues_ended_periods_once_and_the_worker_evaluates_them(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await make_world(runtime)
    async with frozen_clock(runtime, datetime(2026, 9, 30, 15, 59, tzinfo=UTC)):
        queued_early = await incentive_jobs.queue_evaluations({"runtime": runtime})
    assert await _evaluations(runtime, world.org_id) == {
        "2026-Q2": ("queued", None),
        "2025": ("queued", None),
    }, "before midnight in Shanghai the latest ended quarter is Q2"
    async with frozen_clock(runtime, Q3_ENDED_IN_SHANGHAI):
        queued = await incentive_jobs.queue_evaluations({"runtime": runtime})
        again = await incentive_jobs.queue_evaluations({"runtime": runtime})
        await run_burst(runtime)
    assert queued_early == 4, "two periods for each of the two organizations"
    assert (queued, again) == (2, 0), "Q3 now, once"
    assert await _evaluations(runtime, world.org_id) == {
        "2025": ("done", 0),
        "2026-Q2": ("done", 0),
        "2026-Q3": ("done", 15),
    }
    listed = await client.get(
        "/api/v1/incentives", params={"period": "2026-Q3", "limit": 50}, headers=world.hr.headers
    )
    assert len(listed.json()["items"]) == 15

    async with tenant_transaction(runtime.sessionmaker, world.org_id) as session:
        evaluation = (
            await session.execute(
                text("SELECT id FROM incentive_evaluations WHERE period = '2026-Q3'")
            )
        ).scalar_one()
        row = await session.get(IncentiveEvaluation, evaluation)
        assert row is not None
        row.status = "queued"
    async with tenant_transaction(runtime.sessionmaker, world.org_id) as session:
        await incentive_evaluation.evaluate(session, world.org_id, evaluation, runtime.clock)
    assert (await _evaluations(runtime, world.org_id))["2026-Q3"] == ("done", 0), (
        "a retried evaluation finds every incentive written and writes none"
    )

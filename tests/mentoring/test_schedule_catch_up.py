"""The hourly catch-up cron: an approved plan whose schedule job never ran (its event lost,
its retries spent while the worker was down) is planned late — including what fell due
meanwhile, overdue, so it escalates — and a second run plans nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.outbox import OutboxMessage
from hrcore.core.runtime import Runtime
from hrcore.mentoring import jobs_schedule
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.mentoring.schedule_helpers import START, make_pairing
from tests.mentoring.test_schedule import PLANNED, _open, _tasks
from tests.people.conftest import World, world
from tests.workflow.conftest import inbox, sweep

__all__ = ["world"]


async def _catch_up(runtime: Runtime) -> Any:
    return await jobs_schedule.catch_up_schedules({"runtime": runtime})


@pytest.mark.commits
async def test_a_missed_schedule_is_planned_late_with_what_fell_due_overdue(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    async with frozen_clock(runtime, START) as clock:
        pairing = await make_pairing(client, world.hr, world.member, world.junior)
        async with owner_engine.begin() as connection:  # the job's event is lost
            lost = await connection.execute(
                delete(OutboxMessage).where(OutboxMessage.job == jobs_schedule.PLAN_SCHEDULE_JOB)
            )
            assert lost.rowcount == 1
        await run_burst(runtime)
        assert await _tasks(client, world.hr, pairing) == []

        # The worker comes back after the first 1:1 fell due (Thursday 15 April).
        clock.advance(datetime(2027, 4, 19, 2, 0, tzinfo=UTC) - clock.now())
        assert await _catch_up(runtime) == 1
        assert _open(await _tasks(client, world.hr, pairing)) == PLANNED
        assert await _catch_up(runtime) == 0
        assert _open(await _tasks(client, world.hr, pairing)) == PLANNED

        await sweep(runtime)
        escalations = [
            note
            for note in await inbox(client, world.lead_account)
            if note["kind"] == "task.escalation"
        ]
        assert len(escalations) == 1, "the overdue 1:1 reaches the mentor's manager"


@pytest.mark.commits
async def test_a_schedule_the_job_planned_is_not_planned_again(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    async with frozen_clock(runtime, START):
        pairing = await make_pairing(client, world.hr, world.member, world.junior)
        await run_burst(runtime)
        before = await _tasks(client, world.hr, pairing)
        assert _open(before) == PLANNED
        assert await _catch_up(runtime) == 0
        assert await _tasks(client, world.hr, pairing) == before

"""The worker makes an enrolment's plan and task when the enrolment is completed
(`ENROLMENT_COMPLETED`), once however often the event is delivered."""

from __future__ import annotations

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import events
from hrcore.training.models import Enrolment
from hrcore.worker import run_burst
from tests.people.conftest import World, world
from tests.training.action_plan_helpers import PLANS, completed_enrolment, course_on_competencies
from tests.training.factory import make_enrolment

__all__ = ["world"]


async def _complete(runtime: Runtime, enrolment: Enrolment) -> None:
    async with tenant_transaction(runtime.sessionmaker, enrolment.org_id) as session:
        events.emit_enrolment_completed(session, enrolment.org_id, enrolment.id)


async def _counts(runtime: Runtime, world: World) -> tuple[int, int]:
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        plans = await session.scalar(text("SELECT count(*) FROM training_action_plans"))
        tasks = await session.scalar(
            text("SELECT count(*) FROM tasks WHERE kind = 'training.action_plan'")
        )
    return int(plans or 0), int(tasks or 0)


@pytest.mark.commits
async def test_a_completed_enrolment_gets_its_plan_and_task_once(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    course = await course_on_competencies(runtime, world, "Negotiation")
    done = await completed_enrolment(runtime, world.hr.org_id, course, world.junior.id)
    running = await make_enrolment(runtime, world.hr.org_id, course, world.member.id)
    await _complete(runtime, done)
    await _complete(runtime, running)
    await run_burst(runtime)
    listed = await client.get(PLANS, headers=world.junior_account.headers)
    [plan] = listed.json()["items"]
    assert (plan["enrolment_id"], plan["status"], plan["due_on"]) == (
        str(done.id),
        "open",
        "2026-12-31",
    )
    task = await client.get(
        f"/api/v1/tasks/{plan['task_id']}", headers=world.junior_account.headers
    )
    assert task.status_code == 200, task.text
    assert task.json()["title"] == "Write your action plan after Negotiation"
    assert await _counts(runtime, world) == (1, 1), "an enrolment not completed makes nothing"
    await _complete(runtime, done)
    await run_burst(runtime)
    assert await _counts(runtime, world) == (1, 1), "a replayed event makes nothing twice"

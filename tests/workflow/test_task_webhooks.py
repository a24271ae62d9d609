"""Task events reach webhook subscribers: completed at once, overdue once per deadline."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import make_user
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.workflow.conftest import START, World, clock, make_task, sweep, world

__all__ = ["clock", "configure", "receiver", "world"]


async def _subscribe(client: AsyncClient, world: World, receiver: Receiver) -> None:
    response = await client.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "event_types": ["task.overdue", "task.completed"]},
        headers=world.hr.headers,
    )
    assert response.status_code == 201, response.text
    receiver.secret = response.json()["secret"]


def _events(receiver: Receiver) -> list[tuple[str, str]]:
    assert all(request.signature_ok for request in receiver.requests)
    bodies = [json.loads(request.body) for request in receiver.requests]
    return [(body["type"], body["data"]["task_id"]) for body in bodies]


@pytest.mark.commits
async def test_overdue_and_completed_tasks_are_published(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    configure: Configure,
    receiver: Receiver,
) -> None:
    await _subscribe(client, world, receiver)
    member = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.member.id)
    task = await make_task(runtime, world.hr.org_id, world.member, START + timedelta(days=1))

    clock.advance(timedelta(days=2))
    await sweep(runtime)
    clock.advance(timedelta(days=2))
    await sweep(runtime)
    await run_burst(runtime)
    assert _events(receiver) == [("task.overdue", str(task.id))], "overdue is told once"

    done = await client.post(f"/api/v1/tasks/{task.id}/complete", json={}, headers=member.headers)
    assert done.status_code == 200, done.text
    await run_burst(runtime)
    assert _events(receiver) == [
        ("task.overdue", str(task.id)),
        ("task.completed", str(task.id)),
    ]
    completed = json.loads(receiver.requests[-1].body)["data"]
    assert completed["on_time"] is False

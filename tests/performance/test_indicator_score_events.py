"""`performance.score_updated` follows the indicators too: a correction that moves two
indicators' scores without moving the overall publishes one event for the employee and
period naming both; a recompute that moves nothing publishes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.performance.closing_helpers import NOVEMBER, OBSERVATIONS
from tests.performance.conftest import API, World, observation, ok, post_scheme, scheme
from tests.webhooks.conftest import Configure, Receiver, configure, receiver

__all__ = ["configure", "receiver"]


def _two_halves() -> dict[str, Any]:
    body = scheme(name="Two halves", department_ids=[])
    output, quality = body["indicators"][0], body["indicators"][1]
    body["indicators"] = [
        output | {"weight": 50, "target": 100},
        quality | {"weight": 50, "target": 100, "aggregation": "sum"},
    ]
    return body


@pytest.mark.commits
async def test_an_indicator_that_moves_is_published_once_per_employee_and_period(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    configure: Configure,
    receiver: Receiver,
) -> None:
    hook = await client.post(
        f"{API}/webhooks",
        json={"url": receiver.url, "event_types": ["performance.score_updated"]},
        headers=world.hr.headers,
    )
    receiver.secret = ok(hook, 201)["secret"]
    await post_scheme(client, world.hr, _two_halves() | {"department_ids": [str(world.sales.id)]})
    member = world.member.id

    async def send(*items: dict[str, Any]) -> None:
        body = {"items": list(items)}
        ok(await client.post(OBSERVATIONS, json=body, headers=world.hr.headers))
        await run_burst(runtime)

    await send(
        observation(member, "output", 80, NOVEMBER, "out"),
        observation(member, "quality", 60, NOVEMBER, "qual"),
    )
    await send(
        observation(member, "output", 90, NOVEMBER, "out"),
        observation(member, "quality", 50, NOVEMBER, "qual"),
    )
    await send(observation(member, "quality", 0, NOVEMBER, "nothing more"))
    await send(observation(member, "output", 90, NOVEMBER, "out"))

    assert all(request.signature_ok for request in receiver.requests)
    updates = [json.loads(request.body)["data"] for request in receiver.requests]
    shown = [(u["before"], u["overall"], u["indicators"]) for u in updates]
    assert shown == [
        (
            None,
            70.0,
            [
                {"key": "output", "before": None, "after": 80.0},
                {"key": "quality", "before": None, "after": 60.0},
            ],
        ),
        (
            70.0,
            70.0,
            [
                {"key": "output", "before": 80.0, "after": 90.0},
                {"key": "quality", "before": 60.0, "after": 50.0},
            ],
        ),
    ], "the overall stood still, the indicators moved: one event; a sum of 0 moves nothing"
    assert {(u["employee_id"], u["period"]) for u in updates} == {(str(member), "2026-11")}

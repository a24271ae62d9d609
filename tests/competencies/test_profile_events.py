"""Webhook events for profile changes: the worker's recompute that stores a snapshot
publishes `competency_profile.changed` with each moved score, before → after; nothing from the
request path, nothing when no score moved."""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.webhooks.conftest import Configure, Receiver, configure, receiver

__all__ = ["configure", "receiver"]


async def _assess(
    client: AsyncClient, world: World, competency: dict[str, Any], value: float
) -> None:
    body = {
        "employee_id": str(world.member.id),
        "competency_id": competency["id"],
        "value": value,
        "note": "Led the east-region launch",
    }
    ok(await client.post(f"{API}/competency-evidence", json=body, headers=world.hr.headers), 201)


@pytest.mark.commits
async def test_a_stored_snapshot_publishes_the_moved_scores(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    configure: Configure,
    receiver: Receiver,
) -> None:
    hook = ok(
        await client.post(
            f"{API}/webhooks",
            json={"url": receiver.url, "event_types": ["competency_profile.changed"]},
            headers=world.hr.headers,
        ),
        201,
    )
    receiver.secret = hook["secret"]
    team = await create(client, world.hr, "Team management")
    customers = await create(client, world.hr, "Customer resource integration")
    await _assess(client, world, team, 6)
    await _assess(client, world, customers, 4)
    deliveries = f"{API}/webhooks/{hook['id']}/deliveries"
    assert ok(await client.get(deliveries, headers=world.hr.headers))["items"] == [], (
        "the request path publishes nothing"
    )
    await run_burst(runtime)
    profile_url = f"{API}/employees/{world.member.id}/competency-profile"
    computed_at = ok(await client.get(profile_url, headers=world.hr.headers))["computed_at"]

    await _assess(client, world, team, 8)
    await run_burst(runtime)
    # The same value again stores a snapshot (the evidence behind the score grew) but moves
    # no score: no event.
    await _assess(client, world, customers, 4)
    await run_burst(runtime)
    history = ok(await client.get(profile_url, headers=world.hr.headers))["history"]
    assert len(history) == 3

    assert all(request.signature_ok for request in receiver.requests)
    delivered = [json.loads(request.body) for request in receiver.requests]
    assert [d["type"] for d in delivered] == ["competency_profile.changed"] * 2
    first, second = (d["data"] for d in delivered)
    assert first["employee_id"] == str(world.member.id)
    assert first["computed_at"].replace("+00:00", "Z")[:19] == computed_at[:19]
    assert sorted(
        (c["competency_id"], c["before"], c["after"]) for c in first["competencies"]
    ) == sorted([(team["id"], None, 6.0), (customers["id"], None, 4.0)])
    assert second["competencies"] == [{"competency_id": team["id"], "before": 6.0, "after": 7.0}]

"""An approved mentor reaches the organization's webhook subscribers, through the real
worker, and no one else's."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import storage_dir
from tests.factories import make_org
from tests.mentoring.test_programs import make_program
from tests.people.conftest import World, world
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.webhooks.talent_loop import delivered
from tests.workflow.conftest import clock

__all__ = ["clock", "configure", "receiver", "storage_dir", "world"]


@pytest.mark.commits
async def test_an_approved_mentor_is_published(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    storage_dir: Path,
    configure: Configure,
    receiver: Receiver,
) -> None:
    other = await make_org(runtime)
    for account in (other, world.hr):
        subscribed = await client.post(
            "/api/v1/webhooks",
            json={"url": receiver.url, "event_types": ["mentor.approved"]},
            headers=account.headers,
        )
        assert subscribed.status_code == 201, subscribed.text
        receiver.secret = subscribed.json()["secret"]
    program = await make_program(
        client, world.hr, rules=[{"kind": "top_performance", "letter": "A", "periods": 1}]
    )
    applied = await client.post(
        "/api/v1/mentor-applications",
        json={"program_id": program["id"]},
        headers=world.lead_account.headers,
    )
    assert applied.status_code == 201, applied.text
    application = applied.json()
    approved = await client.post(
        f"/api/v1/mentor-applications/{application['id']}/approve",
        json={"override_reason": "Not rated yet, trusted"},
        headers=world.hr.headers,
    )
    assert approved.status_code == 200, approved.text
    [mentor] = (await client.get("/api/v1/mentors", headers=world.hr.headers)).json()["items"]
    await run_burst(runtime)

    assert delivered(receiver) == [
        (
            "mentor.approved",
            {
                "mentor_id": mentor["id"],
                "application_id": application["id"],
                "program_id": program["id"],
                "employee_id": str(world.lead.id),
                "overridden": True,
            },
        )
    ]

"""A pairing started and ended reaches the organization's webhook subscribers through the
real worker."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import storage_dir
from tests.mentoring.pairing_helpers import MENTORSHIPS, pair, setup
from tests.people.conftest import World, world
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.webhooks.talent_loop import delivered
from tests.workflow.conftest import clock

__all__ = ["clock", "configure", "receiver", "storage_dir", "world"]


@pytest.mark.commits
async def test_a_pairing_started_and_ended_is_published(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    storage_dir: Path,
    configure: Configure,
    receiver: Receiver,
) -> None:
    subscribed = await client.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "event_types": ["mentorship.started", "mentorship.ended"]},
        headers=world.hr.headers,
    )
    assert subscribed.status_code == 201, subscribed.text
    receiver.secret = subscribed.json()["secret"]
    ready = await setup(client, world)
    pairing = await pair(client, world.hr, ready, world.junior.id)
    ended = await client.post(
        f"{MENTORSHIPS}/{pairing['id']}/end",
        json={"outcome": "completed"},
        headers=world.hr.headers,
    )
    assert ended.status_code == 200, ended.text
    await run_burst(runtime)

    shared = {
        "mentorship_id": pairing["id"],
        "program_id": ready.program["id"],
        "mentor_id": ready.mentor["id"],
        "mentor_employee_id": str(world.lead.id),
        "mentee_employee_id": str(world.junior.id),
        "starts_on": "2027-01-04",
        "ends_on": "2028-01-04",
    }
    [started, finished] = sorted(delivered(receiver), key=lambda event: event[0], reverse=True)
    assert started == ("mentorship.started", shared | {"overridden": False})
    assert finished[0] == "mentorship.ended"
    ended_at = finished[1].pop("ended_at")
    assert finished[1] == shared | {"outcome": "completed"}
    assert datetime.fromisoformat(ended_at) == datetime.fromisoformat(ended.json()["ended_at"])

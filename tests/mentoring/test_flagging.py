"""Mentors who stop qualifying are flagged by the nightly re-evaluation (one screen per
program), not dropped: `/mentors` shows and filters them, HR is told in the inbox, outside
systems get `mentor.flagged` through the real worker, and requalifying clears the flag; every
change audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.mentoring import jobs_flagging
from hrcore.mentoring.registry import DOMAIN
from hrcore.worker import run_burst
from tests.contracts.conftest import storage_dir
from tests.mentoring.m4_helpers import rate
from tests.mentoring.test_programs import make_program
from tests.people.conftest import World, world
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.webhooks.talent_loop import delivered
from tests.workflow.conftest import clock

__all__ = ["clock", "configure", "receiver", "storage_dir", "world"]
MENTORS = "/api/v1/mentors"


async def _mentor(client: AsyncClient, world: World, program: Any, employee: Any) -> None:
    applied = await client.post(
        "/api/v1/mentor-applications",
        json={"program_id": program["id"], "employee_id": str(employee.id)},
        headers=world.hr.headers,
    )
    assert applied.status_code == 201, applied.text
    approved = await client.post(
        f"/api/v1/mentor-applications/{applied.json()['id']}/approve", headers=world.hr.headers
    )
    assert approved.status_code == 200, approved.text


async def _mentors(client: AsyncClient, world: World, **params: Any) -> list[Any]:
    response = await client.get(MENTORS, params=params, headers=world.hr.headers)
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


async def _flag(runtime: Runtime) -> int:
    return await jobs_flagging.flag_mentors({"runtime": runtime})


@pytest.mark.commits
async def test_a_mentor_who_stops_qualifying_is_flagged_then_cleared(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    storage_dir: Path,
    configure: Configure,
    receiver: Receiver,
    owner_engine: AsyncEngine,
) -> None:
    assert jobs_flagging.FLAG_CRON in {cron.name for cron in DOMAIN.crons}
    subscribed = await client.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "event_types": ["mentor.flagged"]},
        headers=world.hr.headers,
    )
    assert subscribed.status_code == 201, subscribed.text
    receiver.secret = subscribed.json()["secret"]
    for employee in (world.lead, world.peer):
        await rate(client, world.hr, employee.id, "AA")
    program = await make_program(
        client, world.hr, rules=[{"kind": "top_performance", "letter": "A", "periods": 2}]
    )
    for employee in (world.lead, world.peer):
        await _mentor(client, world, program, employee)
    assert await _flag(runtime) == 0, "both qualify"

    worse = await client.post(
        f"/api/v1/employees/{world.lead.id}/performance-ratings",
        json={"period": "2026", "letter": "C"},
        headers=world.hr.headers,
    )
    assert worse.status_code == 201, worse.text
    assert await _flag(runtime) == 1
    [flagged] = await _mentors(client, world, flagged="true")
    assert flagged["employee"]["id"] == str(world.lead.id)
    assert flagged["flagged_at"] is not None
    assert flagged["flag_checks"] == [{"kind": "top_performance", "value": 0.0, "passed": False}]
    [qualified] = await _mentors(client, world, flagged="false")
    assert qualified["employee"]["id"] == str(world.peer.id)
    assert (qualified["flagged_at"], qualified["flag_checks"]) == (None, None)
    assert len(await _mentors(client, world)) == 2, "flagged, not dropped"
    assert await _flag(runtime) == 0, "flagged once"

    await run_burst(runtime)
    assert delivered(receiver) == [
        (
            "mentor.flagged",
            {
                "mentor_id": flagged["id"],
                "program_id": program["id"],
                "employee_id": str(world.lead.id),
                "flagged_at": flagged["flagged_at"].replace("Z", "+00:00"),
                "failed": ["top_performance"],
            },
        )
    ]
    inbox = await client.get("/api/v1/me/notifications", headers=world.hr.headers)
    [note] = [item for item in inbox.json()["items"] if item["kind"] == "mentor.flagged"]
    assert note["title"] == "A mentor no longer qualifies"
    assert note["body"] == (
        "Lead fails top_performance in the mentoring program Apprentices 2027: review their "
        "pairings."
    )

    relaxed = await client.patch(
        f"/api/v1/mentoring-programs/{program['id']}",
        json={"rules": [{"kind": "top_performance", "letter": "C", "periods": 2}], "version": 1},
        headers=world.hr.headers,
    )
    assert relaxed.status_code == 200, relaxed.text
    assert await _flag(runtime) == 1
    assert await _mentors(client, world, flagged="true") == []
    async with owner_engine.connect() as connection:
        actions = (
            await connection.execute(
                select(AuditEvent.action)
                .where(AuditEvent.object_id == flagged["id"])
                .order_by(AuditEvent.id)
            )
        ).scalars()
        assert list(actions) == ["mentor.flagged", "mentor.requalified"]

"""Opening and closing a cycle cost a fixed number of statements, whatever its size."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.workflow.models import Task
from tests.people.conftest import World, count_statements
from tests.reviews.conftest import API, FORM, post_ok


async def _draft_cycle(
    client: AsyncClient, world: World, template: dict[str, Any], name: str, people: list[Employee]
) -> str:
    cycle = await post_ok(
        client,
        world.hr,
        "/review-cycles",
        {
            "name": name,
            "kind": "year_end",
            "template_id": template["id"],
            "starts_on": "2026-12-01",
            "due_on": "2026-12-20",
        },
    )
    body = {"employee_ids": [str(person.id) for person in people]}
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/participants", body)
    return str(cycle["id"])


async def _small_and_large(client: AsyncClient, world: World) -> tuple[str, str]:
    """Two draft cycles: one participant, and six (with supervisors, peers and reports)."""
    template = await post_ok(client, world.hr, "/review-templates", FORM)
    small = await _draft_cycle(client, world, template, "Small", [world.lead])
    everyone = [world.boss, world.lead, world.member, world.junior, world.peer, world.engineer]
    return small, await _draft_cycle(client, world, template, "Large", everyone)


async def _statements_to(
    client: AsyncClient, runtime: Runtime, world: World, cycle: str, action: str
) -> int:
    with count_statements(runtime) as counter:
        await post_ok(client, world.hr, f"/review-cycles/{cycle}/{action}")
    return counter.count


async def test_opening_a_cycle_costs_the_same_statements_whatever_its_size(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    small, large = await _small_and_large(client, world)

    assert await _statements_to(client, runtime, world, small, "open") == (
        await _statements_to(client, runtime, world, large, "open")
    )
    async with owner_engine.connect() as connection:
        tasks = await connection.scalar(select(func.count()).select_from(Task))
        created = await connection.scalar(
            select(func.count()).where(AuditEvent.action == "task.created")
        )
    assert tasks is not None
    assert tasks > 10, "the large cycle asks many raters"
    assert created == tasks, "every task has its own audit event"
    cycles = await client.get(f"{API}/review-cycles/{large}", headers=world.hr.headers)
    assert cycles.json()["status"] == "open"


async def test_closing_withdraws_every_unanswered_task_in_fixed_statements(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    small, large = await _small_and_large(client, world)
    for cycle in (small, large):
        await post_ok(client, world.hr, f"/review-cycles/{cycle}/open")

    assert await _statements_to(client, runtime, world, small, "close") == (
        await _statements_to(client, runtime, world, large, "close")
    )
    async with owner_engine.connect() as connection:
        rows = await connection.execute(select(Task.status, func.count()).group_by(Task.status))
        statuses: dict[str, int] = dict(rows.all())
        cancelled = await connection.scalar(
            select(func.count()).where(
                AuditEvent.action == "task.cancelled",
                AuditEvent.before == {"status": "open"},
                AuditEvent.after == {"status": "cancelled"},
            )
        )
    assert set(statuses) == {"cancelled"}, "nobody answered: every task is withdrawn"
    assert cancelled == statuses["cancelled"], "each with its own audit event"

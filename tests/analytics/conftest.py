"""Analytics over the people domain's test organization: tasks as the domains make them,
and the worker's refresh run as the worker runs it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hrcore.analytics import jobs
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from hrcore.workflow.models import Task
from tests.people.conftest import World, world
from tests.workflow.conftest import make_task

__all__ = ["World", "world"]

API = "/api/v1"


async def task_done(
    runtime: Runtime,
    world: World,
    assignee: Employee,
    kind: str,
    due_days: int,
    done_days: int | None,
) -> Task:
    """A task of `kind` due `due_days` from now, completed `done_days` from now (None:
    still open), as the owning domain's completion leaves it."""
    now = datetime.now(UTC)
    task = await make_task(
        runtime, world.hr.org_id, assignee, now + timedelta(days=due_days), kind=kind
    )
    if done_days is not None:
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, world.hr.org_id)
            row = await session.get(Task, task.id)
            assert row is not None
            row.status = "completed"
            row.completed_at = now + timedelta(days=done_days)
            row.on_time = row.completed_at <= row.due_at
    return task


async def refresh_all(runtime: Runtime) -> Any:
    """What the worker does each minute (mark the figures due) and then the refresh job."""
    await jobs.mark_due({"runtime": runtime})
    await run_burst(runtime)

"""Tasks on the people domain's test organization, a clock to travel with, and helpers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.models import new_id
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.workflow import api as workflow
from hrcore.workflow import jobs
from hrcore.workflow.models import Task
from hrcore.workflow.schemas import EscalationPolicy, ReminderPolicy
from tests.conftest import frozen_clock
from tests.factories import Account
from tests.people.conftest import World, count_statements, world

__all__ = ["World", "count_statements", "world"]

START = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
"""10:00 in Asia/Shanghai, the organizations' default time zone."""

CALENDAR_DAYS: dict[str, Any] = {
    "reminder_policy": ReminderPolicy(hold_on_non_working_days=False),
    "escalation_policy": EscalationPolicy(hold_on_non_working_days=False),
}
"""Policies that hold nothing to a working morning: for tests of the windows' arithmetic in
calendar days, whose dates cross weekends."""


@pytest.fixture
async def clock(runtime: Runtime) -> AsyncIterator[FrozenClock]:
    async with frozen_clock(runtime, START) as frozen:
        yield frozen


async def make_task(
    runtime: Runtime,
    org_id: uuid.UUID,
    assignee: Employee,
    due: date | datetime,
    **options: Any,
) -> Task:
    """A task as a domain creates it: through the service, in its own transaction."""
    values: dict[str, Any] = {
        "subject_type": "program_stage",
        "subject_id": new_id(),
        "kind": "workflow.todo",
        "title": "Reflection report",
    }
    values.update(options)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        task_id = await workflow.create_task(
            session, org_id=org_id, assignee_employee_id=assignee.id, due=due, **values
        )
        task = await session.get(Task, task_id)
        assert task is not None
        return task


async def sweep(runtime: Runtime) -> int:
    """What the worker's every-minute cron runs."""
    return await jobs.sweep_deadlines({"runtime": runtime})


async def inbox(client: AsyncClient, account: Account) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/me/notifications", params={"limit": 200}, headers=account.headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def inbox_kinds(client: AsyncClient, account: Account) -> list[str]:
    """Kinds of the account's notifications, oldest first."""
    return [item["kind"] for item in reversed(await inbox(client, account))]

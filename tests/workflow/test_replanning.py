"""A day HR adds to or removes from the organization's calendar re-plans the open tasks
counted on it, in the same request: reminders and escalations move earlier when a day off
becomes a working day, later when a window now falls on a day off, and a window the change
moved into the past is still sent. Due dates stay."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.workflow.models import Task
from hrcore.workflow.schemas import EscalationPolicy, ReminderPolicy
from tests.factories import Account, make_department, make_employee, make_org
from tests.workflow.conftest import (
    World,
    count_statements,
    inbox,
    inbox_kinds,
    make_task,
    sweep,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST = timedelta(hours=23, minutes=59, seconds=59, microseconds=999999)
SILENT = ReminderPolicy(before_due_days=[], repeat_every_days=None)
NO_ESCALATION = EscalationPolicy(manager_after_days=None, hr_after_days=None)
DAYS = "/api/v1/working-calendar/days"


def end_of(day: int) -> datetime:
    """The last moment of a day of March 2027 in Shanghai (weekends only: 1 March is a
    Monday)."""
    return datetime(2027, 3, day, tzinfo=SHANGHAI) + LAST


async def _planned(runtime: Runtime, task: Task) -> tuple[datetime, datetime | None]:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, task.org_id)
        row = await session.get(Task, task.id)
        assert row is not None
        return row.due_at, row.next_action_at


async def _set(client: AsyncClient, hr: Account, day: int, working: bool) -> uuid.UUID:
    body = {"day": f"2027-03-{day:02}", "working": working, "name": "公司安排"}
    response = await client.post(DAYS, json=body, headers=hr.headers)
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


@pytest.mark.commits
async def test_a_make_up_working_day_pulls_an_escalation_earlier_and_removing_it_restores(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    working = EscalationPolicy(manager_after_days=2, hr_after_days=None, days_are="working")
    options = {"reminder_policy": SILENT, "escalation_policy": working}
    # due on a Friday: two working days later is Tuesday 9
    task = await make_task(runtime, world.hr.org_id, world.junior, date(2027, 3, 5), **options)
    other = await make_org(runtime)
    theirs = await make_task(
        runtime,
        other.org_id,
        await make_employee(
            runtime, other.org_id, await make_department(runtime, other.org_id, "HQ")
        ),
        date(2027, 3, 5),
        **options,
    )
    assert await _planned(runtime, task) == (end_of(5), end_of(9))

    saturday = await _set(client, world.hr, 6, True)  # 调休: Saturday 6 is worked
    assert await _planned(runtime, task) == (end_of(5), end_of(8)), "a day earlier, same due"
    assert await _planned(runtime, theirs) == (end_of(5), end_of(9)), "not another org's"

    removed = await client.delete(f"{DAYS}/{saturday}", headers=world.hr.headers)
    assert removed.status_code == 204
    assert await _planned(runtime, task) == (end_of(5), end_of(9))

    await _set(client, world.hr, 6, True)
    clock._at = end_of(8) + timedelta(minutes=1)
    await sweep(runtime)
    [escalation] = await inbox(client, world.member_account)
    assert escalation["title"] == f"Overdue 2 working days: {task.title}"


@pytest.mark.commits
async def test_a_new_day_off_holds_a_reminder_and_a_day_that_changes_nothing_moves_nothing(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(
        runtime,
        world.hr.org_id,
        world.junior,
        date(2027, 3, 11),
        reminder_policy=ReminderPolicy(before_due_days=[1], repeat_every_days=None),
        escalation_policy=NO_ESCALATION,
    )
    assert await _planned(runtime, task) == (end_of(11), end_of(10))
    await _set(client, world.hr, 13, False)  # a Saturday: off already, nothing moves
    assert await _planned(runtime, task) == (end_of(11), end_of(10))

    await _set(client, world.hr, 10, False)  # the company rests on Wednesday 10
    morning = datetime(2027, 3, 11, 9, tzinfo=SHANGHAI)
    assert await _planned(runtime, task) == (end_of(11), morning)
    clock._at = end_of(10) + timedelta(minutes=1)
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == []
    clock._at = morning + timedelta(minutes=1)
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == ["task.reminder"]


@pytest.mark.commits
async def test_a_reminder_the_change_moved_into_the_past_is_still_sent_once(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(
        runtime,
        world.hr.org_id,
        world.junior,
        date(2027, 3, 15),  # a Monday: 3 and 2 working days before are Wed 10 and Thu 11
        reminder_policy=ReminderPolicy(
            before_due_days=[3, 2], repeat_every_days=None, days_are="working"
        ),
        escalation_policy=NO_ESCALATION,
    )
    clock._at = end_of(10) + timedelta(minutes=1)
    await sweep(runtime)  # the first reminder
    assert await _planned(runtime, task) == (end_of(15), end_of(11))

    clock._at = datetime(2027, 3, 11, 10, tzinfo=SHANGHAI)
    await _set(client, world.hr, 12, False)  # Friday off: the second reminder was due Wed 10
    due, upcoming = await _planned(runtime, task)
    assert due == end_of(15)
    assert upcoming is not None
    assert upcoming <= clock.now(), "due at once"
    await sweep(runtime)
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == ["task.reminder", "task.reminder"]
    assert await _planned(runtime, task) == (end_of(15), None)


async def test_re_planning_costs_the_same_statements_for_one_task_or_many(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    working = EscalationPolicy(manager_after_days=2, hr_after_days=None, days_are="working")

    async def tasks(count: int) -> None:
        for _ in range(count):
            await make_task(
                runtime,
                world.hr.org_id,
                world.junior,
                date(2027, 3, 5),
                reminder_policy=SILENT,
                escalation_policy=working,
            )

    await tasks(1)
    with count_statements(runtime) as one:
        await _set(client, world.hr, 6, True)
    await tasks(20)
    with count_statements(runtime) as many:
        await _set(client, world.hr, 7, True)
    assert many.count == one.count

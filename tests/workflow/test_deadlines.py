"""The deadline sweep: reminders, repeats, escalations, idempotency, catch-up and cost."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.calendar import WorkCalendar
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.models import new_id
from hrcore.core.runtime import Runtime
from hrcore.worker import build_worker
from hrcore.workflow import api as workflow
from hrcore.workflow import lifecycle
from hrcore.workflow.models import Task
from hrcore.workflow.schemas import EscalationPolicy, ReminderPolicy, TaskPolicy
from tests.workflow.conftest import (
    CALENDAR_DAYS,
    START,
    World,
    count_statements,
    inbox,
    inbox_kinds,
    make_task,
    sweep,
)

DUE = date(2027, 3, 4)
"""Three days after START; due at 23:59:59.999999 Asia/Shanghai = 15:59:59.999999 UTC."""
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


async def test_due_date_is_the_end_of_that_day_in_the_org_time_zone(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    in_org_zone = task.due_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert in_org_zone.isoformat() == "2027-03-04T23:59:59.999999+08:00"
    assert task.next_action_at == task.due_at - 3 * DAY


@pytest.mark.commits
async def test_reminder_then_repeats_then_manager_then_hr_then_stops_when_completed(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE, **CALENDAR_DAYS)
    junior, manager, hr = world.junior_account, world.member_account, world.hr

    async def at(moment: timedelta) -> None:
        clock._at = task.due_at + moment
        await sweep(runtime)

    await sweep(runtime)
    assert await inbox_kinds(client, junior) == []

    await at(-3 * DAY + MINUTE)  # three days before due
    assert await inbox_kinds(client, junior) == ["task.reminder"]
    await at(-1 * DAY)
    assert await inbox_kinds(client, junior) == ["task.reminder"]

    await at(MINUTE)  # due passed: the first overdue reminder
    assert await inbox_kinds(client, junior) == ["task.reminder", "task.overdue"]
    await at(DAY)
    assert len(await inbox_kinds(client, junior)) == 2
    await at(2 * DAY + MINUTE)  # repeats every two days
    assert len(await inbox_kinds(client, junior)) == 3
    assert await inbox_kinds(client, manager) == []

    await at(3 * DAY + MINUTE)  # three days overdue: the manager hears of it
    assert await inbox_kinds(client, manager) == ["task.escalation"]
    assert len(await inbox_kinds(client, junior)) == 3
    assert await inbox_kinds(client, hr) == []

    await at(4 * DAY + MINUTE)
    await at(6 * DAY + MINUTE)
    assert len(await inbox_kinds(client, junior)) == 5
    await at(7 * DAY + MINUTE)  # seven days overdue: HR
    assert await inbox_kinds(client, hr) == ["task.escalation"]
    assert await inbox_kinds(client, manager) == ["task.escalation"]
    # The boss above the manager and unrelated colleagues hear nothing.
    assert await inbox_kinds(client, world.lead_account) == []

    completed = await client.post(
        f"/api/v1/tasks/{task.id}/complete", json={}, headers=junior.headers
    )
    assert completed.status_code == 200, completed.text
    assert completed.json()["on_time"] is False

    for days in (8, 9, 10, 20, 40):
        await at(days * DAY + MINUTE)
    assert len(await inbox_kinds(client, junior)) == 5
    assert len(await inbox_kinds(client, manager)) == 1
    assert len(await inbox_kinds(client, hr)) == 1
    items = (await client.get("/api/v1/me/notifications", headers=junior.headers)).json()["items"]
    assert {item["subject"]["id"] for item in items} == {str(task.id)}
    assert {item["subject"]["type"] for item in items} == {"task"}


@pytest.mark.commits
async def test_repeated_and_concurrent_sweeps_notify_once(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    owner_engine: AsyncEngine,
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    clock.advance(task.due_at - START - 3 * DAY + MINUTE)
    await asyncio.gather(sweep(runtime), sweep(runtime), sweep(runtime))
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == ["task.reminder"]

    # Even a sweep that finds the task due again (its bookkeeping lost) records and sends
    # nothing twice: the (task, kind, window) key is already taken.
    async with owner_engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE tasks SET handled_until = NULL, next_action_at = due_at - interval '3 days'"
            )
        )
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == ["task.reminder"]
    async with owner_engine.connect() as connection:
        actions = await connection.scalar(text("SELECT count(*) FROM task_actions"))
    assert actions == 1


@pytest.mark.commits
async def test_a_sweep_over_many_batches_side_by_side_handles_each_task_once(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    owner_engine: AsyncEngine,
) -> None:
    tasks = [await make_task(runtime, world.hr.org_id, world.junior, DUE) for _ in range(11)]
    clock.advance(tasks[0].due_at - START - 3 * DAY + MINUTE)

    handled = await workflow.sweep(runtime.sessionmaker, runtime.clock, batch_size=2)

    assert handled == 11
    # each batch sends the assignee one reminder (a digest of its tasks); together all 11
    reminders = await inbox(client, world.junior_account)
    assert {item["kind"] for item in reminders} == {"task.reminder"}
    assert 6 <= len(reminders) < 11
    named = sum((item["title"] + item["body"]).count("Reflection report") for item in reminders)
    assert named == 11
    async with owner_engine.connect() as connection:
        per_task = await connection.execute(
            text("SELECT count(*) FROM task_actions GROUP BY task_id")
        )
        assert sorted(count for (count,) in per_task) == [1] * 11
        left = await connection.scalar(
            text("SELECT count(*) FROM tasks WHERE next_action_at <= :now"), {"now": clock.now()}
        )
    assert left == 0


@pytest.mark.commits  # the sweep's side-by-side batches need connections of their own
async def test_after_downtime_one_notification_per_kind_not_a_flood(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE, **CALENDAR_DAYS)
    clock._at = task.due_at + 8 * DAY + MINUTE
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == ["task.overdue"]
    assert await inbox_kinds(client, world.member_account) == ["task.escalation"]
    assert await inbox_kinds(client, world.hr) == ["task.escalation"]

    clock.advance(2 * DAY)  # back to normal: the next repeat only
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == ["task.overdue"] * 2
    assert len(await inbox_kinds(client, world.member_account)) == 1
    assert len(await inbox_kinds(client, world.hr)) == 1


@pytest.mark.commits
async def test_cancelling_stops_reminders_at_once(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        cancelled = await lifecycle.cancel_task(
            session, org_id=world.hr.org_id, task_id=task.id, clock=clock
        )
    assert cancelled.status == "cancelled"
    assert cancelled.next_action_at is None
    clock.advance(30 * DAY)
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == []


async def test_rescheduling_restarts_the_windows(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    clock._at = task.due_at - 3 * DAY + MINUTE
    await sweep(runtime)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        moved = await lifecycle.reschedule_task(
            session, org_id=world.hr.org_id, task_id=task.id, due=DUE + 10 * DAY
        )
    clock._at = moved.due_at - 3 * DAY + MINUTE
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == ["task.reminder"] * 2


@pytest.mark.commits
async def test_a_policy_overridden_by_the_calling_domain_is_snapshotted(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    task = await make_task(
        runtime,
        world.hr.org_id,
        world.junior,
        DUE,
        reminder_policy=ReminderPolicy(before_due_days=[2, 1], repeat_every_days=None),
        escalation_policy=EscalationPolicy(manager_after_days=1, hr_after_days=None),
    )
    for moment in (-2 * DAY, -DAY, MINUTE, DAY + MINUTE, 20 * DAY):
        clock._at = task.due_at + moment + MINUTE
        await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == ["task.reminder"] * 2
    assert await inbox_kinds(client, world.member_account) == ["task.escalation"]
    assert await inbox_kinds(client, world.hr) == []


LINE = workflow.Timeline(WorkCalendar(), ZoneInfo("Asia/Shanghai"))


def test_windows_are_pure_functions_of_policy_due_and_time() -> None:
    policy = TaskPolicy(
        reminder=ReminderPolicy(hold_on_non_working_days=False),
        escalation=EscalationPolicy(hold_on_non_working_days=False),
    )
    due = START + 3 * DAY
    assert workflow.next_action_at(policy, LINE, due, after=None) == START
    assert workflow.due_windows(policy, LINE, due, after=None, now=START - MINUTE) == []
    late = workflow.due_windows(policy, LINE, due, after=None, now=due + 100 * DAY)
    assert [(w.kind, w.name) for w in late] == [
        ("reminder", "after:50"),
        ("escalate_manager", "manager"),
        ("escalate_hr", "hr"),
    ]
    assert workflow.next_action_at(policy, LINE, due, after=due + 100 * DAY) == due + 102 * DAY
    assert workflow.next_action_at(policy, LINE, due, after=due + DAY) == due + 2 * DAY


@pytest.mark.commits
async def test_sweep_cost_follows_due_work_not_open_tasks(
    runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    org_id = world.hr.org_id
    policy = TaskPolicy(reminder=ReminderPolicy(), escalation=EscalationPolicy())

    async def add(count: int, due_in: timedelta) -> None:
        due_at = clock.now() + due_in
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, org_id)
            session.add_all(
                Task(
                    org_id=org_id,
                    subject_type="program_stage",
                    subject_id=new_id(),
                    kind="workflow.todo",
                    title=f"Task {i}",
                    assignee_employee_id=world.junior.id,
                    department_id=world.junior.department_id,
                    due_at=due_at,
                    status="open",
                    submission_required=False,
                    policy=policy.model_dump(mode="json"),
                    schedule=1,
                    next_action_at=workflow.next_action_at(policy, LINE, due_at, after=None),
                )
                for i in range(count)
            )

    await add(10, timedelta(days=2))  # the 3-days-before reminder is due now
    with count_statements(runtime) as few_open:
        assert await sweep(runtime) == 10

    await add(2_000, timedelta(days=60))
    await add(10, timedelta(days=2))
    with count_statements(runtime) as many_open:
        assert await sweep(runtime) == 10
    assert many_open.count == few_open.count

    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        plan = await session.execute(
            text(
                "EXPLAIN SELECT * FROM tasks WHERE org_id = :org AND status = 'open' "
                "AND next_action_at <= now() ORDER BY next_action_at LIMIT 500"
            ),
            {"org": org_id},
        )
        assert "ix_tasks_next_action" in "\n".join(row[0] for row in plan.all())
        open_tasks = await session.scalar(select(func.count()).select_from(Task))
    assert open_tasks == 2_020


async def test_the_worker_runs_the_sweep_every_minute(runtime: Runtime) -> None:
    worker = build_worker(runtime, burst=True)
    try:
        crons = {job.name: job for job in worker.cron_jobs}
    finally:
        await worker.close()
    sweep_cron = crons["workflow.sweep_deadlines"]
    assert sweep_cron.minute is None
    assert sweep_cron.second == 0

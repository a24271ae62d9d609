"""One sweep, one message per recipient and reason: digests listing the tasks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from tests.channels.conftest import Configure, configure
from tests.factories import Account
from tests.fake_dingtalk import FakeDingTalk, fake_dingtalk
from tests.workflow.conftest import World, inbox, make_task, sweep

__all__ = ["configure", "fake_dingtalk"]

DUE = date(2027, 3, 4)
TITLES = [f"Customer visit report {i}" for i in range(5)]
SECRET_TITLE = "Rate Lead Li"
"""A confidential 360 rater task: who rates whom must not reach the manager or HR."""


async def _reads(client: AsyncClient, account: Account, locale: str) -> None:
    chosen = await client.put("/api/v1/me/locale", json={"locale": locale}, headers=account.headers)
    assert chosen.status_code == 200, chosen.text


async def _robot(client: AsyncClient, hr: Account, fake: FakeDingTalk) -> None:
    fake.robots["digest"] = "SECdigest"
    response = await client.post(
        "/api/v1/notification-channels",
        json={
            "kind": "dingtalk_robot",
            "name": "Whole company",
            "config": {"webhook_url": fake.robot_url("digest")},
            "secret": "SECdigest",
        },
        headers=hr.headers,
    )
    assert response.status_code == 201, response.text


async def _only(client: AsyncClient, account: Account) -> dict[str, Any]:
    [item] = await inbox(client, account)
    return item


@pytest.mark.commits
async def test_one_sweep_sends_each_recipient_one_digest_in_their_language_once(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    configure: Configure,
    fake_dingtalk: FakeDingTalk,
    owner_engine: AsyncEngine,
) -> None:
    junior, manager, hr = world.junior_account, world.member_account, world.hr
    await _reads(client, junior, "zh-CN")
    await _reads(client, manager, "en")
    await _robot(client, hr, fake_dingtalk)
    tasks = [await make_task(runtime, hr.org_id, world.junior, DUE, title=t) for t in TITLES]
    tasks.append(
        await make_task(
            runtime, hr.org_id, world.junior, DUE, title=SECRET_TITLE, confidential=True
        )
    )
    clock._at = tasks[0].due_at + timedelta(days=7, minutes=1)  # the reminder, manager and HR

    assert await sweep(runtime) == 6

    mine = await _only(client, junior)
    assert (mine["kind"], mine["title"], mine["subject"]) == (
        "task.overdue",
        "6 项任务已逾期",
        None,
    )
    assert mine["body"].splitlines() == [
        "以下任务已逾期，请尽快完成：",
        *(f"{t}，截止时间：2027年3月4日 23:59" for t in [*TITLES, SECRET_TITLE]),
    ]
    theirs = await _only(client, manager)
    assert (theirs["kind"], theirs["title"]) == (
        "task.escalation",
        "6 tasks of your reports are overdue",
    )
    assert theirs["body"].splitlines() == [
        "These tasks of your reports are still open past their due time:",
        *(f"Junior: {t}, due by 4 Mar 2027, 23:59, 7 days overdue" for t in TITLES),
        "Junior: a confidential task (only its assignee sees what it is), due by 4 Mar 2027,"
        " 23:59, 7 days overdue",
    ]
    hr_digest = await _only(client, hr)
    assert hr_digest["title"] == "6 tasks of employees are overdue"
    assert all(SECRET_TITLE not in item["title"] + item["body"] for item in [theirs, hr_digest])
    assert len(hr_digest["body"].splitlines()) == 7

    async with owner_engine.connect() as connection:
        deliveries = await connection.scalar(text("SELECT count(*) FROM channel_deliveries"))
        actions = await connection.scalar(text("SELECT count(*) FROM task_actions"))
    assert deliveries == 3, "DingTalk gets the one inbox item of each digest"
    assert actions == 18, "each task's reminder and escalations are recorded on their own"

    # A re-run that finds the tasks due again (their bookkeeping lost) sends nothing more.
    async with owner_engine.begin() as connection:
        await connection.execute(
            text("UPDATE tasks SET handled_until = NULL, next_action_at = now()")
        )
    await sweep(runtime)
    # Even with the actions' records lost too, the digests' keys are taken: nothing twice.
    async with owner_engine.begin() as connection:
        await connection.execute(text("DELETE FROM task_actions"))
        await connection.execute(
            text("UPDATE tasks SET handled_until = NULL, next_action_at = now()")
        )
    await sweep(runtime)
    for account in (junior, manager, hr):
        assert len(await inbox(client, account)) == 1
    async with owner_engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM channel_deliveries")) == 3


@pytest.mark.commits
async def test_reminders_due_soon_are_one_digest_and_a_lone_task_keeps_its_own_message(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    first = await make_task(runtime, hr.org_id, world.junior, DUE, title="Reflection report")
    await make_task(runtime, hr.org_id, world.junior, DUE, title="Mentor feedback")
    alone = await make_task(runtime, hr.org_id, world.lead, DUE, title="Approve a nomination")
    clock._at = first.due_at - timedelta(days=3) + timedelta(minutes=1)

    await sweep(runtime)

    digest = await _only(client, world.junior_account)
    assert (digest["kind"], digest["title"]) == ("task.reminder", "2 tasks due soon")
    assert digest["body"] == (
        "These tasks are due soon:\n"
        "Mentor feedback, due by 4 Mar 2027, 23:59\n"
        "Reflection report, due by 4 Mar 2027, 23:59"
    )
    single = await _only(client, world.lead_account)
    assert (single["title"], single["body"]) == (
        "Due soon: Approve a nomination",
        "Due by 4 Mar 2027, 23:59.",
    )
    assert single["subject"] == {"type": "task", "id": str(alone.id), "name": alone.title}
    assert single["employee"] == {"id": str(world.lead.id), "name": world.lead.full_name}
    assert digest["subject"] is None
    assert digest["employee"] is None


async def test_a_long_digest_lists_fifty_tasks_and_counts_the_rest(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    tasks = [
        await make_task(runtime, world.hr.org_id, world.junior, DUE, title=f"Task {i:02}")
        for i in range(57)
    ]
    clock._at = tasks[0].due_at - timedelta(days=3) + timedelta(minutes=1)

    await sweep(runtime)

    digest = await _only(client, world.junior_account)
    assert digest["title"] == "57 tasks due soon"
    lines = digest["body"].splitlines()
    assert len(lines) == 1 + 50 + 1
    assert lines[50] == "Task 49, due by 4 Mar 2027, 23:59"
    assert lines[-1] == "…and 7 more tasks"

"""DingTalk to-dos as the front door, beyond creating and closing them (test_dingtalk_todos):
a tick acts as the assignee, and tasks opened before the app or the person's DingTalk link
get their to-dos afterwards. Real outbox and worker, the local DingTalk of
`tests.fake_dingtalk`, callbacks signed and encrypted."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from hrcore.workflow import todo_backfill
from tests.fake_dingtalk import fake_dingtalk
from tests.people.conftest import World, count_statements, world
from tests.workflow.test_dingtalk_todos import (
    API,
    INTEGRATION,
    Ding,
    _enable,
    _event,
    _log,
    _ok,
    _push,
    _task,
    _todo_of,
    ding,
    enabled,
)

__all__ = ["ding", "enabled", "fake_dingtalk", "world"]


async def _disable_account(engine: AsyncEngine, user_id: Any) -> None:
    async with engine.begin() as connection:
        sql = text("UPDATE users SET is_active = false WHERE id = :id")
        await connection.execute(sql, {"id": user_id})


@pytest.mark.commits
async def test_a_tick_by_an_assignee_without_an_active_account_reopens_the_todo(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    task = await _task(runtime, world, world.member)
    await run_burst(runtime)
    todo_id, _ = _todo_of(enabled.fake, task)
    await _disable_account(owner_engine, world.member_account.user_id)

    await _push(enabled, runtime, enabled.fake.tick(todo_id))
    shown = _ok(await client.get(f"{API}/tasks/{task.id}", headers=world.hr.headers))
    assert shown["status"] == "open"
    event = await _event(client, world.hr)
    assert (event["event_type"], event["status"]) == ("todo_task_update", "ignored")
    assert "no active hrcore account" in event["error"]
    assert not enabled.fake.todos[todo_id].done  # re-opened in the person's list
    [row] = await _log(client, world.hr)
    assert (row["wanted"], row["synced"], row["status"]) == ("open", "open", "sent")
    params = {"object_id": str(task.id), "action": "task.completed"}
    audited = _ok(await client.get(f"{API}/audit-events", params=params, headers=world.hr.headers))
    assert audited["items"] == []


async def _todo_rows(engine: AsyncEngine, org_id: Any) -> int:
    async with engine.connect() as connection:
        sql = text("SELECT count(*) FROM task_todos WHERE org_id = :org")
        return int((await connection.execute(sql, {"org": org_id})).scalar_one())


@pytest.mark.commits
async def test_tasks_opened_before_the_app_get_their_todos_when_it_is_configured(
    client: AsyncClient,
    world: World,
    ding: Ding,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(todo_backfill, "BACKFILL_BATCH", 2)  # three batches, one job each
    early = [await _task(runtime, world, world.member, title=f"Early {n}") for n in range(4)]
    unmapped = await _task(runtime, world, world.junior)
    done = await _task(runtime, world, world.member, title="Done before the app")
    _ok(
        await client.post(
            f"{API}/tasks/{done.id}/complete", json={}, headers=world.member_account.headers
        )
    )
    await run_burst(runtime)
    assert ding.fake.todos == {}  # no app yet: nothing

    ding.sender = await _enable(client, world.hr, owner_engine)
    await run_burst(runtime)
    for task in early:
        _, todo = _todo_of(ding.fake, task)
        assert (todo.owner, todo.subject, todo.done) == ("union-member-dt", task.title, False)
    assert len(ding.fake.todos) == 4  # the junior is no DingTalk user; a done task needs none
    logged = {
        row["task_id"]: (row["status"], row["synced"]) for row in await _log(client, world.hr)
    }
    assert logged == {str(task.id): ("sent", "open") for task in early}
    assert str(unmapped.id) not in logged

    # the same app again announces nothing; a newer task is one the usual way: once each
    await _enable(client, world.hr, owner_engine)
    await _task(runtime, world, world.member, title="Later")
    await run_burst(runtime)
    assert len(ding.fake.todos) == 5
    assert await _todo_rows(owner_engine, world.hr.org_id) == 5


@pytest.mark.commits
async def test_a_person_linked_to_dingtalk_later_gets_todos_for_their_open_tasks(
    client: AsyncClient,
    world: World,
    enabled: Ding,
    runtime: Runtime,
    owner_engine: AsyncEngine,
) -> None:
    open_task = await _task(runtime, world, world.junior, title="Junior's report")
    await run_burst(runtime)
    assert await _log(client, world.hr, task_id=str(open_task.id)) == []  # not a DingTalk user

    enabled.fake.users["junior-dt"] = {"userid": "junior-dt", "unionid": "union-junior-dt"}
    employee = _ok(await client.get(f"{API}/employees/{world.junior.id}", headers=world.hr.headers))
    linked = await client.patch(
        f"{API}/employees/{world.junior.id}",
        json={"dingtalk_user_id": "junior-dt", "version": employee["version"]},
        headers=world.hr.headers,
    )
    _ok(linked)
    await run_burst(runtime)
    _, todo = _todo_of(enabled.fake, open_task)
    assert (todo.owner, todo.subject) == ("union-junior-dt", "Junior's report")
    [row] = await _log(client, world.hr, task_id=str(open_task.id))
    assert (row["status"], row["synced"]) == ("sent", "open")


@pytest.mark.commits
async def test_a_backfill_batch_costs_the_same_statements_for_one_task_or_many(
    world: World, enabled: Ding, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    async def backfilled(count: int) -> int:
        async with owner_engine.begin() as connection:
            await connection.execute(text("DELETE FROM task_todos"))
        for n in range(count):
            await _task(runtime, world, world.member, title=f"Task {n}")
        async with owner_engine.begin() as connection:
            await connection.execute(text("DELETE FROM task_todos"))
        with count_statements(runtime) as counted:
            async with unit_of_work(runtime.sessionmaker) as session:
                await set_tenant(session, world.hr.org_id)
                added = await todo_backfill.backfill(
                    session, world.hr.org_id, assignee=None, after=None
                )
        assert added >= count
        return counted.count

    assert await backfilled(1) == await backfilled(10)


@pytest.mark.commits
async def test_todos_failed_while_the_app_was_off_are_sent_when_it_is_back(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime
) -> None:
    task = await _task(runtime, world, world.member)  # its to-do waits for the worker
    off = {"receiver_id": enabled.sender.receiver_id, "active": False}
    _ok(await client.put(INTEGRATION, json=off, headers=world.hr.headers))
    await run_burst(runtime)
    [row] = await _log(client, world.hr, status="failed")
    assert row["last_error"] == "the organization has no active DingTalk app"

    back = {**off, "active": True}
    _ok(await client.put(INTEGRATION, json=back, headers=world.hr.headers))
    await run_burst(runtime)
    _todo_of(enabled.fake, task)
    [row] = await _log(client, world.hr)
    assert (row["status"], row["synced"], row["last_error"]) == ("sent", "open", None)


@pytest.mark.commits
async def test_a_person_the_directory_sync_links_gets_todos_for_their_open_tasks(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime
) -> None:
    open_task = await _task(runtime, world, world.junior, title="Junior's report")
    await run_burst(runtime)
    enabled.fake.users["junior-dt"] = {"userid": "junior-dt", "unionid": "union-junior-dt"}
    joined = {
        "EventType": "user_modify_org",
        "UserId": ["junior-dt"],
        "TimeStamp": str(int(runtime.clock.now().timestamp() * 1000)),
        # linked by the employee number the junior already has: no second employee
        "hrcore_users": [
            {"userid": "junior-dt", "name": "Junior", "job_number": world.junior.employee_number}
        ],
    }
    await _push(enabled, runtime, joined)
    assert (await _event(client, world.hr))["status"] == "applied"
    _, todo = _todo_of(enabled.fake, open_task)
    assert (todo.owner, todo.subject) == ("union-junior-dt", "Junior's report")

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

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.fake_dingtalk import fake_dingtalk
from tests.people.conftest import World, world
from tests.workflow.test_dingtalk_todos import (
    API,
    Ding,
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

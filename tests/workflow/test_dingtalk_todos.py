"""Tasks as DingTalk to-dos 「待办」 end to end: tasks created by a domain, the real outbox and
arq worker, the local DingTalk of `tests.fake_dingtalk` (its v1.0 to-do API), completions over
HTTP and to-dos ticked in DingTalk pushed as signed, encrypted callbacks."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core import links
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.i18n import N_, Text
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from hrcore.workflow import api as workflow
from hrcore.workflow.models import Task
from tests.factories import Account, make_employee, make_org, make_tree
from tests.fake_dingtalk import FakeDingTalk, fake_dingtalk
from tests.integrations.conftest import DingTalkSender, configure
from tests.people.conftest import World, world
from tests.workflow.conftest import make_task

__all__ = ["fake_dingtalk", "world"]
API = "/api/v1"
INTEGRATION = f"{API}/integrations/dingtalk"
TODOS = f"{API}/dingtalk-todos"
APP_KEY, APP_SECRET = "ding-todo-app", "todo-app-secret"
LINKS = "https://h5.example.com/#/open/{type}/{id}"
DUE = datetime.fromisoformat("2027-03-05T18:00:00+08:00")


@dataclass
class Ding:
    fake: FakeDingTalk
    sender: DingTalkSender


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _slug(engine: AsyncEngine, org_id: uuid.UUID) -> str:
    async with engine.connect() as connection:
        sql = text("SELECT slug FROM organizations WHERE id = :id")
        return str((await connection.execute(sql, {"id": org_id})).scalar_one())


async def _dingtalk_user(
    engine: AsyncEngine, fake: FakeDingTalk, employee: Employee, user_id: str
) -> None:
    """The employee is DingTalk user `user_id`, union id `union-<user_id>`."""
    async with engine.begin() as connection:
        sql = text("UPDATE employees SET dingtalk_user_id = :value WHERE id = :id")
        await connection.execute(sql, {"value": user_id, "id": employee.id})
    fake.users[user_id] = {"userid": user_id, "unionid": f"union-{user_id}", "name": user_id}


async def _enable(client: AsyncClient, hr: Account, engine: AsyncEngine) -> DingTalkSender:
    sender = await configure(client, hr, await _slug(engine, hr.org_id))
    body = {"receiver_id": sender.receiver_id, "app_key": APP_KEY, "app_secret": APP_SECRET}
    _ok(await client.put(INTEGRATION, json=body, headers=hr.headers))
    return sender


async def _make_due(engine: AsyncEngine) -> None:
    """Retries wait in the outbox (`available_at`, the database's clock): move them up."""
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE outbox_messages SET available_at = now() WHERE status = 'pending'")
        )


@pytest.fixture
async def ding(
    runtime: Runtime, world: World, owner_engine: AsyncEngine, fake_dingtalk: FakeDingTalk
) -> AsyncIterator[Ding]:
    """Before the app: DingTalk's APIs are the fake, links open the H5 micro-app; the member
    and the lead are DingTalk users, the junior is not."""
    original = runtime.settings
    runtime.settings = original.model_copy(
        update={
            "dingtalk_api_base": fake_dingtalk.base,
            "dingtalk_workflow_api_base": fake_dingtalk.base,
            "deep_link_template": LINKS,
        }
    )
    links.configure(LINKS)  # the tests' app is built once: as if built with the template
    fake_dingtalk.apps[APP_KEY] = APP_SECRET
    await _dingtalk_user(owner_engine, fake_dingtalk, world.member, "member-dt")
    await _dingtalk_user(owner_engine, fake_dingtalk, world.lead, "lead-dt")
    yield Ding(fake_dingtalk, None)  # type: ignore[arg-type]
    runtime.settings = original
    links.configure(original.deep_link_template)


@pytest.fixture
async def enabled(ding: Ding, client: AsyncClient, world: World, owner_engine: AsyncEngine) -> Ding:
    ding.sender = await _enable(client, world.hr, owner_engine)
    return ding


async def _task(runtime: Runtime, world: World, assignee: Employee, **options: Any) -> Task:
    return await make_task(runtime, world.hr.org_id, assignee, DUE, **options)


async def _log(client: AsyncClient, hr: Account, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = _ok(await client.get(TODOS, params=params, headers=hr.headers))[
        "items"
    ]
    return items


def _todo_of(fake: FakeDingTalk, task: Task) -> tuple[str, Any]:
    [(todo_id, todo)] = [(i, t) for i, t in fake.todos.items() if t.source_id == str(task.id)]
    return todo_id, todo


async def _push(ding: Ding, runtime: Runtime, event: dict[str, Any]) -> None:
    ding.sender.check_reply(await ding.sender.send(event))
    await run_burst(runtime)


async def _event(client: AsyncClient, hr: Account) -> dict[str, Any]:
    items = _ok(await client.get(f"{INTEGRATION}/events", headers=hr.headers))["items"]
    return dict(items[0])


@pytest.mark.commits
async def test_a_task_becomes_a_todo_that_opens_it_and_closes_when_completed(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime
) -> None:
    task = await _task(runtime, world, world.member, title="Reflection report")
    unmapped = await _task(runtime, world, world.junior)
    assert enabled.fake.todos == {}  # nothing reaches DingTalk inside the creating transaction

    await run_burst(runtime)
    todo_id, todo = _todo_of(enabled.fake, task)
    assert (todo.owner, todo.executors, todo.subject) == (
        "union-member-dt",
        ["union-member-dt"],
        "Reflection report",
    )
    assert todo.due_ms == int(DUE.timestamp() * 1000)
    [mine] = _ok(await client.get(f"{API}/me/tasks", headers=world.member_account.headers))["items"]
    assert mine["deep_link"] == f"https://h5.example.com/#/open/task/{task.id}"
    assert todo.app_url == todo.pc_url == mine["deep_link"]
    [row] = await _log(client, world.hr)
    assert (row["task_id"], row["todo_id"], row["status"], row["synced"]) == (
        str(task.id),
        todo_id,
        "sent",
        "open",
    )
    assert enabled.fake.todo_operators == ["union-member-dt"]  # operatorId: the assignee
    assert await _log(client, world.hr, task_id=str(unmapped.id)) == []  # not a DingTalk user

    completed = await client.post(
        f"{API}/tasks/{task.id}/complete", json={}, headers=world.member_account.headers
    )
    assert _ok(completed)["status"] == "completed"
    await run_burst(runtime)
    assert enabled.fake.todos[todo_id].done
    assert enabled.fake.todo_operators == ["union-member-dt"] * 2
    [row] = await _log(client, world.hr)
    assert (row["wanted"], row["synced"], row["status"]) == ("done", "done", "sent")
    refused = await client.get(TODOS, headers=world.member_account.headers)
    assert refused.status_code == 403


@pytest.mark.commits
async def test_the_title_is_in_the_assignees_language(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime
) -> None:
    _ok(
        await client.put(
            f"{API}/me/locale", json={"locale": "zh-CN"}, headers=world.member_account.headers
        )
    )
    task = await _task(
        runtime, world, world.member, title=Text(N_("Confirm your contract amendment"))
    )
    await run_burst(runtime)
    _todo_id, todo = _todo_of(enabled.fake, task)
    assert todo.subject == task.title != "Confirm your contract amendment"


@pytest.mark.commits
async def test_dingtalk_down_keeps_the_task_and_creates_the_todo_once_when_it_returns(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    enabled.fake.todo_failures = 2
    runtime.settings = runtime.settings.model_copy(update={"job_retry_base_seconds": 60})
    task = await _task(runtime, world, world.member)
    await run_burst(runtime)
    [row] = await _log(client, world.hr)
    assert (row["status"], row["attempts"], row["synced"]) == ("pending", 1, "none")
    assert "503" in row["last_error"]
    assert row["next_attempt_at"] is not None
    mine = _ok(await client.get(f"{API}/me/tasks", headers=world.member_account.headers))
    assert [t["id"] for t in mine["items"]] == [str(task.id)]  # still in hrcore meanwhile

    for _attempt in range(2):
        await _make_due(owner_engine)
        await run_burst(runtime)
    _todo_of(enabled.fake, task)
    [row] = await _log(client, world.hr)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 3, None)


@pytest.mark.commits
async def test_a_todo_dingtalk_keeps_refusing_is_failed_on_the_log(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    enabled.fake.todo_failures = 100
    await _task(runtime, world, world.member)
    for _attempt in range(8):
        await _make_due(owner_engine)
        await run_burst(runtime)
    [row] = await _log(client, world.hr, status="failed")
    assert (row["attempts"], row["synced"], row["next_attempt_at"]) == (8, "none", None)
    assert "ServiceUnavailable" in row["last_error"]
    assert enabled.fake.todos == {}


@pytest.mark.commits
async def test_a_retry_after_dingtalk_answered_creates_no_second_todo(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    enabled.fake.todo_lost_answers = 1
    runtime.settings = runtime.settings.model_copy(update={"job_retry_base_seconds": 60})
    task = await _task(runtime, world, world.member)
    await run_burst(runtime)
    todo_id, _todo = _todo_of(enabled.fake, task)  # created, but hrcore never heard of it
    [row] = await _log(client, world.hr)
    assert (row["status"], row["todo_id"]) == ("pending", None)

    await _make_due(owner_engine)
    await run_burst(runtime)
    assert len(enabled.fake.todos) == 1
    [row] = await _log(client, world.hr)
    assert (row["status"], row["todo_id"], row["synced"]) == ("sent", todo_id, "open")


@pytest.mark.commits
async def test_a_task_done_while_dingtalk_was_down_never_becomes_a_todo(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    enabled.fake.todo_failures = 1
    runtime.settings = runtime.settings.model_copy(update={"job_retry_base_seconds": 60})
    task = await _task(runtime, world, world.member)
    await run_burst(runtime)
    _ok(
        await client.post(
            f"{API}/tasks/{task.id}/complete", json={}, headers=world.member_account.headers
        )
    )
    await _make_due(owner_engine)
    await run_burst(runtime)
    assert enabled.fake.todos == {}
    [row] = await _log(client, world.hr)
    assert (row["wanted"], row["synced"], row["status"]) == ("done", "done", "sent")


@pytest.mark.commits
async def test_cancelling_deletes_the_todo_and_reassigning_moves_it(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime
) -> None:
    withdrawn = await _task(runtime, world, world.member)
    handed = await _task(runtime, world, world.member, title="Approve the budget")
    await run_burst(runtime)
    withdrawn_todo, _ = _todo_of(enabled.fake, withdrawn)
    handed_todo, _ = _todo_of(enabled.fake, handed)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await workflow.cancel_task(
            session, org_id=world.hr.org_id, task_id=withdrawn.id, clock=runtime.clock
        )
        # a step handed to someone else: the task is withdrawn and the new assignee gets one
        await workflow.cancel_open_tasks(
            session, org_id=world.hr.org_id, task_ids=[handed.id], clock=runtime.clock
        )
    moved = await _task(runtime, world, world.lead, title="Approve the budget")
    await run_burst(runtime)
    assert withdrawn_todo not in enabled.fake.todos
    assert handed_todo not in enabled.fake.todos
    _, todo = _todo_of(enabled.fake, moved)
    assert (todo.owner, todo.subject) == ("union-lead-dt", "Approve the budget")
    states = {
        row["task_id"]: (row["synced"], row["status"]) for row in await _log(client, world.hr)
    }
    assert states == {
        str(withdrawn.id): ("deleted", "sent"),
        str(handed.id): ("deleted", "sent"),
        str(moved.id): ("open", "sent"),
    }


@pytest.mark.commits
async def test_rescheduling_moves_the_todos_due_time(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime
) -> None:
    task = await _task(runtime, world, world.member)
    await run_burst(runtime)
    later = datetime.fromisoformat("2027-03-12T18:00:00+08:00")
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await workflow.reschedule_task(session, org_id=world.hr.org_id, task_id=task.id, due=later)
    await run_burst(runtime)
    todo_id, todo = _todo_of(enabled.fake, task)
    assert (todo.due_ms, todo.done) == (int(later.timestamp() * 1000), False)
    [row] = await _log(client, world.hr)
    assert (row["todo_id"], row["status"]) == (todo_id, "sent")
    assert datetime.fromisoformat(row["due_at"]) == later


@pytest.mark.commits
async def test_a_todo_ticked_in_dingtalk_completes_its_task_once(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime
) -> None:
    task = await _task(runtime, world, world.member)
    await run_burst(runtime)
    todo_id, _ = _todo_of(enabled.fake, task)
    ticked = enabled.fake.tick(todo_id)
    await _push(enabled, runtime, ticked)
    shown = _ok(await client.get(f"{API}/tasks/{task.id}", headers=world.hr.headers))
    assert (shown["status"], shown["on_time"]) == ("completed", True)
    event = await _event(client, world.hr)
    assert (event["event_type"], event["status"]) == ("todo_task_update", "applied")
    params = {"object_id": str(task.id), "action": "task.completed"}
    [audited] = _ok(
        await client.get(f"{API}/audit-events", params=params, headers=world.hr.headers)
    )["items"]
    assert audited["actor_id"] == str(world.member_account.user_id)  # the assignee ticked it
    assert audited["after"]["via"] == "dingtalk"
    assert enabled.fake.todos[todo_id].done  # left done: DingTalk already shows it
    [row] = await _log(client, world.hr)
    assert (row["wanted"], row["synced"], row["status"]) == ("done", "done", "sent")
    await _push(enabled, runtime, ticked)  # the same callback again: nothing more
    assert (
        len(_ok(await client.get(f"{INTEGRATION}/events", headers=world.hr.headers))["items"]) == 1
    )


@pytest.mark.commits
async def test_a_tick_never_bypasses_a_required_submission_the_todo_is_reopened(
    client: AsyncClient, world: World, enabled: Ding, runtime: Runtime
) -> None:
    task = await _task(runtime, world, world.member, kind="workflow.report")
    await run_burst(runtime)
    todo_id, _ = _todo_of(enabled.fake, task)
    await _push(enabled, runtime, enabled.fake.tick(todo_id))
    shown = _ok(await client.get(f"{API}/tasks/{task.id}", headers=world.hr.headers))
    assert shown["status"] == "open"
    event = await _event(client, world.hr)
    assert event["status"] == "ignored"
    assert "re-opened" in event["error"]
    assert not enabled.fake.todos[todo_id].done
    [row] = await _log(client, world.hr)
    assert (row["wanted"], row["synced"], row["status"]) == ("open", "open", "sent")


@pytest.mark.commits
async def test_a_todo_event_for_another_organizations_task_is_ignored(
    client: AsyncClient,
    world: World,
    enabled: Ding,
    runtime: Runtime,
    owner_engine: AsyncEngine,
) -> None:
    other = await make_org(runtime)
    tree = await make_tree(runtime, other.org_id)
    stranger = await make_employee(runtime, other.org_id, tree.sales, "Stranger")
    await _dingtalk_user(owner_engine, enabled.fake, stranger, "stranger-dt")
    await _enable(client, other, owner_engine)
    foreign = await make_task(runtime, other.org_id, stranger, DUE)
    await run_burst(runtime)
    todo_id, _ = _todo_of(enabled.fake, foreign)

    await _push(enabled, runtime, enabled.fake.tick(todo_id))  # to this organization's callback
    event = await _event(client, world.hr)
    assert (event["status"], event["error"]) == ("ignored", "No task of this organization has it")
    shown = _ok(await client.get(f"{API}/tasks/{foreign.id}", headers=other.headers))
    assert shown["status"] == "open"


@pytest.mark.commits
async def test_without_an_app_no_todo_is_made(
    client: AsyncClient, world: World, ding: Ding, runtime: Runtime
) -> None:
    await _task(runtime, world, world.member)
    await run_burst(runtime)
    assert ding.fake.todos == {}
    assert await _log(client, world.hr) == []

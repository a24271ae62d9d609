"""The worker's side of DingTalk to-dos (the `workflow.sync_todo` job): bring what DingTalk
shows (`synced`) to what hrcore wants (`wanted`), once, whatever the retries.

The to-do row is locked while DingTalk is called, so a change of its task waits and then
queues its own run. Creating is idempotent at DingTalk: the `sourceId` is the task id, and
a retry after DingTalk created the to-do but its answer was lost gets "task exist" — the
to-do is then found among the person's to-dos by that source id, never created twice. A
to-do never created needs no closing: a task done or cancelled while DingTalk was down just
records that. Progress (the union id, DingTalk's to-do id) is kept as it is learnt.

A failed attempt is logged on the row (`attempts`, `last_error`) and retried by a new
outbox job after `job_retry_base_seconds` × 2^(attempt − 1); after `MAX_ATTEMPTS` it is
`failed`, where `GET /dingtalk-todos` shows it. The task itself never waits for DingTalk: it
is in hrcore's inbox and task lists from its creation.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels.api import AlreadyExists, DingTalkError, NewTodo, Todos
from hrcore.core import outbox
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.delivery import ERROR_LIMIT
from hrcore.core.links import deep_link
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.resilience import retry_delay
from hrcore.identity import api as identity
from hrcore.integrations import api as integrations
from hrcore.workflow import repository
from hrcore.workflow.models import TASK_LINK, Task, TaskTodo
from hrcore.workflow.todos import DONE, OPEN, SYNC_JOB

MAX_ATTEMPTS = 8
"""Attempts at one change of a to-do before it is `failed`."""
NO_APP = "the organization has no active DingTalk app"


async def sync_todo(
    session: AsyncSession,
    org_id: uuid.UUID,
    row_id: uuid.UUID,
    *,
    config: integrations.CallbackConfig,
    retry_base_seconds: float,
    clock: Clock,
) -> None:
    """One attempt at the to-do's pending change; logs it on the row."""
    todo = await repository.todo_for_sync(session, org_id, row_id)
    if todo is None or todo.status != "pending":
        return
    task = await repository.task_by_id(session, org_id, todo.task_id)
    if task is None:
        return
    now = clock.now()
    link = deep_link(TASK_LINK, task.id, org_id, await identity.link_org_slug(session, org_id))
    todo.attempts += 1
    todo.last_attempt_at, todo.next_attempt_at = now, None
    async with integrations.todos_of(session, org_id, config) as todos:
        if todos is None:
            todo.status, todo.last_error = "failed", NO_APP
            return
        try:
            await _reconcile(todos, todo, task, link)
        except DingTalkError as exc:
            todo.last_error = str(exc)[:ERROR_LIMIT]
            if todo.attempts >= MAX_ATTEMPTS:
                todo.status = "failed"
                return
            todo.next_attempt_at = now + timedelta(
                seconds=retry_delay(retry_base_seconds, todo.attempts)
            )
            outbox.enqueue(
                session,
                SYNC_JOB,
                {"todo_id": str(todo.id)},
                org_id=org_id,
                not_before=todo.next_attempt_at,
            )
            return
    todo.status, todo.sent_at, todo.last_error = "sent", now, None


async def _reconcile(todos: Todos, todo: TaskTodo, task: Task, link: str) -> None:
    if todo.synced == "none" and todo.wanted != OPEN:
        todo.synced = todo.wanted  # never created: nothing to close
        return
    if todo.synced == "deleted" or (
        todo.synced == todo.wanted and (todo.wanted != OPEN or todo.due_at == task.due_at)
    ):
        return
    if todo.union_id is None:
        todo.union_id = await todos.union_id(todo.dingtalk_user_id)
        if todo.union_id is None:
            raise DingTalkError(f"DingTalk knows no user {todo.dingtalk_user_id!r}")
    if todo.synced == "none":
        todo.todo_id = await _create(todos, todo.union_id, task, link)
    elif todo.todo_id is None:
        raise DingTalkError("the to-do's DingTalk id is unknown")
    elif todo.wanted == "deleted":
        await todos.delete(todo.union_id, todo.todo_id)
    elif todo.wanted == DONE:
        await todos.update(todo.union_id, todo.todo_id, done=True)
    else:
        due_ms = int(task.due_at.timestamp() * 1000)
        await todos.update(todo.union_id, todo.todo_id, done=False, dueTime=due_ms)
    todo.synced = todo.wanted
    if todo.wanted == OPEN:
        todo.due_at = task.due_at


async def _create(todos: Todos, union_id: str, task: Task, link: str) -> str:
    """The to-do of `task` at DingTalk, created now or found when an earlier try created it."""
    new = NewTodo(
        source_id=str(task.id),
        subject=task.title,
        due=task.due_at,
        link=link,
    )
    try:
        return await todos.create(union_id, new)
    except AlreadyExists:
        found = await todos.find(union_id, new.source_id)
        if found is None:
            raise
        return found


async def delivery_log(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    status: str | None,
    task_id: uuid.UUID | None,
) -> tuple[list[TaskTodo], str | None]:
    """The organization's to-dos, newest first (HR admins)."""
    require_hr_admin(principal)
    statement = repository.todos_query(principal.org_id, status=status, task_id=task_id)
    return await paginate(session, statement, [TaskTodo.id], page, descending=True)

"""Tasks as DingTalk to-dos 「待办」: which tasks get one, and telling the worker when a task
moved on or was rescheduled. Nothing here calls DingTalk: the request writes a `task_todos`
row and an outbox job in its own transaction, and the worker (`todo_sync`) makes the calls.

A task gets a to-do when its organization's DingTalk integration is active with an app and
its assignee is a DingTalk user (`dingtalk_user_id`); tasks opened before either get theirs
from the backfill (`todo_backfill`), through `open_missing`. Completing it asks for the
to-do done, cancelling it (withdrawn, or handed to someone else: a delegated approval step
is a cancelled task and a new one) for the to-do deleted; a new assignee's task gets its
own.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import outbox
from hrcore.core.db import insert_all, insert_new
from hrcore.core.models import new_id
from hrcore.integrations import api as integrations
from hrcore.people import api as people
from hrcore.workflow import repository
from hrcore.workflow.models import TaskTodo

SYNC_JOB = "workflow.sync_todo"
OPEN, DONE, DELETED = "open", "done", "deleted"


def queue(session: AsyncSession, org_id: uuid.UUID, row_ids: Sequence[uuid.UUID]) -> None:
    """Hand these pending to-do rows to the worker (`workflow.sync_todo`, one job each)."""
    for row_id in row_ids:
        outbox.enqueue(session, SYNC_JOB, {"todo_id": str(row_id)}, org_id=org_id)


async def open_todos(
    session: AsyncSession, org_id: uuid.UUID, tasks: Sequence[dict[str, Any]]
) -> None:
    """New tasks (their rows as inserted) become to-dos where they can: one statement for an
    organization without a DingTalk app, three with one, however many tasks."""
    if not tasks or not await integrations.has_app(session, org_id):
        return
    rows = await _rows(session, org_id, tasks)
    if rows:
        await insert_all(session, TaskTodo, rows)
        queue(session, org_id, [row["id"] for row in rows])


async def open_missing(
    session: AsyncSession, org_id: uuid.UUID, tasks: Sequence[dict[str, Any]]
) -> int:
    """Existing open tasks without a to-do get one where their assignee is a DingTalk user
    (the caller checked the app); a task that got one meanwhile keeps it. How many were
    added."""
    rows = await _rows(session, org_id, tasks)
    added = await insert_new(
        session, TaskTodo, rows, unique=("org_id", "task_id"), returning=[TaskTodo.id]
    )
    queue(session, org_id, [row_id for (row_id,) in added])
    return len(added)


async def _rows(
    session: AsyncSession, org_id: uuid.UUID, tasks: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A pending to-do row per task whose assignee is a DingTalk user: one statement."""
    assignees = list({task["assignee_employee_id"] for task in tasks})
    contacts = await people.dingtalk_contacts(session, org_id, assignees)
    return [
        {
            "id": new_id(),
            "org_id": org_id,
            "task_id": task["id"],
            "dingtalk_user_id": contact.dingtalk_user_id,
            "wanted": OPEN,
            "synced": "none",
            "status": "pending",
            "attempts": 0,
        }
        for task in tasks
        if (contact := contacts.get(task["assignee_employee_id"])) is not None
        and contact.dingtalk_user_id
    ]


async def want(
    session: AsyncSession, org_id: uuid.UUID, task_ids: Sequence[uuid.UUID], wanted: str
) -> None:
    """These tasks moved on: their to-dos (those that have one) should show `wanted`."""
    queue(session, org_id, await repository.want_todos(session, org_id, task_ids, wanted))


async def retimed(session: AsyncSession, org_id: uuid.UUID, task_id: uuid.UUID) -> None:
    """The task has a new due time: its open to-do is moved to it."""
    queue(session, org_id, await repository.reopen_open_todos(session, org_id, [task_id]))


def resync(session: AsyncSession, todo: TaskTodo, *, synced: str) -> None:
    """DingTalk shows `synced` now (the person ticked the to-do): the worker brings it back
    to what hrcore wants."""
    todo.synced = synced
    for column, value in repository.REOPENED.items():
        setattr(todo, column, value)
    queue(session, todo.org_id, [todo.id])

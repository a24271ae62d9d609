"""Queries of tasks, task actions and policy defaults. Tenant tables are also under RLS."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Result,
    Row,
    Select,
    Table,
    Text,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy import cast as cast_
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among, fetch, insert_new
from hrcore.workflow.models import Task, TaskAction, TaskPolicyDefaults, TaskTodo


async def cancel_open(
    session: AsyncSession, org_id: uuid.UUID, task_ids: Sequence[uuid.UUID], now: datetime
) -> list[uuid.UUID]:
    """Cancel the open ones of these tasks in one UPDATE; returns their ids. `Task` objects
    the session holds are updated too (the criteria are evaluated in Python)."""
    if not task_ids:
        return []
    result = await session.execute(
        update(Task)
        .where(Task.org_id == org_id, Task.id.in_(list(task_ids)), Task.status == "open")
        .values(status="cancelled", cancelled_at=now, next_action_at=None, version=Task.version + 1)
        .returning(Task.id)
        .execution_options(synchronize_session="evaluate")
    )
    return list(result.scalars())


async def task_by_id(
    session: AsyncSession, org_id: uuid.UUID, task_id: uuid.UUID, *, for_update: bool = False
) -> Task | None:
    statement = select(Task).where(Task.org_id == org_id, Task.id == task_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


TASK_COLUMNS = (
    "SELECT t.id, t.subject_type, t.subject_id, t.kind, t.title, t.assignee_employee_id,"
    " e.full_name AS assignee_name, t.department_id, d.name AS department_name, t.due_at,"
    " t.status, t.completed_at, t.on_time, t.submission_required, t.submission_rule,"
    " t.completion_params, t.subject_employee_id, s.full_name AS subject_employee_name,"
    " t.confidential, t.submission, t.policy, t.created_at, t.version"
    " FROM tasks t JOIN employees e ON e.id = t.assignee_employee_id AND e.org_id = t.org_id"
    " JOIN departments d ON d.id = t.department_id AND d.org_id = t.org_id"
    " LEFT JOIN employees s ON s.id = t.subject_employee_id AND s.org_id = t.org_id"
)
"""A task's columns with its assignee's, department's and subject employee's names, joined
in the statement."""


@functools.cache
def assignee_tasks_sql(kind: bool, status: bool, due_before: bool, after: bool) -> str:
    """One assignee's tasks, soonest due first, with the filters given (each variant written
    once and prepared once per connection). Parameters: org, assignee, limit, then kind,
    status, due_before and the cursor's (due_at, id), those present, in that order."""
    conditions = ["t.org_id = $1", "t.assignee_employee_id = $2"]
    for column, given in (
        ("t.kind = ", kind),
        ("t.status = ", status),
        ("t.due_at < ", due_before),
    ):
        if given:
            conditions.append(f"{column}${len(conditions) + 2}")
    if after:
        due, task_id = len(conditions) + 2, len(conditions) + 3
        conditions.append(f"(t.due_at > ${due} OR (t.due_at = ${due} AND t.id > ${task_id}))")
    return f"{TASK_COLUMNS} WHERE {' AND '.join(conditions)} ORDER BY t.due_at, t.id LIMIT $3"


NAMES = (
    "SELECT id, full_name AS name FROM employees WHERE org_id = $1 AND id = ANY($2::uuid[])"
    " UNION ALL SELECT id, name FROM departments WHERE org_id = $1 AND id = ANY($3::uuid[])"
)


async def names(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Collection[uuid.UUID],
    department_ids: Collection[uuid.UUID],
) -> dict[uuid.UUID, str]:
    """Names of the tasks' people and departments, in one statement (ids are unique across
    both tables)."""
    rows = await fetch(session, NAMES, org_id, list(employee_ids), list(department_ids))
    return {row["id"]: row["name"] for row in rows}


async def assignee_tasks(
    session: AsyncSession,
    org_id: uuid.UUID,
    assignee_id: uuid.UUID,
    *,
    kind: str | None,
    status: str | None,
    due_before: datetime | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[Any]:
    sql = assignee_tasks_sql(
        kind is not None, status is not None, due_before is not None, after is not None
    )
    given = [value for value in (kind, status, due_before) if value is not None]
    return await fetch(session, sql, org_id, assignee_id, limit, *given, *(after or ()))


def tasks_query(
    org_id: uuid.UUID,
    *,
    confidential_of: uuid.UUID | bool | None = True,
    assignee_ids: Collection[uuid.UUID] | None = None,
    assignee_employee_id: uuid.UUID | None = None,
    subject_type: str | None = None,
    subject_id: uuid.UUID | None = None,
    kind: str | None = None,
    status: str | None = None,
    department_id: uuid.UUID | None = None,
    due_before: datetime | None = None,
    overdue_at: datetime | None = None,
    not_overdue_at: datetime | None = None,
) -> Select[Any]:
    """Tasks of the org matching every given filter. `assignee_ids` are the ids in reach;
    `confidential_of` keeps confidential tasks (True), drops them (False or None) or keeps
    only those of one assignee (an employee id)."""
    statement = select(Task).where(Task.org_id == org_id)
    if confidential_of is not True:
        shown: ColumnElement[bool] = Task.confidential.is_(False)
        if isinstance(confidential_of, uuid.UUID):
            shown = shown | (Task.assignee_employee_id == confidential_of)
        statement = statement.where(shown)
    if assignee_ids is not None:
        statement = statement.where(among(Task.assignee_employee_id, assignee_ids))
    if assignee_employee_id is not None:
        statement = statement.where(Task.assignee_employee_id == assignee_employee_id)
    if subject_type is not None:
        statement = statement.where(Task.subject_type == subject_type)
    if subject_id is not None:
        statement = statement.where(Task.subject_id == subject_id)
    if kind is not None:
        statement = statement.where(Task.kind == kind)
    if status is not None:
        statement = statement.where(Task.status == status)
    if department_id is not None:
        statement = statement.where(Task.department_id == department_id)
    if due_before is not None:
        statement = statement.where(Task.due_at < due_before)
    if overdue_at is not None:
        statement = statement.where(Task.status == "open", Task.due_at < overdue_at)
    if not_overdue_at is not None:
        statement = statement.where((Task.status != "open") | (Task.due_at >= not_overdue_at))
    return statement


async def tasks_of_subjects(
    session: AsyncSession, org_id: uuid.UUID, subject_type: str, subject_ids: Sequence[uuid.UUID]
) -> list[Task]:
    rows = await session.scalars(
        select(Task)
        .where(
            Task.org_id == org_id,
            Task.subject_type == subject_type,
            Task.subject_id.in_(list(subject_ids)),
        )
        .order_by(Task.created_at, Task.id)
    )
    return list(rows)


DUE_COLUMNS = (
    Task.id,
    Task.subject_type,
    Task.subject_id,
    Task.kind,
    Task.title,
    Task.assignee_employee_id,
    Task.due_at,
    Task.status,
    Task.on_time,
    Task.schedule,
    Task.handled_until,
    Task.confidential,
)


async def due_for_action(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, limit: int
) -> list[Row[Any]]:
    """Open tasks whose next action is due, oldest first, locked; rows another sweep holds
    are skipped. Served by the partial index `ix_tasks_next_action`.

    Plain rows (`DUE_COLUMNS` and `policy` as its JSON text), not entities: the sweep reads
    thousands and most share a policy, which the caller then parses once.
    """
    statement = (
        select(*DUE_COLUMNS, cast_(Task.policy, Text).label("policy"))
        .where(Task.org_id == org_id, Task.status == "open", Task.next_action_at <= now)
        .order_by(Task.next_action_at)
        .limit(limit)
        .with_for_update(of=Task, skip_locked=True)
    )
    result: Result[Any] = await session.execute(statement)
    return list(result.all())


async def record_actions(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> set[tuple[uuid.UUID, str, str]]:
    """Insert action rows, skipping those already recorded; returns the new (task, kind,
    window) keys — the only ones to notify about."""
    new = await insert_new(
        session,
        TaskAction,
        rows,
        unique=["org_id", "task_id", "kind", "window"],
        returning=[TaskAction.task_id, TaskAction.kind, TaskAction.window],
    )
    return {(task_id, kind, window) for task_id, kind, window in new}


async def actions_of(
    session: AsyncSession, org_id: uuid.UUID, task_ids: Sequence[uuid.UUID]
) -> list[TaskAction]:
    statement = (
        select(TaskAction)
        .where(TaskAction.org_id == org_id, TaskAction.task_id.in_(list(task_ids)))
        .order_by(TaskAction.window_at, TaskAction.id)
    )
    return list((await session.scalars(statement)).all())


async def policy_defaults(session: AsyncSession, org_id: uuid.UUID) -> TaskPolicyDefaults | None:
    return await session.scalar(
        select(TaskPolicyDefaults).where(TaskPolicyDefaults.org_id == org_id)
    )


async def mark_swept(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Record the sweep's progress on many tasks in one UPDATE over arrays.

    Rows carry `task_id`, `handled_until` and `next_action_at`; the sweep holds their locks.
    One statement whatever the batch size (an executemany is a round of work per row).
    """
    if not rows:
        return
    tasks = cast(Table, Task.__table__)
    progress = select(
        func.unnest(bindparam("ids", type_=ARRAY(tasks.c.id.type))).label("task_id"),
        func.unnest(bindparam("handled", type_=ARRAY(tasks.c.handled_until.type))).label(
            "handled_until"
        ),
        func.unnest(bindparam("next", type_=ARRAY(tasks.c.next_action_at.type))).label(
            "next_action_at"
        ),
    ).subquery("progress")
    await session.execute(
        update(tasks)
        .where(tasks.c.id == progress.c.task_id)
        .values(
            handled_until=progress.c.handled_until,
            next_action_at=progress.c.next_action_at,
            version=tasks.c.version + 1,
        ),
        {
            "ids": [row["task_id"] for row in rows],
            "handled": [row["handled_until"] for row in rows],
            "next": [row["next_action_at"] for row in rows],
        },
    )


ON_THE_CALENDAR = (
    "SELECT id, due_at, handled_until, next_action_at, policy::text AS policy FROM tasks"
    " WHERE org_id = $1 AND status = 'open' AND next_action_at IS NOT NULL"
    " AND greatest(due_at, next_action_at) >= $2"
    " AND (policy->'reminder'->>'days_are' = 'working'"
    " OR policy->'escalation'->>'days_are' = 'working'"
    " OR coalesce((policy->'reminder'->>'hold_on_non_working_days')::boolean, true)"
    " OR coalesce((policy->'escalation'->>'hold_on_non_working_days')::boolean, true))"
)
"""Open tasks with an action to come whose windows count on the calendar (working days,
or held over days off; a policy stored before those options holds) and whose due time or
next action is on or after the given instant: a day later than both moves nothing."""


async def planned_on_calendar(
    session: AsyncSession, org_id: uuid.UUID, since: datetime
) -> list[Any]:
    """The open tasks a calendar change from `since` on may move, in one statement."""
    return await fetch(session, ON_THE_CALENDAR, org_id, since)


REPLAN = (
    "UPDATE tasks SET handled_until = plan.handled_until, next_action_at = plan.next_action_at"
    " FROM unnest($2::uuid[], $3::timestamptz[], $4::timestamptz[])"
    " AS plan(id, handled_until, next_action_at)"
    " WHERE tasks.org_id = $1 AND tasks.id = plan.id AND tasks.status = 'open'"
    " RETURNING tasks.id"
)
"""New plans in one statement; a task completed or cancelled meanwhile keeps none."""


async def replan(
    session: AsyncSession,
    org_id: uuid.UUID,
    plans: Sequence[tuple[uuid.UUID, datetime | None, datetime | None]],
) -> None:
    """Set (task id, handled_until, next_action_at) of many tasks at once."""
    if plans:
        ids, handled, upcoming = zip(*plans, strict=True)
        await fetch(session, REPLAN, org_id, list(ids), list(handled), list(upcoming))


# --- DingTalk to-dos ----------------------------------------------------------------------


async def want_todos(
    session: AsyncSession, org_id: uuid.UUID, task_ids: Sequence[uuid.UUID], wanted: str
) -> list[uuid.UUID]:
    """Ask these tasks' to-dos to show `wanted` (one UPDATE, however many tasks): each that
    did not already is re-opened for the worker; their ids."""
    if not task_ids:
        return []
    result = await session.execute(
        update(TaskTodo)
        .where(
            TaskTodo.org_id == org_id,
            TaskTodo.task_id.in_(list(task_ids)),
            TaskTodo.wanted != wanted,
        )
        .values(**REOPENED, wanted=wanted)
        .returning(TaskTodo.id)
        .execution_options(synchronize_session=False)
    )
    return list(result.scalars())


async def reopen_open_todos(
    session: AsyncSession, org_id: uuid.UUID, task_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """These tasks changed (a new due time): their open to-dos go back to the worker."""
    result = await session.execute(
        update(TaskTodo)
        .where(
            TaskTodo.org_id == org_id,
            TaskTodo.task_id.in_(list(task_ids)),
            TaskTodo.wanted == "open",
        )
        .values(**REOPENED)
        .returning(TaskTodo.id)
        .execution_options(synchronize_session=False)
    )
    return list(result.scalars())


async def open_tasks_without_todo(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    assignee: uuid.UUID | None,
    after: uuid.UUID | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Open tasks that have no to-do row (created before the app, or before their assignee
    was a DingTalk user), in id order after `after`: `id` and `assignee_employee_id`."""
    has_todo = (
        select(TaskTodo.id).where(TaskTodo.org_id == org_id, TaskTodo.task_id == Task.id).exists()
    )
    statement = select(Task.id, Task.assignee_employee_id).where(
        Task.org_id == org_id, Task.status == "open", ~has_todo
    )
    if assignee is not None:
        statement = statement.where(Task.assignee_employee_id == assignee)
    if after is not None:
        statement = statement.where(Task.id > after)
    result = await session.execute(statement.order_by(Task.id).limit(limit))
    return [dict(row._mapping) for row in result]


async def reopen_failed(session: AsyncSession, org_id: uuid.UUID, error: str) -> list[uuid.UUID]:
    """The organization's to-dos that failed with `error` go back to the worker; their ids."""
    result = await session.execute(
        update(TaskTodo)
        .where(TaskTodo.org_id == org_id, TaskTodo.status == "failed", TaskTodo.last_error == error)
        .values(**REOPENED)
        .returning(TaskTodo.id)
        .execution_options(synchronize_session=False)
    )
    return list(result.scalars())


REOPENED: dict[str, Any] = {
    "status": "pending",
    "attempts": 0,
    "last_error": None,
    "next_attempt_at": None,
}
"""A to-do's delivery started over: what a change of the task (or of DingTalk) writes."""


async def todo_for_sync(
    session: AsyncSession, org_id: uuid.UUID, row_id: uuid.UUID
) -> TaskTodo | None:
    """The to-do row, locked: a change of its task waits until the worker's call is done."""
    return await session.scalar(
        select(TaskTodo).where(TaskTodo.org_id == org_id, TaskTodo.id == row_id).with_for_update()
    )


async def todo_by_dingtalk_id(
    session: AsyncSession, org_id: uuid.UUID, todo_id: str
) -> TaskTodo | None:
    """The organization's to-do row DingTalk calls `todo_id`, locked."""
    return await session.scalar(
        select(TaskTodo)
        .where(TaskTodo.org_id == org_id, TaskTodo.todo_id == todo_id)
        .with_for_update()
    )


def todos_query(org_id: uuid.UUID, *, status: str | None, task_id: uuid.UUID | None) -> Any:
    """The organization's to-do delivery log, filtered."""
    statement = select(TaskTodo).where(TaskTodo.org_id == org_id)
    if status is not None:
        statement = statement.where(TaskTodo.status == status)
    if task_id is not None:
        statement = statement.where(TaskTodo.task_id == task_id)
    return statement

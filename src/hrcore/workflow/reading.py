"""Reading tasks: one, the caller's own, everyone's in the caller's reach, and the tasks of
another domain's objects; the view callers get of a task."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.links import deep_link
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor, paginate
from hrcore.identity import api as identity
from hrcore.workflow import access, kinds, repository
from hrcore.workflow.models import TASK_LINK, Task
from hrcore.workflow.policies import task_policy
from hrcore.workflow.schemas import SubjectRef, Submission, TaskOut, TaskStatus


@dataclass(frozen=True)
class TaskFilters:
    subject_type: str | None = None
    subject_id: uuid.UUID | None = None
    kind: str | None = None
    status: TaskStatus | None = None
    assignee_employee_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    overdue: bool | None = None
    due_before: datetime | None = None


def task_view(
    task: Task, now: datetime, names: Mapping[uuid.UUID, str], org_slug: str | None = None
) -> TaskOut:
    """The task as shown; `names` holds its assignee's and department's (`task_names`),
    `org_slug` what its deep link carries (`identity.link_org_slug`)."""
    status: TaskStatus = task.status  # type: ignore[assignment]
    return TaskOut.model_validate(
        {
            "id": task.id,
            "subject": SubjectRef(type=task.subject_type, id=task.subject_id),
            "kind": task.kind,
            "title": task.title,
            "assignee_employee_id": task.assignee_employee_id,
            "assignee": _ref(task.assignee_employee_id, names),
            "department_id": task.department_id,
            "department": _ref(task.department_id, names),
            "subject_employee": (
                _ref(task.subject_employee_id, names)
                if task.subject_employee_id is not None and task.subject_employee_id in names
                else None
            ),
            "completed_by": kinds.completion_json(
                task.kind, task.id, task.subject_id, task.completion_params
            ),
            "submission_rule": kinds.rule_json(
                task.kind, task.submission_required, task.submission_rule
            ),
            "due_at": task.due_at,
            "status": status,
            "overdue": task.status == "open" and task.due_at < now,
            "completed_at": task.completed_at,
            "on_time": task.on_time,
            "submission_required": task.submission_required,
            "confidential": task.confidential,
            "submission": Submission.model_validate(task.submission) if task.submission else None,
            "policy": task_policy(task),
            "deep_link": deep_link(TASK_LINK, task.id, task.org_id, org_slug),
            "created_at": task.created_at,
            "version": task.version,
        }
    )


def _ref(ref_id: uuid.UUID, names: Mapping[uuid.UUID, str]) -> dict[str, Any]:
    return {"id": ref_id, "name": names[ref_id]}


async def task_names(
    session: AsyncSession, org_id: uuid.UUID, tasks: Sequence[Task]
) -> dict[uuid.UUID, str]:
    """The names the tasks show (assignees, subject employees, departments), one statement
    for any number."""
    if not tasks:
        return {}
    people = {task.assignee_employee_id for task in tasks}
    people |= {task.subject_employee_id for task in tasks if task.subject_employee_id}
    return await repository.names(session, org_id, people, {task.department_id for task in tasks})


async def task_views(
    session: AsyncSession, org_id: uuid.UUID, tasks: Sequence[Task], now: datetime
) -> list[TaskOut]:
    names = await task_names(session, org_id, tasks)
    slug = await identity.link_org_slug(session, org_id)
    return [task_view(task, now, names, slug) for task in tasks]


async def get_task(session: AsyncSession, principal: Principal, task_id: uuid.UUID) -> Task:
    return await access.task_in_reach(session, principal, task_id)


def _query(
    org_id: uuid.UUID,
    filters: TaskFilters,
    now: datetime,
    visible: list[uuid.UUID] | None,
    *,
    confidential_of: uuid.UUID | bool | None = True,
) -> Select[Any]:
    """`confidential_of`: True lists confidential tasks, False none, an employee id only
    that employee's own."""
    return repository.tasks_query(
        org_id,
        confidential_of=confidential_of,
        assignee_ids=visible,
        assignee_employee_id=filters.assignee_employee_id,
        subject_type=filters.subject_type,
        subject_id=filters.subject_id,
        kind=filters.kind,
        status=filters.status,
        department_id=filters.department_id,
        due_before=filters.due_before,
        overdue_at=now if filters.overdue is True else None,
        not_overdue_at=now if filters.overdue is False else None,
    )


async def my_tasks_page(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    filters: TaskFilters,
    now: datetime,
) -> Page[TaskOut]:
    """The caller's own tasks, soonest due first: rows straight from the driver to the page
    (the mobile app's most frequent read)."""
    employee_id = own_employee_id(principal)
    after = decode_cursor(page.cursor, [datetime, uuid.UUID]) if page.cursor else None
    slug = await identity.link_org_slug(session, principal.org_id)
    rows = await repository.assignee_tasks(
        session,
        principal.org_id,
        employee_id,
        kind=filters.kind,
        status=filters.status,
        due_before=filters.due_before,
        after=after,
        limit=page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["due_at", "id"], page)
    items = [
        {
            "id": row["id"],
            "subject": {"type": row["subject_type"], "id": row["subject_id"]},
            "kind": row["kind"],
            "title": row["title"],
            "assignee_employee_id": row["assignee_employee_id"],
            "assignee": {"id": row["assignee_employee_id"], "name": row["assignee_name"]},
            "department_id": row["department_id"],
            "department": {"id": row["department_id"], "name": row["department_name"]},
            "subject_employee": (
                {"id": row["subject_employee_id"], "name": row["subject_employee_name"]}
                if row["subject_employee_name"] is not None
                else None
            ),
            "completed_by": kinds.completion_json(
                row["kind"], row["id"], row["subject_id"], row["completion_params"]
            ),
            "submission_rule": kinds.rule_json(
                row["kind"], row["submission_required"], row["submission_rule"]
            ),
            "due_at": row["due_at"],
            "status": row["status"],
            "overdue": row["status"] == "open" and row["due_at"] < now,
            "completed_at": row["completed_at"],
            "on_time": row["on_time"],
            "submission_required": row["submission_required"],
            "confidential": row["confidential"],
            "submission": row["submission"] or None,
            "policy": row["policy"],
            "deep_link": deep_link(TASK_LINK, row["id"], principal.org_id, slug),
            "created_at": row["created_at"],
            "version": row["version"],
        }
        for row in shown
    ]
    return Page[TaskOut].model_validate({"items": items, "next_cursor": cursor})


async def list_tasks(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    filters: TaskFilters,
    now: datetime,
) -> tuple[list[Task], str | None]:
    """Tasks of everyone the caller may see (HR: the organization), soonest due first;
    confidential ones only to their assignee and HR auditors. Integration keys need
    `org:read`, and `reviews:read` to see review tasks."""
    reach = await access.list_reach(session, principal)
    statement = _query(
        principal.org_id, filters, now, reach.assignee_ids, confidential_of=reach.confidential_of
    )
    if not reach.review_tasks:
        statement = statement.where(
            ~Task.subject_type.startswith(access.REVIEW_SUBJECT_PREFIX, autoescape=True)
        )
    return await paginate(session, statement, [Task.due_at, Task.id], page)


async def task_status(session: AsyncSession, org_id: uuid.UUID, task_id: uuid.UUID) -> str | None:
    """For domains that settle their own tasks: open, completed, cancelled (None: unknown)."""
    task = await repository.task_by_id(session, org_id, task_id)
    return task.status if task is not None else None


async def tasks_of_subjects(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    subject_type: str,
    subject_ids: Sequence[uuid.UUID],
) -> list[Task]:
    """Tasks of many objects of one domain in one query, oldest first (the caller checked
    reach)."""
    if not subject_ids:
        return []
    return await repository.tasks_of_subjects(session, org_id, subject_type, subject_ids)

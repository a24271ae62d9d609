"""Tasks: mine, one, complete, all in my scope; the organization's policy defaults; the
DingTalk to-dos' delivery log."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AfterValidator

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.i18n import _
from hrcore.core.pagination import Page
from hrcore.core.responses import problem
from hrcore.core.schemas import BoundedDatetime
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.workflow import kinds, lifecycle, policies, reading, todo_sync
from hrcore.workflow.kinds import DeclaredKind
from hrcore.workflow.reading import TaskFilters
from hrcore.workflow.schemas import (
    TaskCompletion,
    TaskOut,
    TaskPolicyDefaultsIn,
    TaskPolicyDefaultsOut,
    TaskStatus,
    TodoDeliveryOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["tasks"])

StatusFilter = Annotated[TaskStatus | None, Query(description="Only tasks in this status.")]


def _declared(kind: str) -> str:
    if kind not in kinds.declared():
        raise ValueError(_("not a task kind (the enum lists them)"))
    return kind


KindFilter = Annotated[
    Annotated[DeclaredKind, AfterValidator(_declared)] | None,
    Query(description="Only tasks of this kind (422 for one no domain declares)."),
]
DueBefore = Annotated[
    BoundedDatetime | None, Query(description="Due strictly before this instant (ISO 8601).")
]


async def _my_filters(
    status: StatusFilter = None, kind: KindFilter = None, due_before: DueBefore = None
) -> TaskFilters:
    return TaskFilters(status=status, kind=kind, due_before=due_before)


async def _filters(
    status: StatusFilter = None,
    kind: KindFilter = None,
    due_before: DueBefore = None,
    subject_type: Annotated[
        str | None, Query(max_length=64, description="Owning object's type.")
    ] = None,
    subject_id: Annotated[uuid.UUID | None, Query(description="Owning object's id.")] = None,
    assignee_employee_id: Annotated[uuid.UUID | None, Query()] = None,
    department_id: Annotated[
        uuid.UUID | None, Query(description="The assignee's department when assigned.")
    ] = None,
    overdue: Annotated[
        bool | None, Query(description="true: open and past due; false: the others.")
    ] = None,
) -> TaskFilters:
    return TaskFilters(
        status=status,
        kind=kind,
        due_before=due_before,
        subject_type=subject_type,
        subject_id=subject_id,
        assignee_employee_id=assignee_employee_id,
        department_id=department_id,
        overdue=overdue,
    )


@router.get("/me/tasks", operation_id="list_my_tasks", summary="My tasks, soonest due first")
async def list_my_tasks(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    clock: AppClock,
    filters: Annotated[TaskFilters, Depends(_my_filters)],
) -> Page[TaskOut]:
    """The caller's own tasks (as an employee), soonest due first, cursor-paginated, each with
    `overdue` computed now; filter by `status`, `kind` or `due_before`. An account not linked to an
    employee gets 404."""
    return await reading.my_tasks_page(session, principal, page, filters, clock.now())


@router.get(
    "/tasks",
    operation_id="list_tasks",
    summary="Tasks of everyone in my scope (HR: the organization)",
)
async def list_tasks(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    clock: AppClock,
    filters: Annotated[TaskFilters, Depends(_filters)],
) -> Page[TaskOut]:
    """Tasks of everyone the caller may see — HR admins the organization, a department head their
    subtree, a manager their reports — soonest due first, cursor-paginated, with filters by status,
    kind, due time, subject, assignee, department and `overdue`. Confidential tasks (360 rater
    tasks) appear only to their assignee and to HR admins holding `review_auditor`. An integration
    key needs `org:read`, and `reviews:read` for review tasks."""
    now = clock.now()
    rows, cursor = await reading.list_tasks(session, principal, page, filters, now)
    items = await reading.task_views(session, principal.org_id, rows, now)
    return Page(items=items, next_cursor=cursor)


@router.get("/tasks/{task_id}", operation_id="get_task", summary="One task")
async def get_task(
    task_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> TaskOut:
    """One task the caller may see (else 404): assignee, due time, `overdue` computed now, the
    policy it runs on, its subject and any submission. Cheap to poll: its `ETag`
    (`"<version>.<digest>"`) answers `If-None-Match` with 304 until anything shown changes,
    including turning overdue."""
    task = await reading.get_task(session, principal, task_id)
    set_etag(response, task.version)
    [view] = await reading.task_views(session, principal.org_id, [task], clock.now())
    return view


@router.post(
    "/tasks/{task_id}/complete",
    operation_id="complete_task",
    summary="Complete my task, with a submission where it needs one",
    responses=problem(409, "The task is not open"),
)
async def complete_task(
    task_id: uuid.UUID,
    body: TaskCompletion,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> TaskOut:
    """Only the assignee completes an open task (others who may see it get 403; a closed task 409).
    A task that needs a submission refuses an empty one (422); the owning domain may check it
    further, and some kinds are completed only where they are done (a review at
    `/review-assignments/{id}/submit`, an amendment at `/amendments/{id}/confirm`: 422 here).
    Records `on_time`, is audited, runs the domain's follow-up (the next program stage, …) and
    publishes `task.completed` (never for a confidential task)."""
    task = await lifecycle.complete_as(session, principal, task_id, body.submission, clock)
    set_etag(response, task.version)
    [view] = await reading.task_views(session, principal.org_id, [task], clock.now())
    return view


@router.get(
    "/task-policy-defaults",
    operation_id="get_task_policy_defaults",
    summary="The organization's default reminder and escalation policy (HR admin)",
)
async def get_task_policy_defaults(
    principal: CurrentPrincipal, session: DbSession, response: Response
) -> TaskPolicyDefaultsOut:
    """For HR admins: the organization's default reminder and escalation policy — days before due
    to remind, the repeat interval after due, and after how many overdue days to escalate to the
    manager and to HR."""
    defaults = await policies.get_policy_defaults(session, principal)
    set_etag(response, defaults.version)
    return defaults


@router.put(
    "/task-policy-defaults",
    operation_id="put_task_policy_defaults",
    summary="Replace the organization's default policy (HR admin); running tasks keep theirs",
)
async def put_task_policy_defaults(
    body: TaskPolicyDefaultsIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> TaskPolicyDefaultsOut:
    """For HR admins. Replaces the default policy for tasks created from now on; tasks already
    created keep the policy copied onto them. Guarded by `If-Match` or a body `version`; audited.
    """
    defaults = await policies.put_policy_defaults(session, principal, body, if_match=if_match)
    set_etag(response, defaults.version)
    return defaults


@router.get(
    "/dingtalk-todos",
    operation_id="list_dingtalk_todos",
    summary="Tasks as DingTalk to-dos, and where each delivery stands (HR admin)",
)
async def list_dingtalk_todos(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[
        Literal["pending", "sent", "failed"] | None, Query(description="Only in this status.")
    ] = None,
    task_id: Annotated[uuid.UUID | None, Query(description="Only this task's.")] = None,
) -> Page[TodoDeliveryOut]:
    """For HR admins: the delivery log of the tasks sent to DingTalk as to-dos 「待办」, newest
    first: what hrcore wants DingTalk to show, what it shows, the attempts and the last error
    (a to-do DingTalk keeps refusing is `failed` after its last attempt)."""
    rows, cursor = await todo_sync.delivery_log(
        session, principal, page, status=status, task_id=task_id
    )
    items = [TodoDeliveryOut.model_validate(row) for row in rows]
    return Page[TodoDeliveryOut](items=items, next_cursor=cursor)

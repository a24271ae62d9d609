"""Tasks with deadlines, their reminders and escalations.

Other domains call this module (`from hrcore.workflow import service as workflow`); each call
joins the caller's transaction and only flushes:

- `create_task(session, *, org_id, subject_type, subject_id, kind, assignee_employee_id,
  title, due, reminder_policy=None, escalation_policy=None, submission_required=False,
  confidential=False, actor=None) -> Task` — `due` is a `date` (due at the end of that day
  in the organization's time zone) or an aware `datetime`. Policies left `None` take the
  organization's defaults (`GET/PUT /task-policy-defaults`, else `DEFAULT_REMINDER` /
  `DEFAULT_ESCALATION`); the effective policy is snapshotted on the task, so later default
  changes do not move it.
  A `confidential` task is seen by its assignee and HR auditors only, escalated without its
  title and never sent to webhooks (a 360 peer's rating: who rates whom is anonymous).
- `create_tasks(session, *, org_id, tasks: Sequence[NewTask], actor=None) -> list[UUID]` —
  the same for many tasks in a fixed number of statements (all or nothing), for domains
  that create thousands at once (opening a review cycle).
- `reschedule_task(session, *, org_id, task_id, due, actor=None) -> Task` — open tasks only;
  reminder windows restart for the new due time.
- `cancel_task(session, *, org_id, task_id, clock, actor=None) -> Task` — idempotent.
- `cancel_open_tasks(session, *, org_id, task_ids, clock, actor=None) -> int` — the open
  ones of many tasks at once; the others are left.
- `complete_task(session, *, org_id, task_id, clock, submission=None, actor=None) -> Task` —
  409 unless open; 422 when the task requires a submission and none is given; then the
  validator registered for the task's kind (`register_submission_validator(kind, fn)`, an
  `async fn(session, task, submission)` raising `Unprocessable`) has the last word; then the
  listeners registered for the kind (`on_completion(kind, fn)`, an `async fn(session, task,
  clock)`) run in the same transaction, so the owning domain moves on atomically.
- `tasks_of_subjects(session, *, org_id, subject_type, subject_ids) -> list[Task]`.
Every change writes an audit event. Completing or cancelling clears `next_action_at`, so no
reminder follows.

The deadline sweep (`sweep`, run every minute by the worker) sends what became due. Per task
there are three action kinds, each a series of windows: `reminder` (N days before due, then at
due and every R days after), `escalate_manager` (D days overdue) and `escalate_hr`. A window
is recorded in `task_actions` under a unique (task, kind, window) key before anyone is
notified, and the notification's `dedupe_key` is the same key: a repeated or concurrent sweep
never notifies twice. After downtime, only the latest missed window of each kind is sent.

Windows are days from `due_at` as exact 24-hour steps (the org's time zone only places the
due time of a date-only task).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from hrcore.core import audit
from hrcore.core.authz import Principal, Scope, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.db import (
    SessionMaker,
    commit_without_flush_wait,
    insert_all,
    set_tenant,
    unit_of_work,
)
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.models import new_id
from hrcore.core.pagination import PageParams, paginate
from hrcore.identity import service as identity
from hrcore.notifications import service as notifications
from hrcore.people import api as people
from hrcore.webhooks import service as webhooks
from hrcore.workflow import repository
from hrcore.workflow.models import Task as Task  # noqa: PLC0414 (validators and listeners get it)
from hrcore.workflow.models import TaskPolicyDefaults
from hrcore.workflow.schemas import (
    EscalationPolicy,
    ReminderPolicy,
    SubjectRef,
    Submission,
    TaskOut,
    TaskPolicy,
    TaskPolicyDefaultsIn,
    TaskPolicyDefaultsOut,
    TaskStatus,
)

logger = logging.getLogger("hrcore.workflow")

DEFAULT_REMINDER = ReminderPolicy(before_due_days=[3], repeat_every_days=2)
DEFAULT_ESCALATION = EscalationPolicy(manager_after_days=3, hr_after_days=7)
SWEEP_BATCH_SIZE = 1000
SWEEP_CONCURRENCY = 2

REMIND = "reminder"
ESCALATE_MANAGER = "escalate_manager"
ESCALATE_HR = "escalate_hr"
SUBJECT_TYPE = "task"
"""Notifications link to the task; the task links on to its owning domain's object."""

SubmissionValidator = Callable[[AsyncSession, Task, Submission | None], Awaitable[None]]
_VALIDATORS: dict[str, SubmissionValidator] = {}
CompletionListener = Callable[[AsyncSession, Task, Clock], Awaitable[None]]
_LISTENERS: dict[str, list[CompletionListener]] = {}


def register_submission_validator(kind: str, validator: SubmissionValidator) -> None:
    """Let the domain owning tasks of `kind` check submissions (raise `Unprocessable`)."""
    _VALIDATORS[kind] = validator


def on_completion(kind: str, listener: CompletionListener) -> None:
    """Let a domain react to a completed task of `kind` in the completing transaction."""
    listeners = _LISTENERS.setdefault(kind, [])
    if listener not in listeners:
        listeners.append(listener)


# --- action windows (pure) ----------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    kind: str
    name: str
    at: datetime
    overdue: bool = False


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _latest_reminder(policy: ReminderPolicy, due: datetime, until: datetime) -> Window | None:
    """The last reminder window at or before `until`."""
    if policy.repeat_every_days is not None and until >= due:
        period = _days(policy.repeat_every_days)
        k = (until - due) // period
        return Window(REMIND, f"after:{k}", due + k * period, overdue=True)
    past = [
        Window(REMIND, f"before:{days}d", due - _days(days))
        for days in sorted(policy.before_due_days, reverse=True)
        if due - _days(days) <= until
    ]
    return past[-1] if past else None


def _next_reminder(
    policy: ReminderPolicy, due: datetime, after: datetime | None
) -> datetime | None:
    """The first reminder window strictly after `after` (the very first for None)."""
    for days in sorted(policy.before_due_days, reverse=True):
        at = due - _days(days)
        if after is None or at > after:
            return at
    if policy.repeat_every_days is None:
        return None
    if after is None or after < due:
        return due
    period = _days(policy.repeat_every_days)
    return due + ((after - due) // period + 1) * period


def _escalations(policy: EscalationPolicy, due: datetime) -> list[Window]:
    windows = []
    if policy.manager_after_days is not None:
        windows.append(
            Window(ESCALATE_MANAGER, "manager", due + _days(policy.manager_after_days), True)
        )
    if policy.hr_after_days is not None:
        windows.append(Window(ESCALATE_HR, "hr", due + _days(policy.hr_after_days), True))
    return windows


def due_windows(
    policy: TaskPolicy, due: datetime, *, after: datetime | None, now: datetime
) -> list[Window]:
    """What to do now: for each kind, only its latest window in (`after`, `now`]."""
    candidates = [_latest_reminder(policy.reminder, due, now)]
    candidates += [window for window in _escalations(policy.escalation, due) if window.at <= now]
    return [
        window
        for window in candidates
        if window is not None and (after is None or window.at > after)
    ]


def next_action_at(policy: TaskPolicy, due: datetime, *, after: datetime | None) -> datetime | None:
    """When the sweep must next look at the task: the first window of any kind after `after`."""
    times = [_next_reminder(policy.reminder, due, after)]
    times += [w.at for w in _escalations(policy.escalation, due) if after is None or w.at > after]
    present = [at for at in times if at is not None]
    return min(present) if present else None


# --- policies -----------------------------------------------------------------------------


async def effective_defaults(session: AsyncSession, org_id: uuid.UUID) -> TaskPolicy:
    row = await repository.policy_defaults(session, org_id)
    if row is None:
        return TaskPolicy(reminder=DEFAULT_REMINDER, escalation=DEFAULT_ESCALATION)
    return TaskPolicy(
        reminder=ReminderPolicy.model_validate(row.reminder),
        escalation=EscalationPolicy.model_validate(row.escalation),
    )


async def get_policy_defaults(session: AsyncSession, principal: Principal) -> TaskPolicyDefaultsOut:
    require_hr_admin(principal)
    row = await repository.policy_defaults(session, principal.org_id)
    policy = await effective_defaults(session, principal.org_id)
    return TaskPolicyDefaultsOut(
        reminder=policy.reminder, escalation=policy.escalation, version=row.version if row else 0
    )


async def put_policy_defaults(
    session: AsyncSession,
    principal: Principal,
    body: TaskPolicyDefaultsIn,
    *,
    if_match: str | None,
) -> TaskPolicyDefaultsOut:
    """Replace the organization's defaults; running tasks keep their snapshot."""
    require_hr_admin(principal)
    row = await repository.policy_defaults(session, principal.org_id)
    check_version(row.version if row else 0, if_match=if_match, body_version=body.version)
    reminder = body.reminder.model_dump(mode="json")
    escalation = body.escalation.model_dump(mode="json")
    before = {"reminder": row.reminder, "escalation": row.escalation} if row else None
    if row is None:
        row = TaskPolicyDefaults(org_id=principal.org_id, reminder=reminder, escalation=escalation)
        session.add(row)
    else:
        row.reminder, row.escalation = reminder, escalation
    await session.flush()
    audit.record(
        session,
        principal,
        "task_policy_defaults.updated",
        "task_policy_defaults",
        row.id,
        org_id=principal.org_id,
        before=before,
        after={"reminder": reminder, "escalation": escalation},
    )
    return TaskPolicyDefaultsOut(
        reminder=body.reminder, escalation=body.escalation, version=row.version
    )


# --- the API other domains call -----------------------------------------------------------


async def due_moment(session: AsyncSession, org_id: uuid.UUID, due: date | datetime) -> datetime:
    """The instant a due date means: its last moment in the organization's time zone."""
    if isinstance(due, datetime):
        return _aware(due)
    return _end_of_day(due, ZoneInfo(await identity.org_timezone(session, org_id)))


def _aware(due: datetime) -> datetime:
    if due.tzinfo is None or due.utcoffset() is None:
        raise Unprocessable(
            "The due time needs a time zone",
            errors=[FieldError(field="due", message="naive datetime")],
        )
    return due


def _end_of_day(due: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(due, time(23, 59, 59, 999999), tzinfo=zone)


def _require_text(field: str, value: str, limit: int) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise Unprocessable(
            f"Invalid {field}",
            errors=[FieldError(field=field, message=f"1–{limit} characters")],
        )
    return value


def _snapshot(task: Task) -> dict[str, Any]:
    return _state(
        task.status, task.due_at, task.assignee_employee_id, task.completed_at, task.on_time
    )


def _state(
    status: str,
    due_at: datetime,
    assignee_employee_id: uuid.UUID,
    completed_at: datetime | None,
    on_time: bool | None,
) -> dict[str, Any]:
    """What audit events record of a task's state."""
    return {
        "status": status,
        "due_at": due_at.isoformat(),
        "assignee_employee_id": str(assignee_employee_id),
        "completed_at": completed_at.isoformat() if completed_at else None,
        "on_time": on_time,
    }


@dataclass(frozen=True, slots=True)
class NewTask:
    """One task for `create_tasks`: the arguments of `create_task` that vary per task."""

    subject_type: str
    subject_id: uuid.UUID
    kind: str
    assignee_employee_id: uuid.UUID
    title: str
    due: date | datetime
    reminder_policy: ReminderPolicy | None = None
    escalation_policy: EscalationPolicy | None = None
    submission_required: bool = False
    confidential: bool = False


async def create_task(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    subject_type: str,
    subject_id: uuid.UUID,
    kind: str,
    assignee_employee_id: uuid.UUID,
    title: str,
    due: date | datetime,
    reminder_policy: ReminderPolicy | None = None,
    escalation_policy: EscalationPolicy | None = None,
    submission_required: bool = False,
    confidential: bool = False,
    actor: Principal | None = None,
) -> Task:
    """Assign a task to an employee of `org_id` (422 for an unknown employee)."""
    new = NewTask(
        subject_type=subject_type,
        subject_id=subject_id,
        kind=kind,
        assignee_employee_id=assignee_employee_id,
        title=title,
        due=due,
        reminder_policy=reminder_policy,
        escalation_policy=escalation_policy,
        submission_required=submission_required,
        confidential=confidential,
    )
    [row] = await _insert_tasks(session, org_id, [new], actor)
    task = await repository.task_by_id(session, org_id, row["id"])
    assert task is not None
    # The database answers in UTC; the caller keeps the due time its organization's zone gave.
    set_committed_value(task, "due_at", row["due_at"])
    return task


async def create_tasks(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    tasks: Sequence[NewTask],
    actor: Principal | None = None,
) -> list[uuid.UUID]:
    """Create many tasks in a fixed number of statements (a review cycle opens tens of
    thousands); returns their ids in the order given.

    All or nothing: any unknown assignee (422 naming them) or invalid field refuses the
    batch before anything is written. Each task gets its own `task.created` audit event.
    """
    return [row["id"] for row in await _insert_tasks(session, org_id, tasks, actor)]


async def _insert_tasks(
    session: AsyncSession,
    org_id: uuid.UUID,
    tasks: Sequence[NewTask],
    actor: Principal | None,
) -> list[dict[str, Any]]:
    """Rows go in without ORM objects: for thousands, the unit of work's bookkeeping costs
    more than the insert."""
    if not tasks:
        return []
    departments = await _assignee_departments(session, org_id, tasks)
    defaults = await effective_defaults(session, org_id)
    due_moments = await _due_moments(session, org_id, {new.due for new in tasks})
    rows = [
        _task_row(
            org_id, new, departments[new.assignee_employee_id], due_moments[new.due], defaults
        )
        for new in tasks
    ]
    await insert_all(session, Task, rows)
    await audit.record_many(
        session, actor, "task.created", "task", _created_events(rows), org_id=org_id
    )
    return rows


def _created_events(rows: Sequence[dict[str, Any]]) -> list[tuple[uuid.UUID, dict[str, Any]]]:
    """Each new task's `task.created` audit: its state, kind and subject type."""
    return [
        (
            row["id"],
            _state(row["status"], row["due_at"], row["assignee_employee_id"], None, None)
            | {"kind": row["kind"], "subject_type": row["subject_type"]},
        )
        for row in rows
    ]


async def _assignee_departments(
    session: AsyncSession, org_id: uuid.UUID, tasks: Sequence[NewTask]
) -> dict[uuid.UUID, uuid.UUID]:
    """Each assignee's department (tasks are listed by it), in one query; 422 for unknowns."""
    wanted = list(dict.fromkeys(new.assignee_employee_id for new in tasks))
    found = await people.employee_summaries(session, org_id, wanted)
    unknown = [str(employee_id) for employee_id in wanted if employee_id not in found]
    if unknown:
        raise Unprocessable(
            "Unknown employee" if len(unknown) == 1 else "Unknown employees",
            errors=[
                FieldError(
                    field="assignee_employee_id",
                    message="no such employee: " + ", ".join(unknown[:20]),
                )
            ],
        )
    return {employee_id: summary.department_id for employee_id, summary in found.items()}


async def _due_moments(
    session: AsyncSession, org_id: uuid.UUID, dues: set[date | datetime]
) -> dict[date | datetime, datetime]:
    """`due_moment` of each distinct due, looking the organization's time zone up once."""
    moments: dict[date | datetime, datetime] = {
        due: _aware(due) for due in dues if isinstance(due, datetime)
    }
    dates = [due for due in dues if not isinstance(due, datetime)]
    if dates:
        zone = ZoneInfo(await identity.org_timezone(session, org_id))
        moments |= {due: _end_of_day(due, zone) for due in dates}
    return moments


def _task_row(
    org_id: uuid.UUID,
    new: NewTask,
    department_id: uuid.UUID,
    due_at: datetime,
    defaults: TaskPolicy,
) -> dict[str, Any]:
    policy = TaskPolicy(
        reminder=new.reminder_policy or defaults.reminder,
        escalation=new.escalation_policy or defaults.escalation,
    )
    return {
        "id": new_id(),
        "org_id": org_id,
        "subject_type": _require_text("subject_type", new.subject_type, 64),
        "subject_id": new.subject_id,
        "kind": _require_text("kind", new.kind, 64),
        "title": _require_text("title", new.title, 200),
        "assignee_employee_id": new.assignee_employee_id,
        "department_id": department_id,
        "due_at": due_at,
        "status": "open",
        "submission_required": new.submission_required,
        "confidential": new.confidential,
        "policy": policy.model_dump(mode="json"),
        "schedule": 1,
        "handled_until": None,
        "next_action_at": next_action_at(policy, due_at, after=None),
    }


async def _locked(session: AsyncSession, org_id: uuid.UUID, task_id: uuid.UUID) -> Task:
    task = await repository.task_by_id(session, org_id, task_id, for_update=True)
    if task is None:
        raise NotFound("No such task")
    return task


async def reschedule_task(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    task_id: uuid.UUID,
    due: date | datetime,
    actor: Principal | None = None,
) -> Task:
    """Move the due time of an open task; its reminders and escalations start over."""
    task = await _locked(session, org_id, task_id)
    if task.status != "open":
        raise Conflict(f"The task is {task.status}")
    before = _snapshot(task)
    task.due_at = await due_moment(session, org_id, due)
    task.schedule += 1
    task.handled_until = None
    task.next_action_at = next_action_at(_policy(task), task.due_at, after=None)
    await session.flush()
    old, new = audit.changes(before, _snapshot(task))
    audit.record(
        session, actor, "task.rescheduled", "task", task.id, org_id=org_id, before=old, after=new
    )
    return task


async def cancel_task(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    task_id: uuid.UUID,
    clock: Clock,
    actor: Principal | None = None,
) -> Task:
    """Withdraw a task (the stage it belonged to is gone); nothing more is sent."""
    task = await _locked(session, org_id, task_id)
    if task.status == "cancelled":
        return task
    if task.status != "open":
        raise Conflict(f"The task is {task.status}")
    before = _snapshot(task)
    task.status, task.cancelled_at, task.next_action_at = "cancelled", clock.now(), None
    await session.flush()
    old, new = audit.changes(before, _snapshot(task))
    audit.record(
        session, actor, "task.cancelled", "task", task.id, org_id=org_id, before=old, after=new
    )
    return task


async def cancel_open_tasks(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    task_ids: Sequence[uuid.UUID],
    clock: Clock,
    actor: Principal | None = None,
) -> int:
    """Withdraw whichever of these tasks are still open, in two statements however many
    (closing a review cycle withdraws thousands); done or cancelled ones are left as they
    are. Audited per task as `cancel_task` does; returns how many were cancelled."""
    cancelled = await repository.cancel_open(session, org_id, task_ids, clock.now())
    await audit.record_many(
        session,
        actor,
        "task.cancelled",
        "task",
        [(task_id, {"status": "cancelled"}) for task_id in cancelled],
        org_id=org_id,
        before={"status": "open"},
    )
    return len(cancelled)


async def complete_task(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    task_id: uuid.UUID,
    clock: Clock,
    submission: Submission | None = None,
    actor: Principal | None = None,
) -> Task:
    """Mark an open task done; `on_time` says whether that was by its due time."""
    task = await _locked(session, org_id, task_id)
    if task.status != "open":
        raise Conflict(f"The task is already {task.status}")
    if submission is not None and submission.is_empty:
        submission = None
    if task.submission_required and submission is None:
        raise Unprocessable(
            "This task needs a submission",
            errors=[FieldError(field="submission", message="text, links or attachments")],
        )
    validator = _VALIDATORS.get(task.kind)
    if validator is not None:
        await validator(session, task, submission)
    before = _snapshot(task)
    now = clock.now()
    task.status, task.completed_at, task.on_time = "completed", now, now <= task.due_at
    task.completed_by = actor.id if actor else None
    task.submission = submission.model_dump(mode="json") if submission else None
    task.next_action_at = None
    await session.flush()
    old, new = audit.changes(before, _snapshot(task))
    audit.record(
        session, actor, "task.completed", "task", task.id, org_id=org_id, before=old, after=new
    )
    for listener in _LISTENERS.get(task.kind, ()):
        await listener(session, task, clock)
    await _publish_many(session, org_id, webhooks.EventType.TASK_COMPLETED, [task], "completed")
    return task


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


# --- what callers see ---------------------------------------------------------------------


def _policy(task: Task) -> TaskPolicy:
    return TaskPolicy.model_validate(task.policy)


def task_view(task: Task, now: datetime) -> TaskOut:
    status: TaskStatus = task.status  # type: ignore[assignment]
    return TaskOut(
        id=task.id,
        subject=SubjectRef(type=task.subject_type, id=task.subject_id),
        kind=task.kind,
        title=task.title,
        assignee_employee_id=task.assignee_employee_id,
        department_id=task.department_id,
        due_at=task.due_at,
        status=status,
        overdue=task.status == "open" and task.due_at < now,
        completed_at=task.completed_at,
        on_time=task.on_time,
        submission_required=task.submission_required,
        confidential=task.confidential,
        submission=Submission.model_validate(task.submission) if task.submission else None,
        policy=_policy(task),
        created_at=task.created_at,
        version=task.version,
    )


REVIEW_SUBJECT_PREFIX = "review_"
"""Tasks whose subject type starts with this are review tasks (rater, nomination, appeal,
result): integration keys read them only with `reviews:read`."""


def _key_scope(task: Task) -> Scope:
    return (
        Scope.REVIEWS_READ
        if task.subject_type.startswith(REVIEW_SUBJECT_PREFIX)
        else Scope.ORG_READ
    )


async def _ensure_reach(session: AsyncSession, principal: Principal, task: Task) -> None:
    """The assignee, HR, and whoever sees the assignee (managers, department heads); a
    confidential task only the assignee and HR auditors."""
    if principal.employee_id == task.assignee_employee_id:
        return
    if task.confidential:
        if principal.may_read_raw_answers:
            return
        raise NotFound("No such task")
    if principal.is_hr_admin:
        return
    try:
        await people.ensure_can_view(
            session, principal, task.assignee_employee_id, key_scope=_key_scope(task)
        )
    except (NotFound, Forbidden):
        raise NotFound("No such task") from None


async def get_task(session: AsyncSession, principal: Principal, task_id: uuid.UUID) -> Task:
    task = await repository.task_by_id(session, principal.org_id, task_id)
    if task is None:
        raise NotFound("No such task")
    await _ensure_reach(session, principal, task)
    return task


async def complete_as(
    session: AsyncSession,
    principal: Principal,
    task_id: uuid.UUID,
    submission: Submission | None,
    clock: Clock,
) -> Task:
    """Completion over HTTP: only the assignee; others who may see the task get 403."""
    task = await get_task(session, principal, task_id)
    if principal.employee_id != task.assignee_employee_id:
        raise Forbidden("Only the assignee may complete this task")
    return await complete_task(
        session,
        org_id=principal.org_id,
        task_id=task.id,
        clock=clock,
        submission=submission,
        actor=principal,
    )


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


def _query(
    org_id: uuid.UUID,
    filters: TaskFilters,
    now: datetime,
    visible: Any,
    *,
    confidential_of: uuid.UUID | bool | None = True,
) -> Any:
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


async def list_my_tasks(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    filters: TaskFilters,
    now: datetime,
) -> tuple[list[Task], str | None]:
    """The caller's own tasks, soonest due first."""
    if principal.employee_id is None:
        raise NotFound("Your account is not linked to an employee")
    mine = TaskFilters(
        kind=filters.kind,
        status=filters.status,
        due_before=filters.due_before,
        assignee_employee_id=principal.employee_id,
    )
    statement = _query(principal.org_id, mine, now, None)
    return await paginate(session, statement, [Task.due_at, Task.id], page)


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
    visible = await people.visible_employee_ids(session, principal, key_scope=Scope.ORG_READ)
    confidential = principal.may_read_raw_answers or principal.employee_id
    statement = _query(principal.org_id, filters, now, visible, confidential_of=confidential)
    if principal.kind == "api_key" and not principal.has_scope(Scope.REVIEWS_READ):
        statement = statement.where(
            ~Task.subject_type.startswith(REVIEW_SUBJECT_PREFIX, autoescape=True)
        )
    return await paginate(session, statement, [Task.due_at, Task.id], page)


# --- the deadline sweep -------------------------------------------------------------------


async def sweep(
    sessionmaker: SessionMaker, clock: Clock, *, batch_size: int = SWEEP_BATCH_SIZE
) -> int:
    """Send every reminder and escalation that is due; returns how many tasks were handled.

    `organizations` is not under row-level security, so the sweep lists organizations and
    runs one indexed query per organization with `app.org_id` set (RLS hides other tenants'
    tasks from the app role). Each batch is its own transaction: rows are locked with
    `SKIP LOCKED`, so sweeps on several workers share the work instead of repeating it.
    Batches commit without waiting for the disk: a batch lost in a database crash is swept
    again (every action has its unique key), and nothing it queued was sent.
    """
    now = clock.now()
    async with sessionmaker() as session:
        org_ids = await identity.organization_ids(session)
    handled = 0
    for org_id in org_ids:
        try:
            drains = (
                _drain(sessionmaker, org_id, now, batch_size) for _ in range(SWEEP_CONCURRENCY)
            )
            handled += sum(await asyncio.gather(*drains))
        except Exception:
            logger.exception("deadline sweep failed for organization %s", org_id)
    return handled


async def _drain(
    sessionmaker: SessionMaker, org_id: uuid.UUID, now: datetime, batch_size: int
) -> int:
    """Sweep batches of one organization until a short one; returns the tasks handled.

    The sweep runs `SWEEP_CONCURRENCY` of these side by side on their own connections: one
    batch's Python work (windows, messages) overlaps another's statements, and `SKIP LOCKED`
    keeps them from taking the same tasks.
    """
    handled = 0
    while True:
        async with unit_of_work(sessionmaker) as session:
            await set_tenant(session, org_id)
            await commit_without_flush_wait(session)
            count = await sweep_organization(session, org_id, now, batch_size)
        handled += count
        if count < batch_size:
            return handled


@dataclass(frozen=True, slots=True)
class DueTask:
    """What the sweep needs of a task: its columns and its parsed policy."""

    id: uuid.UUID
    subject_type: str
    subject_id: uuid.UUID
    kind: str
    title: str
    assignee_employee_id: uuid.UUID
    due_at: datetime
    status: str
    on_time: bool | None
    schedule: int
    handled_until: datetime | None
    confidential: bool
    policy: TaskPolicy

    @classmethod
    def of(cls, row: Row[Any]) -> DueTask:
        return cls(**{**row._asdict(), "policy": _parsed_policy(row.policy)})


@functools.lru_cache(maxsize=1024)
def _parsed_policy(text: str) -> TaskPolicy:
    """Policies are shared by many tasks (organization defaults, a template's stage): parse
    each distinct one once. Callers never mutate the result."""
    return TaskPolicy.model_validate_json(text)


@dataclass(frozen=True)
class _Action:
    task: DueTask
    window: Window
    user_ids: list[uuid.UUID]

    @property
    def key(self) -> tuple[uuid.UUID, str, str]:
        return (self.task.id, self.window.kind, self.window.name)


async def sweep_organization(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, limit: int
) -> int:
    """One batch of one organization's due tasks, in the caller's (tenant-scoped) transaction."""
    tasks = [
        DueTask.of(row) for row in await repository.due_for_action(session, org_id, now, limit)
    ]
    if not tasks:
        return 0
    planned = [
        (task, window)
        for task in tasks
        for window in due_windows(task.policy, task.due_at, after=task.handled_until, now=now)
    ]
    actions = await _recipients(session, org_id, planned)
    if actions:
        rows = [
            {
                "org_id": org_id,
                "task_id": action.task.id,
                "kind": action.window.kind,
                "window": f"s{action.task.schedule}:{action.window.name}",
                "window_at": action.window.at,
                "performed_at": now,
                "recipients": len(action.user_ids),
            }
            for action in actions
        ]
        new = await repository.record_actions(session, rows)
        zone = ZoneInfo(await identity.org_timezone(session, org_id))
        overdue: list[Task | DueTask] = []
        messages: list[notifications.Message] = []
        for action in actions:
            task, window = action.task, action.window
            key = (task.id, window.kind, f"s{task.schedule}:{window.name}")
            if key in new and window.overdue:
                overdue.append(task)
            if key in new and action.user_ids:
                text = _message(task, window, zone, now)
                messages.append(
                    notifications.Message(
                        user_ids=action.user_ids,
                        kind=text["kind"],
                        title=text["title"],
                        body=text["body"],
                        subject_type=SUBJECT_TYPE,
                        subject_id=task.id,
                        dedupe_key=f"task:{task.id}:{key[1]}:{key[2]}",
                    )
                )
        await notifications.notify_many(session, org_id=org_id, messages=messages)
        await _publish_many(session, org_id, webhooks.EventType.TASK_OVERDUE, overdue, "overdue")
    await repository.mark_swept(
        session,
        [
            {
                "task_id": task.id,
                "handled_until": now,
                "next_action_at": next_action_at(task.policy, task.due_at, after=now),
            }
            for task in tasks
        ],
    )
    return len(tasks)


def _event(task: Task | DueTask) -> dict[str, Any]:
    return {
        "task_id": str(task.id),
        "kind": task.kind,
        "title": task.title,
        "subject": {"type": task.subject_type, "id": str(task.subject_id)},
        "assignee_employee_id": str(task.assignee_employee_id),
        "due_at": task.due_at.isoformat(),
        "status": task.status,
        "on_time": task.on_time,
    }


async def _publish_many(
    session: AsyncSession,
    org_id: uuid.UUID,
    event: webhooks.EventType,
    tasks: Sequence[Task | DueTask],
    occurrence: str,
) -> None:
    """Tell webhook subscribers; event ids are derived, so a repeat is delivered once.

    The overdue event's id is per schedule: a rescheduled task that falls overdue again is
    a new event. Confidential tasks are never published: even a payload without names
    would tell an integration when a rater answered.
    """
    tasks = [task for task in tasks if not task.confidential]
    if not tasks:
        return
    await webhooks.publish_many(
        session,
        org_id=org_id,
        event_type=event,
        events=(
            (
                _event(task),
                uuid.uuid5(
                    uuid.NAMESPACE_URL, f"hrcore:task:{task.id}:{occurrence}:s{task.schedule}"
                ),
            )
            for task in tasks
        ),
    )


async def _recipients(
    session: AsyncSession, org_id: uuid.UUID, planned: Sequence[tuple[DueTask, Window]]
) -> list[_Action]:
    """Who hears of each action, in a fixed number of queries for the whole batch."""
    if not planned:
        return []
    escalated = [task.assignee_employee_id for task, w in planned if w.kind == ESCALATE_MANAGER]
    managers = await people.managers_of(session, org_id, escalated) if escalated else {}
    employees = {task.assignee_employee_id for task, w in planned if w.kind == REMIND}
    employees |= {manager for manager in managers.values() if manager is not None}
    users = await identity.user_ids_for_employees(session, org_id, sorted(employees))
    needs_hr = any(w.kind == ESCALATE_HR for _, w in planned)
    hr = await identity.hr_admin_user_ids(session, org_id) if needs_hr else []
    actions = []
    for task, window in planned:
        if window.kind == REMIND:
            recipients = users.get(task.assignee_employee_id, [])
        elif window.kind == ESCALATE_MANAGER:
            manager = managers.get(task.assignee_employee_id)
            recipients = users.get(manager, []) if manager else []
        else:
            recipients = hr
        actions.append(_Action(task, window, list(recipients)))
    return actions


def _message(task: DueTask, window: Window, zone: ZoneInfo, now: datetime) -> dict[str, str]:
    due = task.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    days = max((now - task.due_at) // timedelta(days=1), 0)
    if window.kind == REMIND and not window.overdue:
        return {
            "kind": "task.reminder",
            "title": f"Due soon: {task.title}",
            "body": f"Due by {due}.",
        }
    if window.kind == REMIND:
        return {
            "kind": "task.overdue",
            "title": f"Overdue: {task.title}",
            "body": f"This task was due by {due}; please complete it.",
        }
    audience = "your report" if window.kind == ESCALATE_MANAGER else "an employee"
    if task.confidential:
        return {
            "kind": "task.escalation",
            "title": f"Overdue {days} days: a confidential task",
            "body": f"A confidential task of {audience} (a 360 review, for instance) was due "
            f"by {due} and is still open; only they see what it is.",
        }
    return {
        "kind": "task.escalation",
        "title": f"Overdue {days} days: {task.title}",
        "body": f"A task of {audience} was due by {due} and is still open.",
    }

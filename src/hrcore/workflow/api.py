"""What other domains and the composition roots (`seed`, `cli`, `worker`, the benchmarks)
may call in workflow. Each call joins the caller's transaction and only flushes.

Everything answers in plain data: ids, `TaskInfo`, `TaskOut`; the ORM row stays in workflow.

- Creating: `create_task(session, *, org_id, subject_type, subject_id, kind,
  assignee_employee_id, title, due, reminder_policy=None, escalation_policy=None,
  submission_required=False, confidential=False, submission_rule=None,
  completion_params=None, subject_employee_id=None, actor=None) -> UUID` (422 for an unknown
  employee); `create_tasks(session, *, org_id, tasks: Sequence[NewTask], actor=None) ->
  list[UUID]`, all or nothing in a fixed number of statements. `due` is a `date` (the end of
  that day in the organization's time zone) or an aware `datetime`. Policies left `None`
  take the organization's defaults (else `DEFAULT_REMINDER` / `DEFAULT_ESCALATION`); the
  effective policy is snapshotted on the task. A `confidential` task is seen by its
  assignee and HR auditors only, escalated without its title and never sent to webhooks.
- Moving on (each → `TaskInfo`): `reschedule_task` (open tasks; reminder windows restart),
  `cancel_task` (idempotent), `complete_task` (409 unless open; 422 without a required
  submission; then the kind's validator and completion listeners); `cancel_open_tasks`
  (the open ones of many; returns how many).
- Kinds, declared by the owning domain in its registry's `task_hooks` (`kinds.py`):
  `TaskKindSpec(kind, completed_by=COMPLETE_TASK, submission=Requirement())` — the
  `Operation` that completes it (operation id, method, path; `subject_param` takes the
  subject's id, other path parameters the task's `completion_params`) and the floor of its
  `submission_rule` (`REPORT`: text required; `None`: it takes no submission). Creating a
  task of an undeclared kind raises `LookupError`; a creator may add a stricter
  `submission_rule` (a program stage's) and `completion_params`.
- Hooks, declared in the owning domain's registry `task_hooks`: `SubmissionCheck(kind, fn)`
  — an `async fn(session, task: TaskInfo, submission)` raising `Unprocessable`;
  `CompletionHook(kind, fn)` — an `async fn(session, task: TaskInfo, clock)` run in the
  completing transaction
  (`register_submission_validator` / `on_completion` are what they install).
- Reading: `task_status`, `tasks_of_subjects` (→ `TaskOut`s; the caller checked reach),
  `task_timeliness` (tasks of some kinds done or past due, for analytics' on-time rates).
- The due-moment rule: `end_of_day(day, zone)` and `due_moment(session, org_id, due)`;
  every domain that turns a due date into an instant uses them. A fixed length a domain
  gives a task ("within 5 days") goes through `due_after(session, org_id, start, days)`:
  working days when the organization's default task policy counts them.
- The sweep: `sweep(sessionmaker, clock)`; `due_windows` and `next_action_at` are its pure
  window rules. `replan_open_tasks(session, org_id, day)` moves the open tasks' next actions
  after a day of the organization's calendar flipped (calendars calls it through the
  `DayChangeListener` workflow's registry declares).
- DingTalk to-dos (the registry wires them): `TODO_SYNC_JOB`, `TODO_BACKFILL_JOB`,
  `TODO_EVENT` and its handler `apply_todo_event` (docs/workflow.md, "DingTalk to-dos").
- Types: `TaskInfo`, `NewTask`, `TaskOut`, the policy and submission schemas.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import ParamSpec

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.workflow import lifecycle, reading
from hrcore.workflow.creation import NewTask, create_task, create_tasks, due_after
from hrcore.workflow.hooks import (
    CompletionHook,
    CompletionListener,
    SubmissionCheck,
    SubmissionValidator,
    TaskInfo,
    on_completion,
    register_submission_validator,
    task_info,
)
from hrcore.workflow.kinds import COMPLETE_TASK, REPORT, Operation, Requirement, TaskKindSpec
from hrcore.workflow.lifecycle import cancel_open_tasks
from hrcore.workflow.models import Task
from hrcore.workflow.policies import DEFAULT_ESCALATION, DEFAULT_REMINDER
from hrcore.workflow.reading import task_status
from hrcore.workflow.replanning import replan_open_tasks
from hrcore.workflow.schedule import (
    Timeline,
    Window,
    due_moment,
    due_windows,
    end_of_day,
    next_action_at,
    timeline,
)
from hrcore.workflow.schemas import (
    EscalationPolicy,
    ReminderPolicy,
    Submission,
    TaskOut,
    TaskPolicy,
)
from hrcore.workflow.sweep import sweep
from hrcore.workflow.timeliness import TaskTimeliness, task_timeliness
from hrcore.workflow.todo_backfill import BACKFILL_JOB as TODO_BACKFILL_JOB
from hrcore.workflow.todo_events import TODO_EVENT, apply_todo_event
from hrcore.workflow.todos import SYNC_JOB as TODO_SYNC_JOB

P = ParamSpec("P")

__all__ = [
    "COMPLETE_TASK",
    "DEFAULT_ESCALATION",
    "DEFAULT_REMINDER",
    "REPORT",
    "TODO_BACKFILL_JOB",
    "TODO_EVENT",
    "TODO_SYNC_JOB",
    "CompletionHook",
    "CompletionListener",
    "EscalationPolicy",
    "NewTask",
    "Operation",
    "ReminderPolicy",
    "Requirement",
    "Submission",
    "SubmissionCheck",
    "SubmissionValidator",
    "TaskInfo",
    "TaskKindSpec",
    "TaskOut",
    "TaskPolicy",
    "TaskTimeliness",
    "Timeline",
    "Window",
    "apply_todo_event",
    "cancel_open_tasks",
    "cancel_task",
    "complete_task",
    "create_task",
    "create_tasks",
    "due_after",
    "due_moment",
    "due_windows",
    "end_of_day",
    "next_action_at",
    "on_completion",
    "register_submission_validator",
    "replan_open_tasks",
    "reschedule_task",
    "sweep",
    "task_status",
    "task_timeliness",
    "tasks_of_subjects",
    "timeline",
]


def _as_info(use_case: Callable[P, Awaitable[Task]]) -> Callable[P, Awaitable[TaskInfo]]:
    """The use case as other domains call it: the same arguments, the task as `TaskInfo`."""

    @functools.wraps(use_case)
    async def published(*args: P.args, **kwargs: P.kwargs) -> TaskInfo:
        return task_info(await use_case(*args, **kwargs))

    return published


reschedule_task = _as_info(lifecycle.reschedule_task)
cancel_task = _as_info(lifecycle.cancel_task)
complete_task = _as_info(lifecycle.complete_task)


async def tasks_of_subjects(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    subject_type: str,
    subject_ids: Sequence[uuid.UUID],
    now: datetime,
) -> list[TaskOut]:
    """Tasks of many objects of one domain in one query, oldest first, as shown at `now`
    (the caller checked reach)."""
    tasks = await reading.tasks_of_subjects(
        session, org_id=org_id, subject_type=subject_type, subject_ids=subject_ids
    )
    return await reading.task_views(session, org_id, tasks, now)

"""What other domains and the composition roots (`seed`, `cli`, `worker`, the benchmarks)
may call in workflow. Each call joins the caller's transaction and only flushes.

- Creating: `create_task(session, *, org_id, subject_type, subject_id, kind,
  assignee_employee_id, title, due, reminder_policy=None, escalation_policy=None,
  submission_required=False, confidential=False, actor=None) -> Task` (422 for an unknown
  employee); `create_tasks(session, *, org_id, tasks: Sequence[NewTask], actor=None) ->
  list[UUID]`, all or nothing in a fixed number of statements. `due` is a `date` (the end of
  that day in the organization's time zone) or an aware `datetime`. Policies left `None`
  take the organization's defaults (else `DEFAULT_REMINDER` / `DEFAULT_ESCALATION`); the
  effective policy is snapshotted on the task. A `confidential` task is seen by its
  assignee and HR auditors only, escalated without its title and never sent to webhooks.
- Moving on: `reschedule_task` (open tasks; reminder windows restart), `cancel_task`
  (idempotent), `cancel_open_tasks` (the open ones of many; returns how many),
  `complete_task` (409 unless open; 422 without a required submission; then the kind's
  validator and completion listeners).
- Hooks, declared in the owning domain's registry `task_hooks`: `SubmissionCheck(kind, fn)`
  — an `async fn(session, task, submission)` raising `Unprocessable`; `CompletionHook(kind,
  fn)` — an `async fn(session, task, clock)` run in the completing transaction
  (`register_submission_validator` / `on_completion` are what they install).
- Reading: `task_status`, `tasks_of_subjects` (the caller checked reach), `task_view`.
- The due-moment rule: `end_of_day(day, zone)` and `due_moment(session, org_id, due)`;
  every domain that turns a due date into an instant uses them.
- The sweep: `sweep(sessionmaker, clock)`; `due_windows` and `next_action_at` are its pure
  window rules.
- Types: `Task` (the ORM row; validators and listeners get it), `NewTask`, the policy and
  submission schemas.
"""

from __future__ import annotations

from hrcore.workflow.creation import NewTask, create_task, create_tasks
from hrcore.workflow.hooks import (
    CompletionHook,
    CompletionListener,
    SubmissionCheck,
    SubmissionValidator,
    on_completion,
    register_submission_validator,
)
from hrcore.workflow.lifecycle import (
    cancel_open_tasks,
    cancel_task,
    complete_task,
    reschedule_task,
)
from hrcore.workflow.models import Task
from hrcore.workflow.policies import DEFAULT_ESCALATION, DEFAULT_REMINDER
from hrcore.workflow.reading import task_status, task_view, tasks_of_subjects
from hrcore.workflow.schedule import Window, due_moment, due_windows, end_of_day, next_action_at
from hrcore.workflow.schemas import (
    EscalationPolicy,
    ReminderPolicy,
    Submission,
    TaskOut,
    TaskPolicy,
)
from hrcore.workflow.sweep import sweep

__all__ = [
    "DEFAULT_ESCALATION",
    "DEFAULT_REMINDER",
    "CompletionHook",
    "CompletionListener",
    "EscalationPolicy",
    "NewTask",
    "ReminderPolicy",
    "Submission",
    "SubmissionCheck",
    "SubmissionValidator",
    "Task",
    "TaskOut",
    "TaskPolicy",
    "Window",
    "cancel_open_tasks",
    "cancel_task",
    "complete_task",
    "create_task",
    "create_tasks",
    "due_moment",
    "due_windows",
    "end_of_day",
    "next_action_at",
    "on_completion",
    "register_submission_validator",
    "reschedule_task",
    "sweep",
    "task_status",
    "task_view",
    "tasks_of_subjects",
]

"""The task hooks registry: the domain owning a kind of task checks its submissions and
reacts to its completion, in the completing transaction.

The owning domain declares them in its registry (`SubmissionCheck`, `CompletionHook` in
`task_hooks`), installed when a process is built; completing a task of a kind nobody
registered for runs none.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.workflow.models import Task
from hrcore.workflow.schemas import Submission


@dataclass(frozen=True)
class TaskInfo:
    """What other domains read of one task: hooks get it, and the api's create, complete,
    cancel and reschedule answer with it (the ORM row stays in workflow)."""

    id: uuid.UUID
    org_id: uuid.UUID
    kind: str
    subject_type: str
    subject_id: uuid.UUID
    assignee_employee_id: uuid.UUID
    status: str
    due_at: datetime


def task_info(task: Task) -> TaskInfo:
    return TaskInfo(
        task.id,
        task.org_id,
        task.kind,
        task.subject_type,
        task.subject_id,
        task.assignee_employee_id,
        task.status,
        task.due_at,
    )


SubmissionValidator = Callable[[AsyncSession, TaskInfo, Submission | None], Awaitable[None]]
_VALIDATORS: dict[str, SubmissionValidator] = {}
CompletionListener = Callable[[AsyncSession, TaskInfo, Clock], Awaitable[None]]
_LISTENERS: dict[str, list[CompletionListener]] = {}


def register_submission_validator(kind: str, validator: SubmissionValidator) -> None:
    """Let the domain owning tasks of `kind` check submissions (raise `Unprocessable`)."""
    _VALIDATORS[kind] = validator


def on_completion(kind: str, listener: CompletionListener) -> None:
    """Let a domain react to a completed task of `kind` in the completing transaction."""
    listeners = _LISTENERS.setdefault(kind, [])
    if listener not in listeners:
        listeners.append(listener)


def validator_for(kind: str) -> SubmissionValidator | None:
    return _VALIDATORS.get(kind)


def listeners_for(kind: str) -> Sequence[CompletionListener]:
    return _LISTENERS.get(kind, ())


@dataclass(frozen=True)
class SubmissionCheck:
    """A domain's declaration: `validator` checks submissions of tasks of `kind`."""

    kind: str
    validator: SubmissionValidator

    def install(self) -> None:
        register_submission_validator(self.kind, self.validator)


@dataclass(frozen=True)
class CompletionHook:
    """A domain's declaration: `listener` runs when a task of `kind` completes."""

    kind: str
    listener: CompletionListener

    def install(self) -> None:
        on_completion(self.kind, self.listener)

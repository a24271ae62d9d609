"""Moving a task on: reschedule, cancel (one or many), complete (by the owning domain or by
the assignee over HTTP).

Every change writes an audit event. Completing or cancelling clears `next_action_at`, so no
reminder follows; rescheduling starts a new series of reminder windows. Completion runs the
kind's submission validator first and its completion listeners after, in the same
transaction (`hooks`), so the owning domain moves on atomically. A task's DingTalk to-do
follows (`todos`: done, or deleted when the task is cancelled) from the worker.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.labels import label
from hrcore.files import api as files
from hrcore.webhooks import api as webhooks
from hrcore.workflow import access, hooks, kinds, repository, todos
from hrcore.workflow.audit_state import snapshot
from hrcore.workflow.models import Task
from hrcore.workflow.policies import task_policy
from hrcore.workflow.publishing import publish_many
from hrcore.workflow.schedule import due_in, next_action_at, timeline
from hrcore.workflow.schemas import Submission


async def _locked(session: AsyncSession, org_id: uuid.UUID, task_id: uuid.UUID) -> Task:
    return await get_or_404(session, Task, org_id, task_id, what=N_("task"), for_update=True)


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
        raise Conflict(_("The task is {status}", status=label(task.status)))
    before = snapshot(task)
    line = await timeline(session, org_id)
    task.due_at = due_in(due, line.zone)
    task.schedule += 1
    task.handled_until = None
    task.next_action_at = next_action_at(task_policy(task), line, task.due_at, after=None)
    await session.flush()
    old, new = audit.changes(before, snapshot(task))
    audit.record(
        session, actor, "task.rescheduled", "task", task.id, org_id=org_id, before=old, after=new
    )
    await todos.retimed(session, org_id, task.id)
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
        raise Conflict(_("The task is {status}", status=label(task.status)))
    before = snapshot(task)
    task.status, task.cancelled_at, task.next_action_at = "cancelled", clock.now(), None
    await session.flush()
    old, new = audit.changes(before, snapshot(task))
    audit.record(
        session, actor, "task.cancelled", "task", task.id, org_id=org_id, before=old, after=new
    )
    await todos.want(session, org_id, [task.id], todos.DELETED)
    return task


async def cancel_open_tasks(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    task_ids: Sequence[uuid.UUID],
    clock: Clock,
    actor: Principal | None = None,
    reason: str | None = None,
) -> int:
    """Withdraw whichever of these tasks are still open, in two statements however many
    (closing a review cycle withdraws thousands); done or cancelled ones are left as they
    are. Audited per task as `cancel_task` does, with `reason` when given; returns how many
    were cancelled."""
    cancelled = await repository.cancel_open(session, org_id, task_ids, clock.now())
    after = {"status": "cancelled"} | ({"reason": reason} if reason else {})
    await audit.record_many(
        session,
        actor,
        "task.cancelled",
        "task",
        [(task_id, after) for task_id in cancelled],
        org_id=org_id,
        before={"status": "open"},
    )
    await todos.want(session, org_id, cancelled, todos.DELETED)
    return len(cancelled)


async def complete_task(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    task_id: uuid.UUID,
    clock: Clock,
    submission: Submission | None = None,
    actor: Principal | None = None,
    via: str | None = None,
) -> Task:
    """Mark an open task done; `on_time` says whether that was by its due time. `via` names
    where the actor completed it when not in hrcore (`dingtalk`: a ticked to-do), audited.

    409 unless open; 422 when the task requires a submission and none is given; then the
    validator registered for the task's kind has the last word."""
    task = await _locked(session, org_id, task_id)
    return await _complete(session, task, org_id, clock, submission, actor, via)


async def _complete(
    session: AsyncSession,
    task: Task,
    org_id: uuid.UUID,
    clock: Clock,
    submission: Submission | None,
    actor: Principal | None,
    via: str | None = None,
) -> Task:
    """Complete `task`, already read FOR UPDATE in this transaction."""
    if task.status != "open":
        raise Conflict(_("The task is already {status}", status=label(task.status)))
    if submission is not None and submission.is_empty:
        submission = None
    rule = kinds.rule_json(task.kind, task.submission_required, task.submission_rule)
    if rule is not None:
        _check_submission(kinds.Requirement(**rule), submission)
    validator = hooks.validator_for(task.kind)
    if validator is not None:
        await validator(session, hooks.task_info(task), submission)
    if submission is not None and submission.attachments:
        await files.attach(
            session,
            org_id=org_id,
            refs=submission.attachments,
            employee_id=task.assignee_employee_id,
            subject_type=access.FILES_SUBJECT,
            subject_id=task.id,
            field="submission.attachments",
        )
    before = snapshot(task)
    now = clock.now()
    task.status, task.completed_at, task.on_time = "completed", now, now <= task.due_at
    task.completed_by = actor.id if actor else None
    task.submission = submission.model_dump(mode="json") if submission else None
    task.next_action_at = None
    await session.flush()
    old, new = audit.changes(before, snapshot(task))
    if via is not None:
        new["via"] = via
    audit.record(
        session, actor, "task.completed", "task", task.id, org_id=org_id, before=old, after=new
    )
    completed = hooks.task_info(task)
    for listener in hooks.listeners_for(task.kind):
        await listener(session, completed, clock)
    await publish_many(session, org_id, webhooks.EventType.TASK_COMPLETED, [task], "completed")
    await todos.want(session, org_id, [task.id], todos.DONE)
    return task


def _check_submission(rule: kinds.Requirement, submission: Submission | None) -> None:
    """422 unless the submission meets the task's rule, naming each field that falls short."""
    if rule.required and submission is None:
        raise Unprocessable(
            _("This task needs a submission"),
            errors=[FieldError(field="submission", message=_("text, links or attachments"))],
        )
    if submission is None:
        return
    text = (submission.text or "").strip()
    errors = []
    if len(text) < rule.min_text_length:
        errors.append(
            FieldError(
                field="submission.text",
                message=_("at least {min_text_length} chars", min_text_length=rule.min_text_length),
            )
        )
    if len(submission.links) < rule.min_links:
        errors.append(
            FieldError(
                field="submission.links",
                message=_("at least {min_links}", min_links=rule.min_links),
            )
        )
    if len(submission.attachments) < rule.min_attachments:
        errors.append(
            FieldError(
                field="submission.attachments",
                message=_("at least {min_attachments}", min_attachments=rule.min_attachments),
            )
        )
    if errors:
        raise Unprocessable(
            _("The submission does not meet the task's requirements"), errors=errors
        )


async def complete_as(
    session: AsyncSession,
    principal: Principal,
    task_id: uuid.UUID,
    submission: Submission | None,
    clock: Clock,
) -> Task:
    """Completion over HTTP: only the assignee; others who may see the task get 403. The
    task is read once, locked, for both the reach check and the completion."""
    task = await access.task_in_reach(session, principal, task_id, for_update=True)
    access.require_assignee(principal, task)
    return await _complete(session, task, principal.org_id, clock, submission, principal)

"""The deadline sweep (run every minute by the worker) sends what became due.

A window is recorded in `task_actions` under a unique (task, kind, window) key before anyone
is notified, and the notification's `dedupe_key` is the same key: a repeated or concurrent
sweep never notifies twice. After downtime, only the latest missed window of each kind is
sent (`schedule.due_windows`). Escalations of confidential tasks never carry the title.
Within a batch, the notices of one reason to one recipient are one digest listing the tasks
(`_messages`); each task's action is still recorded on its own.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.core.db import (
    SessionMaker,
    commit_without_flush_wait,
    tenant_transaction,
)
from hrcore.core.i18n import Lines, Moment, Text, _, _n
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.webhooks import api as webhooks
from hrcore.workflow import repository
from hrcore.workflow.policies import parsed_policy
from hrcore.workflow.publishing import publish_many
from hrcore.workflow.schedule import (
    ESCALATE_HR,
    ESCALATE_MANAGER,
    REMIND,
    Timeline,
    Window,
    due_windows,
    next_action_at,
    timeline,
)
from hrcore.workflow.schemas import TaskPolicy

logger = logging.getLogger("hrcore.workflow")

SWEEP_BATCH_SIZE = 1000
SWEEP_CONCURRENCY = 2
SUBJECT_TYPE = "task"
"""Notifications link to the task; the task links on to its owning domain's object."""
DIGEST_LINES = 50
"""Tasks a digest lists one by one; the others are counted in a last line."""


async def sweep(
    sessionmaker: SessionMaker, clock: Clock, *, batch_size: int = SWEEP_BATCH_SIZE
) -> int:
    """Send every reminder and escalation that is due; returns how many tasks were handled.

    `organizations` is not under row-level security, so the sweep lists organizations and
    runs one indexed query per organization with `app.org_id` set (RLS hides other tenants'
    tasks from the app role); the organization's calendar and time zone are read once, before
    its batches. Each batch is its own transaction: rows are locked with
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
            async with tenant_transaction(sessionmaker, org_id) as session:
                line = await timeline(session, org_id)
            drains = (
                _drain(sessionmaker, org_id, line, now, batch_size)
                for _ in range(SWEEP_CONCURRENCY)
            )
            handled += sum(await asyncio.gather(*drains))
        except Exception:
            logger.exception("deadline sweep failed for organization %s", org_id)
    return handled


async def _drain(
    sessionmaker: SessionMaker, org_id: uuid.UUID, line: Timeline, now: datetime, batch_size: int
) -> int:
    """Sweep batches of one organization until a short one; returns the tasks handled.

    The sweep runs `SWEEP_CONCURRENCY` of these side by side on their own connections: one
    batch's Python work (windows, messages) overlaps another's statements, and `SKIP LOCKED`
    keeps them from taking the same tasks.
    """
    handled = 0
    while True:
        async with tenant_transaction(sessionmaker, org_id) as session:
            await commit_without_flush_wait(session)
            count = await sweep_organization(session, org_id, line, now, batch_size)
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
        return cls(**{**row._asdict(), "policy": parsed_policy(row.policy)})


@dataclass(frozen=True)
class _Action:
    task: DueTask
    window: Window
    user_ids: list[uuid.UUID]

    @property
    def recorded_key(self) -> tuple[uuid.UUID, str, str]:
        """The action's unique key in `task_actions`: (task, kind, schedule and window)."""
        return (self.task.id, self.window.kind, f"s{self.task.schedule}:{self.window.name}")

    @property
    def dedupe_key(self) -> str:
        task_id, kind, window = self.recorded_key
        return f"task:{task_id}:{kind}:{window}"


async def sweep_organization(
    session: AsyncSession, org_id: uuid.UUID, line: Timeline, now: datetime, limit: int
) -> int:
    """One batch of one organization's due tasks, in the caller's (tenant-scoped) transaction,
    on the organization's timeline (its calendar and time zone, loaded once per sweep)."""
    tasks = [
        DueTask.of(row) for row in await repository.due_for_action(session, org_id, now, limit)
    ]
    if not tasks:
        return 0
    planned = [
        (task, window)
        for task in tasks
        for window in due_windows(task.policy, line, task.due_at, after=task.handled_until, now=now)
    ]
    actions = await _recipients(session, org_id, planned)
    if actions:
        rows = [
            {
                "org_id": org_id,
                "task_id": action.task.id,
                "kind": action.window.kind,
                "window": action.recorded_key[2],
                "window_at": action.window.at,
                "performed_at": now,
                "recipients": len(action.user_ids),
            }
            for action in actions
        ]
        new = await repository.record_actions(session, rows)
        recorded = [action for action in actions if action.recorded_key in new]
        overdue = [action.task for action in recorded if action.window.overdue]
        messages = _messages([action for action in recorded if action.user_ids], line, now)
        await notifications.notify_many(session, org_id=org_id, messages=messages)
        await publish_many(session, org_id, webhooks.EventType.TASK_OVERDUE, overdue, "overdue")
    await repository.mark_swept(
        session,
        [
            {
                "task_id": task.id,
                "handled_until": now,
                "next_action_at": next_action_at(task.policy, line, task.due_at, after=now),
            }
            for task in tasks
        ],
    )
    return len(tasks)


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


def _messages(
    actions: Sequence[_Action], line: Timeline, now: datetime
) -> list[notifications.Message]:
    """One message per recipient and reason (reminder, overdue reminder, escalation to the
    manager, to HR): one action is today's single-task message, several a digest listing
    them. A digest's `dedupe_key` is a digest of its actions' keys, so a re-run that finds
    the same actions again sends nothing twice."""
    groups: dict[tuple[str, bool, tuple[uuid.UUID, ...]], list[_Action]] = defaultdict(list)
    for action in actions:
        recipients = tuple(sorted(set(action.user_ids)))
        groups[(action.window.kind, action.window.overdue, recipients)].append(action)
    messages = []
    for (kind, _overdue, recipients), grouped in groups.items():
        if len(grouped) == 1:
            [action] = grouped
            text = _message(action.task, action.window, line, now)
            subject_id: uuid.UUID | None = action.task.id
            dedupe_key = action.dedupe_key
            # the assignee acts on the task's own item (answers the review); others open it
            act = action.task.subject_type if kind == REMIND else None
        else:
            # confidential tasks last: their place among the titles would hint at theirs
            grouped.sort(key=lambda a: (a.task.confidential, a.task.due_at, a.task.title))
            text = _digest(grouped, line, now)
            subject_id = None
            keys = "\n".join(sorted(action.dedupe_key for action in grouped))
            dedupe_key = f"digest:{kind}:{hashlib.sha256(keys.encode()).hexdigest()}"
            act = None
        messages.append(
            notifications.Message(
                user_ids=list(recipients),
                kind=text["kind"],
                title=text["title"],
                body=text["body"],
                subject_type=SUBJECT_TYPE if subject_id else None,
                subject_id=subject_id,
                dedupe_key=dedupe_key,
                act=act,
            )
        )
    return messages


def _days_overdue(task: DueTask, line: Timeline, now: datetime) -> tuple[int, bool]:
    """Whole days past the due time, and whether they are working days: counted as the
    task's escalation policy counts its thresholds, so an escalation after 3 working days
    says 3 working days, not the 5 calendar days a weekend makes of them."""
    working = task.policy.escalation.days_are == "working"
    days = line.steps(task.due_at, now, "working" if working else "calendar")
    return max(days, 0), working


def _digest(actions: Sequence[_Action], line: Timeline, now: datetime) -> dict[str, Any]:
    """The kind, title and body of several actions of one reason for one recipient: the
    count in the title, one line per task; escalations list confidential tasks without
    their title."""
    count, window, zone = len(actions), actions[0].window, line.zone
    if window.kind == REMIND:
        lines = _listed(
            [
                _("{title}, due by {due}", title=a.task.title, due=Moment(a.task.due_at, zone))
                for a in actions
            ]
        )
        if not window.overdue:
            return {
                "kind": "task.reminder",
                "title": _n("{count} task due soon", "{count} tasks due soon", count),
                "body": _("These tasks are due soon:\n{tasks}", tasks=lines),
            }
        return {
            "kind": "task.overdue",
            "title": _n("{count} task overdue", "{count} tasks overdue", count),
            "body": _("Please complete these overdue tasks:\n{tasks}", tasks=lines),
        }
    lines = _listed([_overdue_line(action.task, line, now) for action in actions])
    if window.kind == ESCALATE_MANAGER:
        return {
            "kind": "task.escalation",
            "title": _n(
                "{count} task of your reports is overdue",
                "{count} tasks of your reports are overdue",
                count,
            ),
            "body": _(
                "These tasks of your reports are still open past their due time:\n{tasks}",
                tasks=lines,
            ),
        }
    return {
        "kind": "task.escalation",
        "title": _n(
            "{count} task of employees is overdue", "{count} tasks of employees are overdue", count
        ),
        "body": _(
            "These tasks of employees are still open past their due time:\n{tasks}", tasks=lines
        ),
    }


def _listed(lines: Sequence[Text]) -> Lines:
    """The first `DIGEST_LINES` lines and how many more: a digest stays readable, and within
    what a DingTalk message holds, however many tasks a batch had (the title has the count)."""
    rest = len(lines) - DIGEST_LINES
    if rest <= 0:
        return Lines(lines)
    more = _n("…and {count} more task", "…and {count} more tasks", rest)
    return Lines([*lines[:DIGEST_LINES], more])


def _overdue_line(task: DueTask, line: Timeline, now: datetime) -> Text:
    """One task of an escalation digest; a confidential one says only that it is one."""
    due = Moment(task.due_at, line.zone)
    days, working = _days_overdue(task, line, now)
    if task.confidential and working:
        return _n(
            "A confidential task (only its assignee sees what it is), due by {due}, "
            "{count} working day overdue",
            "A confidential task (only its assignee sees what it is), due by {due}, "
            "{count} working days overdue",
            days,
            due=due,
        )
    if task.confidential:
        return _n(
            "A confidential task (only its assignee sees what it is), due by {due}, "
            "{count} day overdue",
            "A confidential task (only its assignee sees what it is), due by {due}, "
            "{count} days overdue",
            days,
            due=due,
        )
    if working:
        return _n(
            "{title}, due by {due}, {count} working day overdue",
            "{title}, due by {due}, {count} working days overdue",
            days,
            title=task.title,
            due=due,
        )
    return _n(
        "{title}, due by {due}, {count} day overdue",
        "{title}, due by {due}, {count} days overdue",
        days,
        title=task.title,
        due=due,
    )


def _message(task: DueTask, window: Window, line: Timeline, now: datetime) -> dict[str, Any]:
    """The kind, title and body of a reminder or escalation; texts render in each recipient's
    locale, the due time in the organization's time zone."""
    due = Moment(task.due_at, line.zone)
    if window.kind == REMIND and not window.overdue:
        return {
            "kind": "task.reminder",
            "title": _("Due soon: {title}", title=task.title),
            "body": _("Due by {due}.", due=due),
        }
    if window.kind == REMIND:
        return {
            "kind": "task.overdue",
            "title": _("Overdue: {title}", title=task.title),
            "body": _("This task was due by {due}; please complete it.", due=due),
        }
    to_manager = window.kind == ESCALATE_MANAGER
    if task.confidential:
        return {
            "kind": "task.escalation",
            "title": _escalation_title(task, line, now),
            "body": _(
                "A confidential task of your report (a 360 review, for instance) was due by "
                "{due} and is still open; only they see what it is.",
                due=due,
            )
            if to_manager
            else _(
                "A confidential task of an employee (a 360 review, for instance) was due by "
                "{due} and is still open; only they see what it is.",
                due=due,
            ),
        }
    return {
        "kind": "task.escalation",
        "title": _escalation_title(task, line, now),
        "body": _("A task of your report was due by {due} and is still open.", due=due)
        if to_manager
        else _("A task of an employee was due by {due} and is still open.", due=due),
    }


def _escalation_title(task: DueTask, line: Timeline, now: datetime) -> Text:
    """The "Overdue N days: …" title, in working days when the escalation counts them; a
    confidential task without its title."""
    days, working = _days_overdue(task, line, now)
    if task.confidential and working:
        return _n(
            "Overdue {count} working day: a confidential task",
            "Overdue {count} working days: a confidential task",
            days,
        )
    if task.confidential:
        return _n(
            "Overdue {count} day: a confidential task",
            "Overdue {count} days: a confidential task",
            days,
        )
    if working:
        return _n(
            "Overdue {count} working day: {title}",
            "Overdue {count} working days: {title}",
            days,
            title=task.title,
        )
    return _n(
        "Overdue {count} day: {title}", "Overdue {count} days: {title}", days, title=task.title
    )

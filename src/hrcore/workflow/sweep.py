"""The deadline sweep (run every minute by the worker) sends what became due.

A window is recorded in `task_actions` under a unique (task, kind, window) key before anyone
is notified, and the notification's `dedupe_key` is the same key: a repeated or concurrent
sweep never notifies twice. After downtime, only the latest missed window of each kind is
sent (`schedule.due_windows`). Escalations of confidential tasks never carry the title.
Within a batch, the notices of one reason to one recipient are one digest listing the tasks
(`deadline_messages`); each task's action is still recorded on its own.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.core.db import (
    SessionMaker,
    commit_without_flush_wait,
    tenant_transaction,
)
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.webhooks import api as webhooks
from hrcore.workflow import repository
from hrcore.workflow.deadline_messages import Action, DueTask, messages
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

logger = logging.getLogger("hrcore.workflow")

SWEEP_BATCH_SIZE = 1000
SWEEP_CONCURRENCY = 2


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
        said = messages([action for action in recorded if action.user_ids], line, now)
        await notifications.notify_many(session, org_id=org_id, messages=said)
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
) -> list[Action]:
    """Who hears of each action, and whom an escalation names, in a fixed number of queries
    for the whole batch."""
    if not planned:
        return []
    escalated = [task.assignee_employee_id for task, w in planned if w.kind == ESCALATE_MANAGER]
    managers = await people.managers_of(session, org_id, escalated) if escalated else {}
    employees = {task.assignee_employee_id for task, w in planned if w.kind == REMIND}
    employees |= {manager for manager in managers.values() if manager is not None}
    users = await identity.user_ids_for_employees(session, org_id, sorted(employees))
    needs_hr = any(w.kind == ESCALATE_HR for _, w in planned)
    hr = await identity.hr_admin_user_ids(session, org_id) if needs_hr else []
    overdue = {task.assignee_employee_id for task, w in planned if w.kind != REMIND}
    names = await people.employee_refs(session, org_id, sorted(overdue)) if overdue else {}
    actions = []
    for task, window in planned:
        if window.kind == REMIND:
            recipients = users.get(task.assignee_employee_id, [])
        elif window.kind == ESCALATE_MANAGER:
            manager = managers.get(task.assignee_employee_id)
            recipients = users.get(manager, []) if manager else []
        else:
            recipients = hr
        named = names.get(task.assignee_employee_id)
        actions.append(Action(task, window, list(recipients), named.name if named else ""))
    return actions

"""Reminder and escalation policies: the organization's defaults (HR admin reads and
replaces them) and the policy snapshotted on each task.

Without defaults of its own an organization gets the seed numbers: remind 3 days before
due, then every 2 days after due; escalate to the manager after 3 days overdue, to HR after
7. A task keeps the effective policy it was created with, so changing the defaults never
moves running work.
"""

from __future__ import annotations

import functools
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.workflow import repository
from hrcore.workflow.models import Task, TaskPolicyDefaults
from hrcore.workflow.schemas import (
    EscalationPolicy,
    ReminderPolicy,
    TaskPolicy,
    TaskPolicyDefaultsIn,
    TaskPolicyDefaultsOut,
)

DEFAULT_REMINDER = ReminderPolicy(before_due_days=[3], repeat_every_days=2)
DEFAULT_ESCALATION = EscalationPolicy(manager_after_days=3, hr_after_days=7)


def task_policy(task: Task) -> TaskPolicy:
    """The policy snapshotted on the task."""
    return TaskPolicy.model_validate(task.policy)


@functools.lru_cache(maxsize=1024)
def parsed_policy(text: str) -> TaskPolicy:
    """A policy read as JSON text (the sweep, re-planning): policies are shared by many tasks
    (organization defaults, a template's stage), so each distinct one is parsed once.
    Callers never mutate the result."""
    return TaskPolicy.model_validate_json(text)


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

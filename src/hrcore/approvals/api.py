"""What other domains may call of approvals, in plain data.

- Declaring a kind, in the owning domain's registry `task_hooks`: `ApprovalKindSpec(kind,
  on_approved, facts=(Fact(name, type), …), default_steps=None)`; `on_approved` is an
  `async fn(session, ApprovedSubject, clock)` run in the transaction of the last decision.
- Submitting: `submit(session, *, org_id, kind, title, subject_employee_id, subject_id,
  requester_employee_id, facts, clock, actor=None) -> UUID` (422 for an unknown kind, fact
  or employee, or when nobody at all could approve).
- Deciding through the owning domain's endpoint: `subject_approval(session, org_id, kind,
  subject_id)` (the subject's newest approval, or None) and `decide_current_step(session,
  principal, approval_id, verdict, clock, authority=…)` (the caller's part; with `authority`,
  the whole current step in their name); `withdraw_for_subjects(session, org_id, kind,
  subject_ids, clock, actor)` when the domain's subjects can no longer be decided.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import running
from hrcore.approvals.authority import (
    SubjectApproval,
    decide_current_step,
    subject_approval,
    withdraw_for_subjects,
)
from hrcore.approvals.kinds import ApprovalKindSpec, ApprovedSubject, Fact, OnApproved
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.people import api as people

__all__ = [
    "ApprovalKindSpec",
    "ApprovedSubject",
    "Fact",
    "OnApproved",
    "SubjectApproval",
    "decide_current_step",
    "subject_approval",
    "submit",
    "withdraw_for_subjects",
]


async def submit(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    kind: str,
    title: str,
    subject_employee_id: uuid.UUID,
    subject_id: uuid.UUID,
    requester_employee_id: uuid.UUID,
    facts: dict[str, Any],
    clock: Clock,
    actor: Principal | None = None,
) -> uuid.UUID:
    subject = await people.require_employee(
        session, org_id, subject_employee_id, "subject_employee_id"
    )
    approval = await running.submit(
        session,
        org_id=org_id,
        kind=kind,
        title=title,
        subject_employee=subject,
        subject_id=subject_id,
        requester_employee_id=requester_employee_id,
        facts=facts,
        clock=clock,
        actor=actor,
    )
    return approval.id

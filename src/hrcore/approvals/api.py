"""What other domains may call of approvals, in plain data.

- Declaring a kind, in the owning domain's registry `task_hooks`: `ApprovalKindSpec(kind,
  on_approved, facts=(Fact(name, type), …), default_steps=None)`; `on_approved` is an
  `async fn(session, ApprovedSubject, clock)` run in the transaction of the last decision.
- Submitting: `submit(session, *, org_id, kind, title, subject_employee_id, subject_id,
  requester_employee_id, facts, clock, actor=None) -> UUID` (422 for an unknown kind, fact
  or employee, or when nobody at all could approve).
- Resubmitting, for a domain that computes its kind's facts: `resubmit(session, *, org_id,
  approval_id, kind, facts, clock, actor=None, title=None, comment=None)` sends a `returned`
  approval of that kind again with the recomputed facts, from the first step of its kept
  chain in a new round, as `POST /approvals/{id}/resubmit` does for a requester (404 for no
  approval of that kind, 409 unless returned, 422 for an unknown fact).
- `has_chain(session, org_id, kind)`: whether the organization wrote a chain for the kind
  (a kind whose default is "no one else approves" starts approvals only then).
- A domain's own decision endpoint (talent's HR decision on a nomination): `latest(session,
  org_id, kind, subject_id) -> ApprovalState | None` (status, current step, who it awaits),
  `decide(session, principal, approval_id, verdict, comment, clock) -> status` (as
  `/approvals/{id}/approve|reject`), `last_decision(...)` (who decided last and why, for the
  kind's act), `cancel(session, org_id, approval_id, clock)` (the subject left: nothing is
  left to decide; audited, no act runs).
- Deciding with the domain's own authority (reviews' nomination decision):
  `subject_approval(session, org_id, kind, subject_id)` (the subject's newest approval and
  who is or was on it, or None) and `decide_current_step(session, principal, approval_id,
  verdict, clock, authority=…)` (the caller's part; with `authority`, the whole current step
  in their name); `withdraw_for_subjects(session, org_id, kind, subject_ids, clock, actor)`
  when the domain's subjects can no longer be decided.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import chains, deciding, repository, running
from hrcore.approvals.authority import (
    SubjectApproval,
    decide_current_step,
    subject_approval,
    withdraw_for_subjects,
)
from hrcore.approvals.kinds import ApprovalKindSpec, ApprovedSubject, Fact, OnApproved, OnEnded
from hrcore.approvals.models import Approval
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.people import api as people

__all__ = [
    "ApprovalKindSpec",
    "ApprovalState",
    "ApprovedSubject",
    "Decision",
    "Fact",
    "OnApproved",
    "OnEnded",
    "SubjectApproval",
    "cancel",
    "decide",
    "decide_current_step",
    "has_chain",
    "last_decision",
    "latest",
    "resubmit",
    "subject_approval",
    "submit",
    "withdraw_for_subjects",
]


@dataclass(frozen=True)
class ApprovalState:
    """Where an approval stands: `awaiting` are the approvers with a pending part in the
    current step (empty once it is decided)."""

    id: uuid.UUID
    status: str
    current_step: int | None
    awaiting: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class Decision:
    employee_id: uuid.UUID
    verdict: str
    comment: str | None


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


async def resubmit(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    approval_id: uuid.UUID,
    kind: str,
    facts: dict[str, Any],
    clock: Clock,
    actor: Principal | None = None,
    title: str | None = None,
    comment: str | None = None,
) -> None:
    await deciding.resubmit_of_kind(
        session,
        org_id=org_id,
        approval_id=approval_id,
        kind=kind,
        facts=facts,
        title=title,
        comment=comment,
        clock=clock,
        actor=actor,
    )


async def latest(
    session: AsyncSession, org_id: uuid.UUID, kind: str, subject_id: uuid.UUID
) -> ApprovalState | None:
    """The subject's latest approval of the kind, locked until the transaction ends."""
    approval = await repository.latest_of_subject(session, org_id, kind, subject_id)
    if approval is None:
        return None
    parts = await repository.assignments_of(session, org_id, approval.id)
    awaiting = tuple(
        a.employee_id
        for a in parts
        if approval.status == "pending"
        and a.status == "pending"
        and a.step == approval.current_step
    )
    return ApprovalState(approval.id, approval.status, approval.current_step, awaiting)


async def decide(
    session: AsyncSession,
    principal: Principal,
    approval_id: uuid.UUID,
    verdict: Literal["approved", "rejected"],
    comment: str | None,
    clock: Clock,
) -> str:
    """The caller's decision on the current step, as `/approvals/{id}/approve|reject` make
    it (404 when not on the step, 409 when decided); the approval's status after it."""
    approval = await deciding.decide(session, principal, approval_id, verdict, comment, clock)
    return approval.status


async def last_decision(
    session: AsyncSession, org_id: uuid.UUID, approval_id: uuid.UUID
) -> Decision | None:
    """The latest approver's verdict and comment (what an act records as the decision)."""
    decided = [
        a
        for a in await repository.assignments_of(session, org_id, approval_id)
        if a.decided_at is not None and a.status in ("approved", "rejected", "returned")
    ]
    if not decided:
        return None
    last = max(decided, key=lambda a: a.decided_at or datetime.min)
    return Decision(last.employee_id, last.status, last.comment)


async def cancel(
    session: AsyncSession, org_id: uuid.UUID, approval_id: uuid.UUID, clock: Clock
) -> None:
    """Nothing is left to decide (the subject left): a pending or returned approval ends
    withdrawn by the system, its open tasks cancelled; the kind's act does not run."""
    approval = await session.get(Approval, approval_id, with_for_update=True)
    if approval is None or approval.org_id != org_id:
        return
    if approval.status not in ("pending", "returned"):
        return
    parts = await repository.assignments_of(session, org_id, approval.id)
    approval.status, approval.current_step, approval.decided_at = "withdrawn", None, clock.now()
    await running.close_assignments(session, approval, parts, clock, None, reason="withdrawn")
    audit.record(session, None, "approval.withdrawn", running.SUBJECT, approval.id, org_id=org_id)


async def has_chain(session: AsyncSession, org_id: uuid.UUID, kind: str) -> bool:
    return await chains.chain_for(session, org_id, kind) is not None

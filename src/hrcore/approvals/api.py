"""What other domains may call of approvals, in plain data.

- Declaring a kind, in the owning domain's registry `task_hooks`: `ApprovalKindSpec(kind,
  on_approved, facts=(Fact(name, type), …), default_steps=None)`; `on_approved` is an
  `async fn(session, ApprovedSubject, clock)` run in the transaction of the last decision.
- Submitting: `submit(session, *, org_id, kind, title, subject_employee_id, subject_id,
  requester_employee_id, requester_user_id=None, facts, clock, actor=None) -> UUID` (422
  for an unknown kind, fact or employee, or when nobody at all could approve). The requester
  is an employee, or an account without one (`requester_user_id`: exactly one of the two);
  `subject_employee_id` is None for a subject that is no person, whose department rules
  then read the kind's `department_id` fact.
- Resubmitting, for a domain that computes its kind's facts: `resubmit(session, *, org_id,
  approval_id, kind, facts, clock, actor=None, title=None, comment=None)` sends a `returned`
  approval of that kind again with the recomputed facts, from the first step of its kept
  chain in a new round, as `POST /approvals/{id}/resubmit` does for a requester (404 for no
  approval of that kind, 409 unless returned, 422 for an unknown fact).
- `fallback_approvers(session, org_id, parties)` with `Parties.of(subject, facts,
  requester_id, requester_user_id)`: the HR admins (`Approvers`: employees, and accounts
  without an employee record) the engine falls back to when a step has nobody, never the
  requester nor the subject; empty (falsy): nobody could approve, and submitting is refused.
- `has_chain(session, org_id, kind)`: whether the organization wrote a chain for the kind
  (a kind whose default is "no one else approves" starts approvals only then).
- A domain's own endpoint deciding its subjects (talent's HR decision on a nomination,
  reviews' nomination decision): `subject_approval(session, org_id, kind, subject_id)` (the
  subject's newest approval: status, whether on the kind's default chain, who is or was on
  it and whom its current step awaits; None without one) and `decide_current_step(session,
  principal, approval_id, verdict, clock, authority=…, comment=None)` (the caller's part;
  with `authority`, the whole current step in their name). The kind's act reads who decided
  and why from `ApprovedSubject.actor` and `.comment`.
- Showing a subject's approvals on the owning domain's object, to whoever may read the
  object: `subject_history(session, org_id, kind, subject_id)` (every approval, oldest first,
  with every round's decisions, as `ApprovalOut`) and `subject_statuses(session, org_id,
  kind, subject_ids)` (each subject's newest approval's status, one query for a page).
- `withdraw_for_subjects(session, org_id, kind, subject_ids, clock, actor)` when the
  domain's subjects can no longer be decided (a closed cycle, a nominee who left, a
  cancelled vacancy): withdrawn without the kind's act, DingTalk instances terminated.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import chains, deciding, repository, running
from hrcore.approvals.authority import (
    SubjectApproval,
    decide_current_step,
    subject_approval,
    withdraw_for_subjects,
)
from hrcore.approvals.kinds import ApprovalKindSpec, ApprovedSubject, Fact, OnApproved, OnEnded
from hrcore.approvals.reading import subject_history
from hrcore.approvals.resolution import Approvers, Parties, fallback_approvers
from hrcore.approvals.schemas import ApprovalOut
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.people import api as people

__all__ = [
    "ApprovalKindSpec",
    "ApprovalOut",
    "ApprovedSubject",
    "Approvers",
    "Fact",
    "OnApproved",
    "OnEnded",
    "Parties",
    "SubjectApproval",
    "decide_current_step",
    "fallback_approvers",
    "has_chain",
    "resubmit",
    "subject_approval",
    "subject_history",
    "subject_statuses",
    "submit",
    "withdraw_for_subjects",
]


async def submit(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    kind: str,
    title: str,
    subject_employee_id: uuid.UUID | None,
    subject_id: uuid.UUID,
    requester_employee_id: uuid.UUID | None,
    facts: dict[str, Any],
    clock: Clock,
    requester_user_id: uuid.UUID | None = None,
    actor: Principal | None = None,
) -> uuid.UUID:
    if (requester_employee_id is None) == (requester_user_id is None):
        raise ValueError("an approval's requester is an employee or an account, exactly one")
    subject = (
        await people.require_employee(session, org_id, subject_employee_id, "subject_employee_id")
        if subject_employee_id is not None
        else None
    )
    approval = await running.submit(
        session,
        org_id=org_id,
        kind=kind,
        title=title,
        subject_employee=subject,
        subject_id=subject_id,
        requester_employee_id=requester_employee_id,
        requester_user_id=requester_user_id,
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


async def has_chain(session: AsyncSession, org_id: uuid.UUID, kind: str) -> bool:
    return await chains.chain_for(session, org_id, kind) is not None


async def subject_statuses(
    session: AsyncSession, org_id: uuid.UUID, kind: str, subject_ids: list[uuid.UUID]
) -> dict[uuid.UUID, str]:
    return await repository.latest_statuses(session, org_id, kind, subject_ids)

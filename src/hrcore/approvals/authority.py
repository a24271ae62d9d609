"""Deciding an approval through its owning domain's own endpoint (a peer nomination's
`/decision`, a description draft's `/approve`).

The caller's pending part on the current step is decided as on `/approvals/{id}/approve`.
A caller without one decides the whole current step in their name only where the owning
domain grants them `authority` over the subject: so those who decided before the flow ran
on the engine keep deciding on the kind's default chain — HR accounts without an employee
record included. Their decision is audited like any other and kept as their part of the
step (by employee record, or by account for one without). A domain whose subjects
can no longer be decided (a closed review cycle) withdraws their approvals itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import access, deciding, dingtalk_stop, repository
from hrcore.approvals.deciding import Verdict
from hrcore.approvals.models import Approval, ApprovalAssignment
from hrcore.approvals.running import SUBJECT, advance, close_assignments, ended
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import among
from hrcore.core.errors import Conflict, Forbidden, NotFound
from hrcore.core.i18n import _
from hrcore.workflow import api as workflow


@dataclass(frozen=True)
class SubjectApproval:
    """A subject's newest approval: `on_default_chain` when the organization has no chain
    of its own for the kind (the kind's declared default runs), and who is or was on it (a
    domain answers 404 to anyone else)."""

    id: uuid.UUID
    status: str
    on_default_chain: bool
    approvers: frozenset[uuid.UUID]
    """Every employee who has or had a part in it, on any step."""
    awaiting: frozenset[uuid.UUID]
    """The employees whose part on the current step is pending (empty once decided)."""
    approver_users: frozenset[uuid.UUID] = frozenset()
    """The accounts without an employee record who have or had a part in it."""
    awaiting_users: frozenset[uuid.UUID] = frozenset()
    """The accounts without an employee record whose part on the current step is pending."""

    def involves(self, principal: Principal) -> bool:
        """Whether the caller has or had a part in it (by employee record or account)."""
        return principal.employee_id in self.approvers or principal.user_id in self.approver_users

    def awaits(self, principal: Principal) -> bool:
        """Whether the current step awaits the caller's part."""
        return principal.employee_id in self.awaiting or principal.user_id in self.awaiting_users


async def subject_approval(
    session: AsyncSession, org_id: uuid.UUID, kind: str, subject_id: uuid.UUID
) -> SubjectApproval | None:
    found = await repository.latest_of_subject(session, org_id, kind, subject_id)
    if found is None:
        return None
    parts = await repository.assignments_of(session, org_id, found.id)
    awaiting = [
        a
        for a in parts
        if found.status == "pending"
        and a.status == "pending"
        and a.step == found.current_step
        and a.round == found.round
    ]
    return SubjectApproval(
        found.id,
        found.status,
        found.chain_id is None,
        frozenset(a.employee_id for a in parts if a.employee_id is not None),
        frozenset(a.employee_id for a in awaiting if a.employee_id is not None),
        frozenset(a.user_id for a in parts if a.user_id is not None),
        frozenset(a.user_id for a in awaiting if a.user_id is not None),
    )


async def decide_current_step(
    session: AsyncSession,
    principal: Principal,
    approval_id: uuid.UUID,
    verdict: Verdict,
    clock: Clock,
    *,
    authority: bool,
    comment: str | None = None,
) -> str:
    """Decide the current step with the caller's `comment` (404 for a caller with neither a
    part nor `authority`, 409 once the approval is decided or while it runs in DingTalk);
    answers the approval's status afterwards."""
    approval = await access.locked(session, principal.org_id, approval_id)
    if approval.status != "pending":
        raise Conflict(_("The approval is decided already"))
    if approval.current_step is None:  # pending with no step: it runs in DingTalk
        raise Conflict(_("This approval is decided in DingTalk"))
    parts = await repository.assignments_of(session, approval.org_id, approval.id)
    step = approval.current_step
    pending = [
        a for a in parts if a.status == "pending" and a.step == step and a.round == approval.round
    ]
    if any(access.holds(principal, a) for a in pending):
        decided = await deciding.decide(session, principal, approval.id, verdict, comment, clock)
        return decided.status
    if not authority:
        raise NotFound(_("You are not an approver of this approval's current step"))
    if access.is_party(principal, approval):
        raise Forbidden(_("Neither the requester nor the subject decides their own approval"))
    if principal.user_id is not None:
        session.add(
            ApprovalAssignment(
                org_id=approval.org_id,
                approval_id=approval.id,
                step=step,
                round=approval.round,
                employee_id=principal.employee_id,
                user_id=principal.user_id if principal.employee_id is None else None,
                status=verdict,
                comment=comment,
                decided_at=clock.now(),
            )
        )
    audit.record(
        session,
        principal,
        f"approval.{verdict}",
        SUBJECT,
        approval.id,
        org_id=approval.org_id,
        after={
            "step": step,
            "comment": comment,
            "in_stead_of": [str(a.employee_id or a.user_id) for a in pending],
        },
    )
    if verdict != "approved":
        approval.status, approval.current_step, approval.decided_at = verdict, None, clock.now()
        await close_assignments(session, approval, parts, clock, principal, reason=verdict)
        if verdict == "rejected":  # a returned one may still be resubmitted: nothing ended
            await ended(session, approval, clock, principal, comment)
        return approval.status
    await close_assignments(session, approval, pending, clock, principal, reason="step_decided")
    await advance(session, approval, clock, principal, comment)
    return approval.status


async def withdraw_for_subjects(
    session: AsyncSession,
    org_id: uuid.UUID,
    kind: str,
    subject_ids: Sequence[uuid.UUID],
    clock: Clock,
    actor: Principal | None,
) -> int:
    """The owning domain withdraws the pending or returned approvals of subjects nobody can
    decide any more (a closed review cycle's nominations, a nominee who left, a cancelled
    vacancy): their open parts and tasks are cancelled, an instance running in DingTalk is
    terminated there (as the requester's withdrawal does), and each is audited; the kind's
    `on_ended` does not run, the domain being the one acting. A constant number of
    statements whatever their number; answers how many."""
    if not subject_ids:
        return 0
    pending = list(
        (
            await session.scalars(
                select(Approval)
                .where(
                    Approval.org_id == org_id,
                    Approval.kind == kind,
                    Approval.status.in_(("pending", "returned")),
                    among(Approval.subject_id, subject_ids),
                )
                .with_for_update()
            )
        ).all()
    )
    if not pending:
        return 0
    parts = await repository.assignments_of_many(session, org_id, [a.id for a in pending])
    open_parts = [a for a in parts if a.status == "pending"]
    for part in open_parts:
        part.status = "cancelled"
    tasks = [a.task_id for a in open_parts if a.task_id is not None]
    if tasks:
        await workflow.cancel_open_tasks(
            session, org_id=org_id, task_ids=tasks, clock=clock, actor=actor, reason="withdrawn"
        )
    now = clock.now()
    for approval in pending:
        approval.status, approval.current_step, approval.decided_at = "withdrawn", None, now
    await dingtalk_stop.withdrawn(session, org_id, [a.id for a in pending])
    await audit.record_many(
        session,
        actor,
        "approval.withdrawn",
        SUBJECT,
        [(a.id, {"by": "owning_domain"}) for a in pending],
        org_id=org_id,
    )
    return len(pending)

"""A pool nomination on the approval engine: the kind `talent.pool_nomination`.

The kind names the facts an organization's chain may test and its default chain: any one
HR admin, as HR decided every nomination before chains existed. A nomination starts an
approval whose subject is the membership; HR's decision on the member (`PATCH
…/members/{id}`) decides the approval's current step: on the default chain any HR admin's,
as before chains; on the organization's own chain only its approvers'. The acts run in
the transaction of the approval's last decision: approved → the member is active; rejected
→ the nomination ends rejected with the approver's comment; withdrawn by the nominator →
removed. Each is kept in the member's history (source `approval`), audited, published to
webhooks (a decision) and told to the nominee.

A nominator without an employee record requests it by their account, and HR admins who
have only an account approve by it, like any other. Only in an organization with no HR
admin but the nominator and the nominee (nobody the engine could fall back to: it never
asks the requester nor the subject) does the nomination start no approval: HR decides it
on the member alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import api as approvals
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.talent import history, nominations, repository
from hrcore.talent.models import (
    ChangeSource,
    MemberStatus,
    NominationSource,
    TalentPool,
    TalentPoolMember,
)

NOMINATION = "talent.pool_nomination"
FACTS = (
    approvals.Fact("department_id"),
    approvals.Fact("grade", "grade"),
    approvals.Fact("position_family"),
    approvals.Fact("pool_id"),
    approvals.Fact("nominated_by"),
)
"""The nominee's department, their position's grade and job family, the pool, and who
nominated (`hr`, `dept_head`, `self`)."""
DEFAULT_STEPS: tuple[dict[str, Any], ...] = (
    {"name": "HR", "approver": {"rule": "hr_admins"}, "mode": "any"},
)
OPEN = ("pending", "returned")


async def start(
    session: AsyncSession,
    principal: Principal,
    member: TalentPoolMember,
    employee: people.EmployeeInfo,
    *,
    employee_name: str,
    pool: TalentPool,
    source: NominationSource,
    clock: Clock,
) -> bool:
    """Submit the nomination's approval, requested by the nominator's employee record or, for
    one without, their account; False when nobody but the nominator and the nominee could
    approve it (no other HR admin: the engine would refuse it) and HR decides alone."""
    requester_user = principal.user_id if principal.employee_id is None else None
    parties = approvals.Parties.of(employee, {}, principal.employee_id, requester_user)
    if not await approvals.fallback_approvers(session, member.org_id, parties):
        return False
    title = _(
        "Nomination of {employee} to the talent pool {pool}", employee=employee_name, pool=pool.name
    )
    await approvals.submit(
        session,
        org_id=member.org_id,
        kind=NOMINATION,
        title=str(title)[:200],
        subject_employee_id=employee.id,
        subject_id=member.id,
        requester_employee_id=principal.employee_id,
        requester_user_id=requester_user,
        facts=await _facts(session, member.org_id, employee, pool, source),
        clock=clock,
        actor=principal,
    )
    return True


async def _facts(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee: people.EmployeeInfo,
    pool: TalentPool,
    source: NominationSource,
) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "department_id": str(employee.department_id),
        "pool_id": str(pool.id),
        "nominated_by": source.value,
    }
    if employee.position_id is not None:
        position = await org.require_position(session, org_id, employee.position_id)
        families = await org.position_families(session, org_id, [position.id])
        facts["grade"] = position.grade
        if families.get(position.id):
            facts["position_family"] = families[position.id]
    return facts


async def running(
    session: AsyncSession, member: TalentPoolMember
) -> approvals.SubjectApproval | None:
    """The approval of the member's current nomination, while it runs (pending, or returned
    to the nominator); None for a nomination HR decides alone."""
    if member.status != MemberStatus.NOMINATED.value:
        return None
    found = await approvals.subject_approval(session, member.org_id, NOMINATION, member.id)
    return found if found is not None and found.status in OPEN else None


async def decide(
    session: AsyncSession,
    principal: Principal,
    approval: approvals.SubjectApproval,
    status: MemberStatus,
    reason: str,
    clock: Clock,
) -> None:
    """HR's decision on the member decides the approval's current step with HR's reason. On
    the kind's default chain any HR admin decides it, as before the engine (those without an
    employee record included); on the organization's own chain the HR admin must be one of
    the step's approvers (409 naming whom it awaits). 409 too once returned to the
    nominator, or while it runs in DingTalk."""
    if approval.status != "pending":
        raise Conflict(
            _("The nomination was returned to its nominator: they resubmit or withdraw it")
        )
    waiting = approval.awaiting | approval.awaiting_users
    if not approval.on_default_chain and waiting and not approval.awaits(principal):
        names = {
            **await people.employee_refs(session, principal.org_id, list(approval.awaiting)),
            **await identity.user_refs(session, principal.org_id, list(approval.awaiting_users)),
        }
        raise Conflict(
            _(
                "The nomination awaits the decision of {names} on its approval",
                names=", ".join(names[a].name for a in waiting if a in names),
            )
        )
    verdict: Literal["approved", "rejected"] = (
        "approved" if status == MemberStatus.ACTIVE else "rejected"
    )
    await approvals.decide_current_step(
        session,
        principal,
        approval.id,
        verdict,
        clock,
        authority=approval.on_default_chain,
        comment=reason,
    )


async def approved(session: AsyncSession, subject: approvals.ApprovedSubject, clock: Clock) -> None:
    """The chain completed: the member is active, in the last decision's transaction."""
    await _conclude(session, subject, MemberStatus.ACTIVE, clock)


async def ended(
    session: AsyncSession, subject: approvals.ApprovedSubject, status: str, clock: Clock
) -> None:
    """Rejected (with the approver's comment) or withdrawn by the nominator (removed)."""
    outcome = MemberStatus.REJECTED if status == "rejected" else MemberStatus.REMOVED
    await _conclude(session, subject, outcome, clock)


async def _conclude(
    session: AsyncSession,
    subject: approvals.ApprovedSubject,
    outcome: MemberStatus,
    clock: Clock,
) -> None:
    member = await repository.member_by_key(session, subject.org_id, subject.subject_id)
    if member is None or member.status != MemberStatus.NOMINATED.value:
        return
    by = subject.actor.user_id if subject.actor is not None else None
    now = clock.now()
    member.status = outcome.value
    if outcome == MemberStatus.ACTIVE:
        member.activated_at = now
    else:
        member.ended_at = now
    comment = subject.comment if outcome != MemberStatus.REMOVED else None
    if outcome != MemberStatus.REMOVED:
        member.decided_by, member.decided_at, member.decision_reason = by, now, comment
    history.record(
        session,
        member,
        "status",
        source=ChangeSource.APPROVAL,
        by=by,
        at=now,
        reason=comment,
        status=member.status,
    )
    await session.flush()
    pool = await session.get(TalentPool, member.pool_id)
    await nominations.concluded(session, member, pool=pool.name if pool else "", comment=comment)
    if outcome != MemberStatus.REMOVED:
        await nominations.publish_decided(session, member)
    audit.record(
        session,
        None,
        "talent_member.updated",
        "talent_member",
        member.id,
        org_id=member.org_id,
        before={"status": MemberStatus.NOMINATED.value},
        after={
            "status": member.status,
            "reason": comment,
            "source": "approval",
            "approval_id": str(subject.approval_id),
        },
    )


async def cancel(
    session: AsyncSession,
    org_id: uuid.UUID,
    members: Sequence[TalentPoolMember],
    clock: Clock,
    actor: Principal | None = None,
) -> None:
    """The nominees left (or an appointment rejected their nominations): their nominations'
    approvals are withdrawn, nothing is left to decide; no act runs."""
    await approvals.withdraw_for_subjects(
        session, org_id, NOMINATION, [m.id for m in members], clock, actor
    )

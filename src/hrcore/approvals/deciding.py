"""Deciding an approval: approve, reject or return (each with the approver's comment),
delegate, and the requester's withdrawal. Every decision is audited.

The requester resubmits a returned approval (`resubmit`): it starts again at the first step
of its kept chain, in a new round, since changed facts may change who has to approve; the
returned round stays in the history.

Only an approver with a pending part in the current step decides (404 for anyone else, as
if the approval did not exist for them); deciding twice, or an approval no longer pending,
is 409, and so is deciding in hrcore an approval that runs in DingTalk (its approvers decide
in DingTalk's approval app). 或签 (`any`): the first approval closes the step and cancels
the others' tasks; 会签 (`all`): the step waits for every approver. One rejection or return
ends the approval and cancels every open task. Withdrawing one that runs in DingTalk
terminates its DingTalk instance too.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import access, dingtalk_start, dingtalk_stop, repository
from hrcore.approvals.chains import check_facts, require_kind
from hrcore.approvals.models import Approval, ApprovalAssignment
from hrcore.approvals.resolution import Approvers
from hrcore.approvals.running import (
    SUBJECT,
    advance,
    assign,
    close_assignments,
    ended,
    restart,
)
from hrcore.approvals.schemas import ApprovalResubmitIn
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.people import api as people
from hrcore.workflow import api as workflow

Verdict = Literal["approved", "rejected", "returned"]


async def _my_part(
    session: AsyncSession, principal: Principal, approval_id: uuid.UUID
) -> tuple[Approval, list[ApprovalAssignment], ApprovalAssignment]:
    """The approval (locked), its assignments and the caller's pending one on the current
    step: 404 when the caller is not on the step, 409 when they decided already."""
    approval = await access.visible_approval(session, principal, approval_id, for_update=True)
    instance = (await dingtalk_start.instances_of(session, principal.org_id, [approval.id])).get(
        approval.id
    )
    if instance is not None and instance.status != "failed":  # failed: it runs here
        raise Conflict(
            _("This approval is decided in DingTalk: approve or reject it in DingTalk's app")
        )
    parts = await repository.assignments_of(session, principal.org_id, approval.id)
    mine = [a for a in parts if access.holds(principal, a) and a.round == approval.round]
    pending = [a for a in mine if a.status == "pending" and a.step == approval.current_step]
    if approval.status == "pending" and pending:
        return approval, parts, pending[0]
    if mine:
        raise Conflict(_("You have decided on this approval already"))
    raise NotFound(_("You are not an approver of this approval's current step"))


async def decide(
    session: AsyncSession,
    principal: Principal,
    approval_id: uuid.UUID,
    verdict: Verdict,
    comment: str | None,
    clock: Clock,
) -> Approval:
    approval, parts, mine = await _my_part(session, principal, approval_id)
    mine.status, mine.comment, mine.decided_at = verdict, comment, clock.now()
    await session.flush()
    if mine.task_id is not None:
        await workflow.complete_task(
            session, org_id=approval.org_id, task_id=mine.task_id, clock=clock, actor=principal
        )
    audit.record(
        session,
        principal,
        f"approval.{verdict}",
        SUBJECT,
        approval.id,
        org_id=approval.org_id,
        after={"step": mine.step, "comment": comment},
    )
    step = [a for a in parts if a.step == mine.step and a.round == mine.round]
    if verdict != "approved":
        approval.status, approval.current_step, approval.decided_at = verdict, None, clock.now()
        await close_assignments(session, approval, parts, clock, principal, reason=verdict)
        if verdict == "rejected":
            await ended(session, approval, clock, principal, comment)
        return approval
    mode = approval.resolved[-1]["mode"]
    if mode == "all" and any(a.status == "pending" for a in step):
        return approval
    await close_assignments(session, approval, step, clock, principal, reason="step_decided")
    await advance(session, approval, clock, principal, comment)
    return approval


async def delegate(
    session: AsyncSession,
    principal: Principal,
    approval_id: uuid.UUID,
    employee_id: uuid.UUID,
    comment: str | None,
    clock: Clock,
) -> Approval:
    """Hand the caller's part in the current step to another employee (422 for an unknown
    one or oneself, 409 when they are on the step already)."""
    approval, parts, mine = await _my_part(session, principal, approval_id)
    delegate_to = await people.require_employee(session, approval.org_id, employee_id)
    if delegate_to.id == mine.employee_id:
        raise Unprocessable(
            _("Delegate to someone else"),
            errors=[FieldError(field="employee_id", message=_("that is you"))],
        )
    if delegate_to.id in (approval.requester_employee_id, approval.subject_employee_id):
        raise Unprocessable(
            _("Neither the requester nor the subject decides their own approval"),
            errors=[FieldError(field="employee_id", message=_("the requester or the subject"))],
        )
    if delegate_to.status != "active":
        raise Unprocessable(
            _("Delegate to an active employee"),
            errors=[FieldError(field="employee_id", message=_("not an active employee"))],
        )
    if any(
        a.employee_id == delegate_to.id
        and (a.step, a.round) == (mine.step, mine.round)
        and a.status != "cancelled"
        for a in parts
    ):
        raise Conflict(_("{name} decides this step already", name=delegate_to.full_name))
    mine.status, mine.comment, mine.decided_at = "delegated", comment, clock.now()
    mine.delegated_to_id = delegate_to.id
    if mine.task_id is not None:
        await workflow.cancel_open_tasks(
            session,
            org_id=approval.org_id,
            task_ids=[mine.task_id],
            clock=clock,
            actor=principal,
            reason="delegated",
        )
    await assign(
        session, approval, approval.resolved[-1], clock, principal, Approvers([delegate_to.id])
    )
    audit.record(
        session,
        principal,
        "approval.delegated",
        SUBJECT,
        approval.id,
        org_id=approval.org_id,
        after={"step": mine.step, "to": str(delegate_to.id), "comment": comment},
    )
    return approval


async def withdraw(
    session: AsyncSession, principal: Principal, approval_id: uuid.UUID, clock: Clock
) -> Approval:
    """The requester takes it back while it is pending (403 for anyone else, 409 after);
    one running in DingTalk is terminated there too."""
    approval = await access.visible_approval(session, principal, approval_id, for_update=True)
    if not access.is_requester(principal, approval):
        raise Forbidden(_("Only the requester withdraws an approval"))
    if approval.status != "pending":
        raise Conflict(_("The approval is decided already"))
    parts = await repository.assignments_of(session, principal.org_id, approval.id)
    approval.status, approval.current_step, approval.decided_at = "withdrawn", None, clock.now()
    await close_assignments(session, approval, parts, clock, principal, reason="withdrawn")
    await dingtalk_stop.withdrawn(session, approval.org_id, [approval.id])
    audit.record(
        session, principal, "approval.withdrawn", SUBJECT, approval.id, org_id=approval.org_id
    )
    await ended(session, approval, clock, principal)
    return approval


async def resubmit(
    session: AsyncSession,
    principal: Principal,
    approval_id: uuid.UUID,
    body: ApprovalResubmitIn,
    clock: Clock,
) -> Approval:
    """The requester sends a returned approval again, with changed facts where the kind lets
    the requester state them (422 otherwise): 403 for anyone else, 409 unless returned."""
    approval = await access.visible_approval(session, principal, approval_id, for_update=True)
    if not access.is_requester(principal, approval):
        raise Forbidden(_("Only the requester resubmits an approval"))
    await send_again(
        session,
        approval,
        facts=body.facts,
        title=body.title,
        comment=body.comment,
        clock=clock,
        actor=principal,
        by_requester=True,
    )
    return approval


async def resubmit_of_kind(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    approval_id: uuid.UUID,
    kind: str,
    facts: dict[str, Any],
    title: str | None,
    comment: str | None,
    clock: Clock,
    actor: Principal | None,
) -> Approval:
    """A domain sends a returned approval of its own kind again with the facts it recomputed
    (404 for no approval of that kind in the organization)."""
    approval = await access.locked(session, org_id, approval_id)
    if approval.kind != kind:
        raise NotFound(_("No such approval"))
    await send_again(
        session,
        approval,
        facts=facts,
        title=title,
        comment=comment,
        clock=clock,
        actor=actor,
        by_requester=False,
    )
    return approval


async def send_again(
    session: AsyncSession,
    approval: Approval,
    *,
    facts: dict[str, Any] | None,
    title: str | None,
    comment: str | None,
    clock: Clock,
    actor: Principal | None,
    by_requester: bool,
) -> None:
    """A returned approval (409 otherwise) starts over at the first step of its kept chain in
    a new round, with changed facts checked against its kind (422 for an unknown one). A
    requester states new facts only for a kind that lets them (`by_requester`); a domain
    always states its own."""
    if approval.status != "returned":
        raise Conflict(_("Only an approval returned for changes is resubmitted"))
    spec = require_kind(approval.kind)
    before = {"facts": dict(approval.facts), "title": approval.title}
    if facts is not None and facts != approval.facts:
        if by_requester and not spec.requested_over_http:
            raise Unprocessable(
                _("This kind's facts come from its own domain, not from the requester"),
                errors=[FieldError(field="facts", message=_("not stated by the requester"))],
            )
        await check_facts(session, approval.org_id, spec, facts)
        approval.facts = dict(facts)
    approval.title = title or approval.title
    approval.round += 1
    audit.record(
        session,
        actor,
        "approval.resubmitted",
        SUBJECT,
        approval.id,
        org_id=approval.org_id,
        before=before,
        after={
            "facts": approval.facts,
            "title": approval.title,
            "round": approval.round,
            "comment": comment,
        },
    )
    await restart(session, approval, clock, actor)

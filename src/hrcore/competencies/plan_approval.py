"""Submitting a development plan through the approval engine (kind
`competencies.development_plan`): the chain the organization wrote for the kind, else the
employee's direct manager — with the engine's skip rules (the requester never approves their
own request) and its HR fallback when nobody is left. Approved, the plan is active (in the
transaction of the last decision); returned, its co-editors edit it and submit it again (the
engine's next round); rejected, it ends, and the employee may start another for the period.
A withdrawal by the requester puts it back to draft."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import api as approvals
from hrcore.competencies import plan_access, plan_repository, plans
from hrcore.competencies.models import PLAN_APPROVAL, DevelopmentPlan
from hrcore.competencies.plan_schemas import PlanOut
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.webhooks import api as webhooks

FACTS = (
    approvals.Fact("department_id", "department"),
    approvals.Fact("grade", "grade"),
    approvals.Fact("requester_id"),
)
"""The employee's department and grade (of their position), and who submitted it."""
DEFAULT_STEPS = ({"approver": {"rule": "manager", "level": 1}, "mode": "any"},)


async def _facts(
    session: AsyncSession, org_id: uuid.UUID, employee: people.EmployeeInfo, requester: uuid.UUID
) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "department_id": str(employee.department_id),
        "requester_id": str(requester),
    }
    if employee.position_id is not None:
        facts["grade"] = (await org.require_position(session, org_id, employee.position_id)).grade
    return facts


async def submit(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    clock: Clock,
    *,
    if_match: str | None,
) -> PlanOut:
    """A co-editor submits a draft plan, or sends a returned one again from the chain's first
    step with its facts recomputed (409 in any other status; 422 for a plan without goals or
    actions). The requester is the caller's employee record, else the plan's employee."""
    plan, employee, approval, status = await plans.for_change(
        session, principal, plan_id, if_match=if_match
    )
    if status not in plans.EDITABLE:
        raise Conflict(
            _(
                "The plan is {status}; only a draft or a returned plan is submitted",
                status=label(status),
            )
        )
    if not plan.goals and not plan.actions:
        raise Unprocessable(
            _("An empty plan is not submitted"),
            errors=[FieldError(field="goals", message=_("add a goal or an action first"))],
        )
    requester = principal.employee_id or employee.id
    facts = await _facts(session, plan.org_id, employee, requester)
    title = str(
        _("Development plan {period}: {employee}", period=plan.period, employee=employee.full_name)
    )
    if approval is not None:
        await approvals.resubmit(
            session,
            org_id=plan.org_id,
            approval_id=approval.id,
            kind=PLAN_APPROVAL,
            facts=facts,
            clock=clock,
            actor=principal,
            title=title,
        )
        approval_id = approval.id
    else:
        approval_id = await approvals.submit(
            session,
            org_id=plan.org_id,
            kind=PLAN_APPROVAL,
            title=title,
            subject_employee_id=employee.id,
            subject_id=plan.id,
            requester_employee_id=requester,
            facts=facts,
            clock=clock,
            actor=principal,
        )
    plan.status, plan.submitted_at = "submitted", clock.now()
    audit.record(
        session,
        principal,
        "development_plan.submitted",
        plans.SUBJECT,
        plan.id,
        org_id=plan.org_id,
        after={"version": plan.version, "approval_id": str(approval_id)},
    )
    await session.flush()
    await session.refresh(plan)
    return await plans.view(session, plan, employee)


async def _submitted(session: AsyncSession, subject: approvals.ApprovedSubject) -> DevelopmentPlan:
    plan = await plan_repository.plan_by_id(
        session, subject.org_id, subject.subject_id, for_update=True
    )
    if plan is None:
        raise plan_access.no_such_plan()
    return plan


async def approved(session: AsyncSession, subject: approvals.ApprovedSubject, clock: Clock) -> None:
    """The chain approved the plan: it is active (409, undoing the decision, unless it is
    still submitted)."""
    plan = await _submitted(session, subject)
    if plan.status != "submitted":
        raise Conflict(_("The plan is {status}", status=label(plan.status)))
    plan.status, plan.approved_at = "active", clock.now()
    _audit(session, subject, plan, "approved")
    await webhooks.publish(
        session,
        org_id=plan.org_id,
        event_type=webhooks.EventType.DEVELOPMENT_PLAN_APPROVED,
        payload={
            "plan_id": str(plan.id),
            "employee_id": str(plan.employee_id),
            "period": plan.period,
            "version": plan.version,
            "approval_id": str(subject.approval_id),
        },
    )
    await session.flush()


async def ended(
    session: AsyncSession, subject: approvals.ApprovedSubject, status: str, clock: Clock
) -> None:
    """Rejected: the plan is rejected (the period is open for another). Withdrawn by the
    requester: back to draft, to edit and submit again."""
    plan = await _submitted(session, subject)
    if plan.status != "submitted":
        return
    plan.status = "rejected" if status == "rejected" else "draft"
    plan.submitted_at = plan.submitted_at if status == "rejected" else None
    _audit(session, subject, plan, status)
    await session.flush()


def _audit(
    session: AsyncSession,
    subject: approvals.ApprovedSubject,
    plan: DevelopmentPlan,
    action: str,
) -> None:
    audit.record(
        session,
        subject.actor,
        f"development_plan.{action}",
        plans.SUBJECT,
        plan.id,
        org_id=plan.org_id,
        after={
            "approval_id": str(subject.approval_id),
            "version": plan.version,
            "comment": subject.comment,
        },
    )

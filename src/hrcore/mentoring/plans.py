"""The mentor's plan for a pairing: drafted from the template's revision when the pairing
starts, edited by the mentor (or HR) and submitted, then decided on the approval engine
(kind `mentoring.mentorship_plan`: the organization's chain for it, else any one HR admin).

`POST /mentorships/{id}/plan/approve` decides the current step for HR — with the authority
to decide in the approvers' stead on the kind's default chain — so the engine keeps the
history, tasks and audit. Approved (in the transaction of the last decision) the plan is
`approved` and `PLAN_APPROVED` is emitted, so the schedule is planned; returned, the mentor
edits it and submits it again (the engine's next round); rejected, it reads `returned` too
and a new submission starts a new approval. An approved plan that is edited goes back to
`submitted` with a new approval: the edit never stands as approved."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import api as approvals
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.calendar import add_months
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.events import emit
from hrcore.core.i18n import N_, _
from hrcore.core.i18n import Text as Message
from hrcore.core.labels import label
from hrcore.core.schemas import window_error
from hrcore.core.templates import copy
from hrcore.mentoring import events, mentorship_access, mentorship_repository, templates
from hrcore.mentoring.mentorship_models import (
    MenteeTemplate,
    Mentorship,
    MentorshipPlan,
    MentorshipStatus,
    PlanStatus,
)
from hrcore.mentoring.mentorship_schemas import (
    MentorshipPlanDecisionIn,
    MentorshipPlanIn,
    MentorshipPlanOut,
)
from hrcore.people import api as people

PLAN_APPROVAL = "mentoring.mentorship_plan"
"""The approval kind a submitted plan runs on (declared in the registry)."""
FACTS = (approvals.Fact("department_id", "department"), approvals.Fact("program_id"))
"""The mentee's department and the pairing's program."""
SUBJECT = "mentorship_plan"
WHAT = N_("mentorship plan")
CONTENT = ("goals", "checklist", "schedule")


def draft(mentorship: Mentorship, template: MenteeTemplate) -> MentorshipPlan:
    """The pairing's plan in draft: the template's current revision, copied."""
    kept = copy(template, CONTENT)
    return MentorshipPlan(
        org_id=mentorship.org_id,
        mentorship_id=mentorship.id,
        template_revision=kept.revision,
        status=PlanStatus.DRAFT.value,
        **kept.content,
    )


def shown_status(stored: str, approval_status: str | None) -> str:
    """A submitted plan whose approval came back for changes (on `/approvals` itself) reads
    `returned`."""
    submitted = stored == PlanStatus.SUBMITTED.value
    return PlanStatus.RETURNED.value if submitted and approval_status == "returned" else stored


async def shown_statuses(
    session: AsyncSession, org_id: uuid.UUID, plans: Sequence[MentorshipPlan]
) -> dict[uuid.UUID, str]:
    """Each pairing's plan status as shown; one statement when a plan is submitted, else
    none."""
    submitted = [plan.id for plan in plans if plan.status == PlanStatus.SUBMITTED.value]
    found = (
        await approvals.subject_statuses(session, org_id, PLAN_APPROVAL, submitted)
        if submitted
        else {}
    )
    return {plan.mentorship_id: shown_status(plan.status, found.get(plan.id)) for plan in plans}


def _view(mentorship: Mentorship, plan: MentorshipPlan, status: str) -> MentorshipPlanOut:
    return MentorshipPlanOut.model_validate(
        {
            "id": plan.id,
            "mentorship_id": mentorship.id,
            "status": status,
            "template_revision": plan.template_revision,
            "goals": plan.goals,
            "checklist": plan.checklist,
            "schedule": plan.schedule,
            "starts_on": mentorship.starts_on,
            "ends_on": mentorship.ends_on,
            "submitted_at": plan.submitted_at,
            "approved_at": plan.approved_at,
            "decision_comment": plan.decision_comment,
            "version": plan.version,
        }
    )


async def _plan(session: AsyncSession, mentorship: Mentorship) -> MentorshipPlan:
    plan = await mentorship_repository.plan_of(session, mentorship.org_id, mentorship.id)
    if plan is None:  # every pairing is created with its plan
        raise NotFound(_("No such {what}", what=Message(WHAT)))
    return plan


async def get_plan(
    session: AsyncSession, principal: Principal, mentorship_id: uuid.UUID
) -> MentorshipPlanOut:
    mentorship = await mentorship_access.readable_mentorship(session, principal, mentorship_id)
    plan = await _plan(session, mentorship)
    statuses = await shown_statuses(session, mentorship.org_id, [plan])
    return _view(mentorship, plan, statuses[mentorship.id])


def _require_running(mentorship: Mentorship) -> None:
    if mentorship.status != MentorshipStatus.ACTIVE.value:
        raise Conflict(_("The pairing is {status}", status=label(mentorship.status)))


async def _for_change(
    session: AsyncSession, mentorship: Mentorship
) -> tuple[MentorshipPlan, approvals.SubjectApproval | None, str]:
    """The plan, locked after its newest approval (the order the engine's decisions lock
    them in), that approval and the plan's status as shown."""
    plan = await _plan(session, mentorship)
    approval = await approvals.subject_approval(session, plan.org_id, PLAN_APPROVAL, plan.id)
    await session.refresh(plan, with_for_update=True)
    return plan, approval, shown_status(plan.status, approval.status if approval else None)


def _dates_errors(body: MentorshipPlanIn) -> list[FieldError]:
    """The pairing's dates, and each scheduled interval within them: a kind held less than
    once over the pairing would never be scheduled (an interval of 0 the schema refuses)."""
    problem = window_error(body.starts_on, body.ends_on)
    if problem is None and body.ends_on == body.starts_on:
        problem = _("must be after the start")
    if problem is not None:
        return [FieldError(field="ends_on", message=problem)]
    return [
        FieldError(
            field=f"schedule.{index}.every_months",
            message=_("a session interval must not exceed the mentorship's dates"),
        )
        for index, item in enumerate(body.schedule)
        if add_months(body.starts_on, item.every_months) > body.ends_on
    ]


def _snapshot(mentorship: Mentorship, plan: MentorshipPlan) -> dict[str, Any]:
    return {
        "goals": plan.goals,
        "checklist": plan.checklist,
        "schedule": plan.schedule,
        "starts_on": mentorship.starts_on.isoformat(),
        "ends_on": mentorship.ends_on.isoformat(),
    }


async def _submit(
    session: AsyncSession,
    principal: Principal,
    mentorship: Mentorship,
    plan: MentorshipPlan,
    approval: approvals.SubjectApproval | None,
    clock: Clock,
) -> uuid.UUID:
    """Send the plan for approval: the returned approval again (its next round), else a new
    one. The requester is the mentor, whose plan it is, so any HR admin may decide it."""
    mentee = await people.require_employee(session, plan.org_id, mentorship.mentee_employee_id)
    facts = {"department_id": str(mentee.department_id), "program_id": str(mentorship.program_id)}
    title = str(_("Mentoring plan: {mentee}", mentee=mentee.full_name))
    if approval is not None and approval.status == "returned":
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
        return approval.id
    return await approvals.submit(
        session,
        org_id=plan.org_id,
        kind=PLAN_APPROVAL,
        title=title,
        subject_employee_id=mentee.id,
        subject_id=plan.id,
        requester_employee_id=mentorship.mentor_employee_id,
        facts=facts,
        clock=clock,
        actor=principal,
    )


async def update_plan(
    session: AsyncSession,
    principal: Principal,
    mentorship_id: uuid.UUID,
    body: MentorshipPlanIn,
    clock: Clock,
    *,
    if_match: str | None,
) -> MentorshipPlanOut:
    """Replace the plan (and the pairing's dates); `submit` sends it for approval. A plan
    awaiting approval is not edited (409); an approved one that changes is submitted again
    (unchanged, it stays approved whatever `submit` says)."""
    mentorship = await mentorship_access.readable_mentorship(
        session, principal, mentorship_id, for_update=True
    )
    mentorship_access.require_plan_editor(principal, mentorship)
    _require_running(mentorship)
    plan, approval, status = await _for_change(session, mentorship)
    check_version(plan.version, if_match=if_match, body_version=body.version)
    if status == PlanStatus.SUBMITTED.value:
        raise Conflict(_("The plan awaits approval; it changes once decided"))
    errors = _dates_errors(body)
    if errors:
        raise Unprocessable(_("The plan's dates are not valid"), errors=errors)
    await templates.check_goals(session, plan.org_id, body.goals)
    before = _snapshot(mentorship, plan)
    plan.goals = [goal.model_dump(mode="json") for goal in body.goals]
    plan.checklist = [item.model_dump(mode="json") for item in body.checklist]
    plan.schedule = [item.model_dump(mode="json") for item in body.schedule]
    mentorship.starts_on, mentorship.ends_on = body.starts_on, body.ends_on
    old, new = audit.changes(before, _snapshot(mentorship, plan))
    # an approved plan stays approved only unchanged, whatever `submit` says
    submitted = bool(new) if status == PlanStatus.APPROVED.value else body.submit
    after: dict[str, Any] = dict(new)
    if submitted:
        approval_id = await _submit(session, principal, mentorship, plan, approval, clock)
        plan.status, plan.submitted_at, plan.approved_at = (
            PlanStatus.SUBMITTED.value,
            clock.now(),
            None,
        )
        after |= {"status": plan.status, "approval_id": str(approval_id)}
    else:
        plan.status = status
    await session.flush()
    await session.refresh(plan)
    audit.record(
        session,
        principal,
        f"{SUBJECT}.{'submitted' if submitted else 'updated'}",
        SUBJECT,
        plan.id,
        org_id=plan.org_id,
        before=old | {"status": status},
        after=after | {"version": plan.version},
    )
    return _view(mentorship, plan, plan.status)


async def decide(
    session: AsyncSession,
    principal: Principal,
    mentorship_id: uuid.UUID,
    body: MentorshipPlanDecisionIn,
    clock: Clock,
) -> MentorshipPlanOut:
    """HR approves or returns (with a comment) the submitted plan: the approval's current
    step, in the approvers' stead on the default chain (409 unless the plan is submitted)."""
    mentorship = await mentorship_access.readable_mentorship(session, principal, mentorship_id)
    require_hr_admin(principal)
    _require_running(mentorship)
    plan, approval, status = await _for_change(session, mentorship)
    if status != PlanStatus.SUBMITTED.value or approval is None or approval.status != "pending":
        raise Conflict(
            _("The plan is {status}; only a submitted plan is decided", status=label(status))
        )
    verdict: Literal["approved", "returned"] = (
        "approved" if body.decision == "approve" else "returned"
    )
    await approvals.decide_current_step(
        session,
        principal,
        approval.id,
        verdict,
        clock,
        authority=approval.on_default_chain,
        comment=body.comment,
    )
    if verdict == "returned":
        plan.status, plan.decision_comment = PlanStatus.RETURNED.value, body.comment
        _audit_decision(session, principal, plan, approval.id, "returned", body.comment)
    await session.flush()
    await session.refresh(plan)
    return _view(mentorship, plan, plan.status)


def _audit_decision(
    session: AsyncSession,
    actor: Principal | None,
    plan: MentorshipPlan,
    approval_id: uuid.UUID,
    action: str,
    comment: str | None,
) -> None:
    audit.record(
        session,
        actor,
        f"{SUBJECT}.{action}",
        SUBJECT,
        plan.id,
        org_id=plan.org_id,
        before={"status": PlanStatus.SUBMITTED.value},
        after={"status": plan.status, "approval_id": str(approval_id), "comment": comment},
    )


async def _submitted_plan(
    session: AsyncSession, subject: approvals.ApprovedSubject
) -> MentorshipPlan:
    plan = await mentorship_repository.locked_plan(session, subject.org_id, subject.subject_id)
    if plan is None:
        raise NotFound(_("No such {what}", what=Message(WHAT)))
    return plan


async def approved(session: AsyncSession, subject: approvals.ApprovedSubject, clock: Clock) -> None:
    """The chain approved the plan: it is approved and `PLAN_APPROVED` is emitted (409,
    undoing the decision, unless it is still submitted and its pairing running)."""
    plan = await _submitted_plan(session, subject)
    if plan.status != PlanStatus.SUBMITTED.value:
        raise Conflict(_("The plan is {status}", status=label(plan.status)))
    mentorship = await session.get_one(Mentorship, plan.mentorship_id)
    _require_running(mentorship)
    plan.status, plan.approved_at = PlanStatus.APPROVED.value, clock.now()
    plan.decision_comment = subject.comment
    _audit_decision(session, subject.actor, plan, subject.approval_id, "approved", subject.comment)
    emit(session, events.PLAN_APPROVED, {"mentorship_id": str(mentorship.id)}, org_id=plan.org_id)
    await session.flush()


async def ended(
    session: AsyncSession, subject: approvals.ApprovedSubject, status: str, clock: Clock
) -> None:
    """Rejected: the plan reads `returned` with the reason, to change and submit anew.
    Withdrawn by the mentor: back to draft."""
    plan = await _submitted_plan(session, subject)
    if plan.status != PlanStatus.SUBMITTED.value:
        return
    rejected = status == "rejected"
    plan.status = PlanStatus.RETURNED.value if rejected else PlanStatus.DRAFT.value
    plan.decision_comment = subject.comment if rejected else plan.decision_comment
    _audit_decision(session, subject.actor, plan, subject.approval_id, status, subject.comment)
    await session.flush()


async def withdraw_pending(
    session: AsyncSession, principal: Principal, mentorship: Mentorship, clock: Clock
) -> None:
    """An ended pairing's plan can no longer be decided: its open approval is withdrawn."""
    plan = await _plan(session, mentorship)
    await approvals.withdraw_for_subjects(
        session, plan.org_id, PLAN_APPROVAL, [plan.id], clock, principal
    )

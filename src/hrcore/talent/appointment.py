"""Appointing to a vacancy (HR admin).

Records a promotion through people (so contracts drafts the amendment), fills the vacancy,
marks the membership (or the competition application) `appointed`, closes the other
applications with a notice, and keeps the candidate entry exactly as it was ranked.
An appointee who is not a ready-now pool member needs an override reason. The promotion
takes effect on its date (at once when it has come); the loop closes at once (`aftermath`):
other memberships and programs end, and the appointee is told.

An override is the approval kind `talent.appointment_override`. Its default is today's rule:
the appointing HR admin's override reason suffices, and no approval is started. When the
organization writes a chain for the kind, an appointment that needs an override waits on the
vacancy (`pending_appointment`, still open) for its approval, and the appointment is made
as the HR admin who asked, in the transaction of the chain's last decision; a rejection or a
withdrawal drops the request and the vacancy stays open.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import api as approvals
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.people.api import EmploymentEventCreate
from hrcore.talent import access, aftermath, application_notices, history, repository
from hrcore.talent.candidates import candidate_view, ranking_of
from hrcore.talent.models import (
    OVERRIDE_APPROVAL,
    MemberStatus,
    Vacancy,
    VacancyAppointment,
    VacancyStatus,
)
from hrcore.talent.schemas import AppointmentIn, CandidateOut
from hrcore.webhooks import api as webhooks

OVERRIDE = OVERRIDE_APPROVAL
OVERRIDE_FACTS = (
    approvals.Fact("department_id"),
    approvals.Fact("grade", "grade"),
    approvals.Fact("position_family"),
    approvals.Fact("position_id"),
    approvals.Fact("eligibility"),
)
"""The vacancy's department, its position's grade, job family and id, and why the appointee
is not eligible (`not_a_candidate`: no active membership of a pool for the position;
`not_ready_now`)."""


async def appoint(
    session: AsyncSession,
    principal: Principal,
    vacancy_id: uuid.UUID,
    body: AppointmentIn,
    clock: Clock,
    *,
    approved: bool = False,
) -> Vacancy:
    """Fill the vacancy: the promotion event (contracts drafts the amendment from it), the
    membership appointed, the explanation kept. Ineligible appointees need an override, and
    its approval when the organization has a chain for it (`approved`: it completed)."""
    require_hr_admin(principal)
    vacancy = await access.vacancy_in_reach(session, principal, vacancy_id, for_update=True)
    employee = await people.ensure_can_view(session, principal, body.employee_id)
    if vacancy.status != VacancyStatus.OPEN.value:
        raise Conflict(_("This vacancy is {status}", status=label(vacancy.status)))
    if vacancy.pending_appointment is not None and not approved:
        raise Conflict(_("An appointment to this vacancy awaits its approval"))
    if employee.status == "exited":
        raise Unprocessable(
            _("Only current employees can be appointed"),
            errors=[FieldError(field="employee_id", message=_("the employee has left"))],
        )
    candidates = await ranking_of(session, principal.org_id, vacancy, clock)
    candidate = next(
        (candidate_view(*c) for c in candidates if c[1].employee.ref.id == employee.id), None
    )
    _require_eligible_or_override(candidate, body)
    overridden = candidate is None or not candidate.eligible
    if (
        overridden
        and not approved
        and await _ask_approval(session, principal, vacancy, employee, candidate, body, clock)
    ):
        return vacancy
    event_id = await people.add_event(
        session,
        principal,
        employee.id,
        EmploymentEventCreate(
            kind="promotion",
            effective_date=body.effective_date,
            position_id=vacancy.position_id,
            department_id=vacancy.department_id,
            note=body.reason,
            manager_id=body.manager_id,
            pay_terms_ref=body.pay_terms_ref,
        ),
        clock,
    )
    now = clock.now()
    vacancy.status, vacancy.closed_at = VacancyStatus.FILLED.value, now
    if candidate is not None and candidate.member_id is not None:
        await _mark_appointed(session, principal, candidate.member_id, now, body.reason)
    closed = await aftermath.close_loop(session, principal, employee.id, body.reason, clock, now)
    await application_notices.end_applications(
        session, principal, vacancy, appointee_id=employee.id, reason=body.reason, now=now
    )
    appointment = VacancyAppointment(
        org_id=principal.org_id,
        vacancy_id=vacancy.id,
        employee_id=employee.id,
        member_id=candidate.member_id if candidate else None,
        employment_event_id=event_id,
        effective_date=body.effective_date,
        reason=body.reason,
        override_reason=body.override_reason,
        ranking=candidate.model_dump(mode="json") if candidate else None,
        appointed_by=principal.id,
        appointed_at=now,
    )
    session.add(appointment)
    await session.flush()
    _audit_filled(session, principal, vacancy, body, event_id, candidate, closed)
    await aftermath.tell_appointee(
        session,
        principal.org_id,
        appointment.id,
        employee.id,
        vacancy.position_id,
        body.effective_date,
        moment="made"
        if await people.is_applied(session, principal.org_id, event_id)
        else "made_pending",
    )
    await webhooks.publish(
        session,
        org_id=vacancy.org_id,
        event_type=webhooks.EventType.VACANCY_FILLED,
        payload={
            "vacancy_id": str(vacancy.id),
            "position_id": str(vacancy.position_id),
            "department_id": str(vacancy.department_id),
            "employee_id": str(employee.id),
            "effective_date": body.effective_date.isoformat(),
            "memberships_ended": closed.memberships_ended,
            "programs_graduated": closed.programs_graduated,
        },
    )
    return vacancy


async def _ask_approval(
    session: AsyncSession,
    principal: Principal,
    vacancy: Vacancy,
    employee: people.EmployeeInfo,
    candidate: CandidateOut | None,
    body: AppointmentIn,
    clock: Clock,
) -> bool:
    """Start the override's approval when the organization has a chain for it, requested by
    the HR admin's employee record or, without one, their account; False: appoint now, as
    before."""
    org_id = vacancy.org_id
    if not await approvals.has_chain(session, org_id, OVERRIDE):
        return False
    position = await org.require_position(session, org_id, vacancy.position_id)
    family = (await org.position_families(session, org_id, [position.id])).get(position.id)
    facts = {
        "department_id": str(vacancy.department_id),
        "grade": position.grade,
        "position_id": str(position.id),
        "eligibility": "not_a_candidate" if candidate is None else "not_ready_now",
    } | ({"position_family": family} if family else {})
    approval_id = await approvals.submit(
        session,
        org_id=org_id,
        kind=OVERRIDE,
        title=str(
            _(
                "Appointment of {employee} to {position} outside the rules",
                employee=employee.full_name,
                position=position.title,
            )
        )[:200],
        subject_employee_id=employee.id,
        subject_id=vacancy.id,
        requester_employee_id=principal.employee_id,
        requester_user_id=principal.user_id if principal.employee_id is None else None,
        facts=facts,
        clock=clock,
        actor=principal,
    )
    vacancy.pending_appointment = {
        "body": body.model_dump(mode="json"),
        "by": str(principal.id),
        "approval_id": str(approval_id),
    }
    await session.flush()
    audit.record(
        session,
        principal,
        "vacancy.appointment_requested",
        "vacancy",
        vacancy.id,
        org_id=org_id,
        after={"employee_id": str(employee.id), "approval_id": str(approval_id)} | facts,
    )
    return True


async def override_approved(
    session: AsyncSession, subject: approvals.ApprovedSubject, clock: Clock
) -> None:
    """The override's chain completed: the appointment is made as the HR admin who asked
    (422, and the decision undone, when they may no longer appoint)."""
    vacancy = await session.get(Vacancy, subject.subject_id, with_for_update=True)
    if vacancy is None or vacancy.pending_appointment is None:
        return
    pending = vacancy.pending_appointment
    asker = await identity.principal_for_user(session, subject.org_id, uuid.UUID(pending["by"]))
    if asker is None or not asker.is_hr_admin:
        raise Unprocessable(_("The HR admin who asked for this appointment can no longer make it"))
    await appoint(
        session,
        asker,
        vacancy.id,
        AppointmentIn.model_validate(pending["body"]),
        clock,
        approved=True,
    )
    vacancy.pending_appointment = None
    await session.flush()


async def override_ended(
    session: AsyncSession, subject: approvals.ApprovedSubject, status: str, clock: Clock
) -> None:
    """Rejected or withdrawn: the request is dropped, the vacancy stays open."""
    vacancy = await session.get(Vacancy, subject.subject_id, with_for_update=True)
    if vacancy is None or vacancy.pending_appointment is None:
        return
    vacancy.pending_appointment = None
    await session.flush()
    audit.record(
        session,
        None,
        "vacancy.appointment_dropped",
        "vacancy",
        vacancy.id,
        org_id=vacancy.org_id,
        after={"approval_id": str(subject.approval_id), "status": status},
    )


def _require_eligible_or_override(candidate: CandidateOut | None, body: AppointmentIn) -> None:
    if body.override_reason is not None:
        return
    if candidate is None:
        why = "not an active member of a talent pool for this position"
    elif not candidate.eligible:
        readiness = candidate.readiness.value if candidate.readiness else "not assessed"
        why = f"readiness is {readiness}, not ready_now"
    else:
        return
    raise Unprocessable(
        _("The employee is not eligible: {why}; appointing needs an override_reason", why=why),
        errors=[FieldError(field="override_reason", message=_("required: {why}", why=why))],
    )


async def _mark_appointed(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID, now: datetime, reason: str
) -> None:
    await repository.end_memberships(
        session, [member_id], status=MemberStatus.APPOINTED.value, at=now, reason=reason
    )
    member = await repository.member_by_key(session, principal.org_id, member_id)
    if member is not None:
        history.record_hr_status(
            session,
            member,
            MemberStatus.APPOINTED.value,
            by=principal.user_id,
            at=now,
            reason=reason,
        )
    audit.record(
        session,
        principal,
        "talent_member.appointed",
        "talent_member",
        member_id,
        org_id=principal.org_id,
        before={"status": MemberStatus.ACTIVE.value},
        after={"status": MemberStatus.APPOINTED.value},
    )


def _audit_filled(
    session: AsyncSession,
    principal: Principal,
    vacancy: Vacancy,
    body: AppointmentIn,
    event_id: uuid.UUID,
    candidate: CandidateOut | None,
    closed: aftermath.LoopClosed,
) -> None:
    audit.record(
        session,
        principal,
        "vacancy.filled",
        "vacancy",
        vacancy.id,
        org_id=vacancy.org_id,
        before={"status": VacancyStatus.OPEN.value},
        after={
            "status": vacancy.status,
            "employee_id": str(body.employee_id),
            "employment_event_id": str(event_id),
            "reason": body.reason,
            "override_reason": body.override_reason,
            "rank": candidate.rank if candidate else None,
            "score": candidate.score if candidate else None,
            "memberships_ended": closed.memberships_ended,
            "programs_graduated": closed.programs_graduated,
        },
    )

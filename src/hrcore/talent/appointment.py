"""Appointing to a vacancy (HR admin).

Records a promotion through people (so contracts drafts the amendment), fills the vacancy,
marks the membership `appointed` and keeps the candidate entry exactly as it was ranked.
An appointee who is not a ready-now pool member needs an override reason. The promotion
takes effect on its date (at once when it has come); the loop closes at once (`aftermath`):
other memberships and programs end, and the appointee is told.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.people import api as people
from hrcore.people.api import EmploymentEventCreate
from hrcore.talent import access, aftermath, history, repository
from hrcore.talent.candidates import candidate_view, ranking_of
from hrcore.talent.models import (
    MemberStatus,
    Vacancy,
    VacancyAppointment,
    VacancyStatus,
)
from hrcore.talent.schemas import AppointmentIn, CandidateOut
from hrcore.webhooks import api as webhooks


async def appoint(
    session: AsyncSession,
    principal: Principal,
    vacancy_id: uuid.UUID,
    body: AppointmentIn,
    clock: Clock,
) -> Vacancy:
    """Fill the vacancy: the promotion event (contracts drafts the amendment from it), the
    membership appointed, the explanation kept. Ineligible appointees need an override."""
    require_hr_admin(principal)
    vacancy = await access.vacancy_in_reach(session, principal, vacancy_id, for_update=True)
    employee = await people.ensure_can_view(session, principal, body.employee_id)
    if vacancy.status != VacancyStatus.OPEN.value:
        raise Conflict(_("This vacancy is {status}", status=label(vacancy.status)))
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
    if candidate is not None:
        await _mark_appointed(session, principal, candidate.member_id, now, body.reason)
    closed = await aftermath.close_loop(session, principal, employee.id, body.reason, clock, now)
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

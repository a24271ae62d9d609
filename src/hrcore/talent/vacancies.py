"""Vacancies: one open seat on a position, opened by hand or by the holder leaving.

HR admins open and cancel vacancies; HR admins and department heads (their subtree) read
them. A vacancy opens by itself when the holder of a management position
(`is_management`) exits or is promoted away; one vacancy per position is open at a time.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import api as approvals
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.talent import access, application_notices, repository
from hrcore.talent.models import (
    OVERRIDE_APPROVAL,
    Vacancy,
    VacancyAppointment,
    VacancyReason,
    VacancyStatus,
)
from hrcore.talent.schemas import (
    RULES,
    AppointmentOut,
    CandidateOut,
    CompetitionOut,
    VacancyCancelIn,
    VacancyIn,
    VacancyOut,
)

OPEN_VACANCY_JOB = "talent.open_vacancy_for_vacated_post"
AUTOMATIC_REASONS = {"exit": VacancyReason.HOLDER_LEFT, "promotion": VacancyReason.HOLDER_PROMOTED}
"""Employment events that open a vacancy on the post they vacate, and the reason recorded."""


async def list_vacancies(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    status: VacancyStatus | None,
    position_id: uuid.UUID | None,
) -> tuple[list[Vacancy], str | None]:
    access.require_vacancy_reader(principal)
    statement = repository.vacancies_query(
        principal.org_id,
        status=status.value if status else None,
        position_id=position_id,
        department_ids=await access.vacancy_departments(session, principal),
    )
    return await paginate(session, statement, [Vacancy.id], page, descending=True)


async def get_vacancy(
    session: AsyncSession, principal: Principal, vacancy_id: uuid.UUID
) -> Vacancy:
    return await access.vacancy_in_reach(session, principal, vacancy_id)


async def create_vacancy(
    session: AsyncSession, principal: Principal, body: VacancyIn, clock: Clock
) -> Vacancy:
    """Open a vacancy by hand; 409 when the position has an open one."""
    require_hr_admin(principal)
    position = await org.require_position(session, principal.org_id, body.position_id)
    department_id = body.department_id or position.department_id
    if body.department_id is not None:
        await org.require_department(session, principal.org_id, body.department_id)
    vacancy = await repository.insert_open_vacancy(
        session,
        _open_values(principal.org_id, position.id, department_id, VacancyReason.MANUAL, clock)
        | {"note": body.note, "opened_by": principal.id},
    )
    if vacancy is None:
        raise Conflict(_("This position has an open vacancy"))
    _audit_opened(session, principal, vacancy)
    return vacancy


async def cancel_vacancy(
    session: AsyncSession,
    principal: Principal,
    vacancy_id: uuid.UUID,
    body: VacancyCancelIn,
    clock: Clock,
    *,
    if_match: str | None,
) -> Vacancy:
    """Close an open vacancy without an appointment (HR admin); 409 once filled or cancelled.
    The position may then get a new vacancy."""
    require_hr_admin(principal)
    vacancy = await access.vacancy_in_reach(session, principal, vacancy_id, for_update=True)
    check_version(vacancy.version, if_match=if_match, body_version=body.version)
    if vacancy.status != VacancyStatus.OPEN.value:
        raise Conflict(_("This vacancy is {status}", status=label(vacancy.status)))
    vacancy.status, vacancy.closed_at = VacancyStatus.CANCELLED.value, clock.now()
    vacancy.cancel_reason = body.reason
    await application_notices.end_applications(
        session, principal, vacancy, appointee_id=None, reason=body.reason, now=vacancy.closed_at
    )
    if vacancy.pending_appointment is not None:
        vacancy.pending_appointment = None
        await approvals.withdraw_for_subjects(
            session, vacancy.org_id, OVERRIDE_APPROVAL, [vacancy.id], clock, principal
        )
    await session.flush()
    audit.record(
        session,
        principal,
        "vacancy.cancelled",
        "vacancy",
        vacancy.id,
        org_id=vacancy.org_id,
        before={"status": VacancyStatus.OPEN.value},
        after={"status": vacancy.status, "reason": body.reason},
    )
    return vacancy


def _open_values(
    org_id: uuid.UUID,
    position_id: uuid.UUID,
    department_id: uuid.UUID,
    reason: VacancyReason,
    clock: Clock,
) -> dict[str, Any]:
    return {
        "org_id": org_id,
        "position_id": position_id,
        "department_id": department_id,
        "status": VacancyStatus.OPEN.value,
        "reason": reason.value,
        "opened_at": clock.now(),
    }


def _audit_opened(session: AsyncSession, principal: Principal | None, vacancy: Vacancy) -> None:
    audit.record(
        session,
        principal,
        "vacancy.opened",
        "vacancy",
        vacancy.id,
        org_id=vacancy.org_id,
        after={
            "position_id": str(vacancy.position_id),
            "department_id": str(vacancy.department_id),
            "reason": vacancy.reason,
            "vacated_by": str(vacancy.vacated_by) if vacancy.vacated_by else None,
        },
    )


async def open_vacancy_for_vacated_post(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID, clock: Clock
) -> Vacancy | None:
    """The worker's reaction to an employment event: an exit or promotion off a management
    post opens its vacancy. Idempotent: once per event, and never a second open one."""
    post = await people.vacated_post(session, org_id, event_id)
    if post is None or post.kind not in AUTOMATIC_REASONS:
        return None
    position = await org.require_position(session, org_id, post.position_id)
    if not position.is_management:
        return None
    reason = AUTOMATIC_REASONS[post.kind]
    values = _open_values(
        org_id, position.id, post.department_id or position.department_id, reason, clock
    )
    vacancy = await repository.insert_open_vacancy(
        session, values | {"vacated_by": post.employee_id, "source_event_id": event_id}
    )
    if vacancy is not None:
        _audit_opened(session, None, vacancy)
    return vacancy


async def vacancy_views(
    session: AsyncSession, org_id: uuid.UUID, vacancies: Sequence[Vacancy]
) -> list[VacancyOut]:
    """Views of many vacancies in four queries (positions, departments, appointments, the
    appointees and leavers)."""
    positions = await org.position_refs(session, org_id, [v.position_id for v in vacancies])
    departments = await org.department_refs(session, org_id, [v.department_id for v in vacancies])
    appointments = await repository.appointments_of(session, org_id, [v.id for v in vacancies])
    leavers = [v.vacated_by for v in vacancies if v.vacated_by is not None]
    named = await people.employee_summaries(
        session, org_id, [a.employee_id for a in appointments.values()] + leavers
    )
    return [
        _vacancy_view(
            vacancy,
            positions[vacancy.position_id],
            departments[vacancy.department_id],
            named[vacancy.vacated_by].ref if vacancy.vacated_by in named else None,
            _appointment_view(appointments.get(vacancy.id), named),
        )
        for vacancy in vacancies
    ]


def _vacancy_view(
    vacancy: Vacancy,
    position: Ref,
    department: Ref,
    leaver: Ref | None,
    appointment: AppointmentOut | None,
) -> VacancyOut:
    return VacancyOut(
        id=vacancy.id,
        position=position,
        department_id=vacancy.department_id,
        department=department,
        status=VacancyStatus(vacancy.status),
        reason=VacancyReason(vacancy.reason),
        note=vacancy.note,
        vacated_by=vacancy.vacated_by,
        vacated_by_employee=leaver,
        opened_at=vacancy.opened_at,
        closed_at=vacancy.closed_at,
        cancel_reason=vacancy.cancel_reason,
        appointment=appointment,
        awaiting_approval=(vacancy.pending_appointment or {}).get("approval_id"),
        competition=_competition_view(vacancy),
        version=vacancy.version,
    )


def _competition_view(vacancy: Vacancy) -> CompetitionOut | None:
    if (
        vacancy.competition_rules is None
        or vacancy.competition_closes_at is None
        or vacancy.competition_opened_at is None
    ):
        return None
    return CompetitionOut(
        rules=RULES.validate_python(vacancy.competition_rules),
        closes_at=vacancy.competition_closes_at,
        opened_at=vacancy.competition_opened_at,
    )


def _appointment_view(
    appointment: VacancyAppointment | None, appointees: dict[uuid.UUID, people.EmployeeSummary]
) -> AppointmentOut | None:
    if appointment is None:
        return None
    return AppointmentOut(
        employee=appointees[appointment.employee_id].ref,
        member_id=appointment.member_id,
        employment_event_id=appointment.employment_event_id,
        effective_date=appointment.effective_date,
        reason=appointment.reason,
        override_reason=appointment.override_reason,
        ranking=CandidateOut.model_validate(appointment.ranking) if appointment.ranking else None,
        appointed_at=appointment.appointed_at,
    )

"""Applications to internal competitions: an employee who meets a competition's rules
applies until it closes, and may withdraw while the vacancy is open; HR admins (all) and
department heads (the vacancy's subtree, applicants in their reach) list them.

One application per vacancy and employee (a unique constraint): applying again after a
withdrawal reopens it. Applying, withdrawing and (in `application_notices`) the end of the
open ones when the vacancy is filled or cancelled are audited. Applicants are ranked with
the pools' members in the vacancy's one ranking (`candidates`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.i18n import Moment, _
from hrcore.core.labels import label
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.talent import access, competition_repository, competitions, repository
from hrcore.talent.competition_schemas import VacancyApplicationIn, VacancyApplicationOut
from hrcore.talent.models import (
    Vacancy,
    VacancyApplication,
    VacancyApplicationStatus,
    VacancyStatus,
)
from hrcore.talent.schemas import CriterionResult


async def _competition(
    session: AsyncSession, principal: Principal, vacancy_id: uuid.UUID
) -> Vacancy:
    """The vacancy, locked, when it is a competition of the caller's organization; else 404
    (a vacancy without a competition is not for employees to see)."""
    vacancy = await repository.vacancy_by_id(session, principal.org_id, vacancy_id, for_update=True)
    if vacancy is None or vacancy.competition_rules is None:
        raise NotFound(_("No such internal competition"))
    return vacancy


def _applicant(principal: Principal) -> uuid.UUID:
    principal.require_key_scope(None)
    if principal.employee_id is None:
        raise Forbidden(_("Only employees apply to internal competitions"))
    return principal.employee_id


async def apply(
    session: AsyncSession,
    principal: Principal,
    vacancy_id: uuid.UUID,
    body: VacancyApplicationIn,
    clock: Clock,
) -> VacancyApplication:
    """Apply as oneself: 409 once the vacancy is no longer open, the competition closed or
    an application is open already; 422 naming every rule not met. Audited."""
    employee_id = _applicant(principal)
    vacancy = await _competition(session, principal, vacancy_id)
    if vacancy.status != VacancyStatus.OPEN.value:
        raise Conflict(_("This vacancy is {status}", status=label(vacancy.status)))
    now = clock.now()
    closes_at = vacancy.competition_closes_at
    if closes_at is not None and now >= closes_at:
        zone = await identity.org_timezone(session, principal.org_id)
        raise Conflict(_("Applications closed at {moment}", moment=Moment(closes_at, zone)))
    rules = competitions.rules_of(vacancy)
    found = await competitions.evaluate(session, principal.org_id, employee_id, [rules], clock)
    if found is None:
        raise Forbidden(_("Only current employees apply to internal competitions"))
    [verdicts] = found
    failing = [(index, v) for index, v in enumerate(verdicts) if not v.passed]
    if failing:
        raise Unprocessable(
            _("You do not meet the rules of this competition"),
            errors=[
                FieldError(field=f"rules.{index}.{verdict.kind}", message=verdict.explanation)
                for index, verdict in failing
            ],
        )
    criteria = [{"kind": v.kind, "value": v.value, "passed": v.passed} for v in verdicts]
    application = await _store(session, principal, vacancy, employee_id, body, criteria, now)
    audit.record(
        session,
        principal,
        "vacancy_application.submitted",
        "vacancy_application",
        application.id,
        org_id=principal.org_id,
        after={
            "vacancy_id": str(vacancy.id),
            "status": application.status,
            "criteria": criteria,
        },
    )
    return application


async def _store(
    session: AsyncSession,
    principal: Principal,
    vacancy: Vacancy,
    employee_id: uuid.UUID,
    body: VacancyApplicationIn,
    criteria: list[dict[str, Any]],
    now: datetime,
) -> VacancyApplication:
    """Insert the application, or reopen the employee's withdrawn one (409 while open)."""
    inserted = await competition_repository.insert_application(
        session,
        {
            "org_id": principal.org_id,
            "vacancy_id": vacancy.id,
            "employee_id": employee_id,
            "status": VacancyApplicationStatus.APPLIED.value,
            "statement": body.statement,
            "criteria": criteria,
            "applied_at": now,
        },
    )
    application = await competition_repository.application_of(
        session, principal.org_id, vacancy.id, employee_id
    )
    assert application is not None  # inserted now, or there before
    if inserted is not None:
        return application
    if application.status != VacancyApplicationStatus.WITHDRAWN.value:
        raise Conflict(_("You have applied to this competition already"))
    application.status, application.statement = (
        VacancyApplicationStatus.APPLIED.value,
        body.statement,
    )
    application.criteria, application.applied_at = criteria, now
    application.withdrawn_at = None
    await session.flush()
    return application


async def withdraw(
    session: AsyncSession,
    principal: Principal,
    vacancy_id: uuid.UUID,
    application_id: uuid.UUID,
    clock: Clock,
) -> VacancyApplication:
    """The applicant withdraws their own open application (someone else's: 404); 409 once
    it is not open. Audited."""
    employee_id = _applicant(principal)
    vacancy = await _competition(session, principal, vacancy_id)
    application = await competition_repository.application_by_id(
        session, principal.org_id, vacancy.id, application_id
    )
    if application is None or application.employee_id != employee_id:
        raise NotFound(_("No such application"))
    if application.status != VacancyApplicationStatus.APPLIED.value:
        raise Conflict(_("This application is {status}", status=label(application.status)))
    application.status = VacancyApplicationStatus.WITHDRAWN.value
    application.withdrawn_at = clock.now()
    await session.flush()
    audit.record(
        session,
        principal,
        "vacancy_application.withdrawn",
        "vacancy_application",
        application.id,
        org_id=principal.org_id,
        before={"status": VacancyApplicationStatus.APPLIED.value},
        after={"status": application.status, "vacancy_id": str(vacancy.id)},
    )
    return application


async def list_applications(
    session: AsyncSession,
    principal: Principal,
    vacancy_id: uuid.UUID,
    page: PageParams,
    *,
    status: VacancyApplicationStatus | None,
) -> tuple[list[VacancyApplicationOut], str | None]:
    """A vacancy's applications, oldest first: HR admins all, department heads over the
    vacancy those of the employees in their reach; anyone else 404."""
    vacancy = await access.vacancy_in_reach(session, principal, vacancy_id)
    statement = competition_repository.applications_query(
        principal.org_id,
        vacancy.id,
        status=status.value if status else None,
        employee_ids=await people.visible_employee_ids(session, principal),
    )
    rows, cursor = await paginate(session, statement, [VacancyApplication.id], page)
    applicants = [row.employee_id for row in rows]
    note_reads(principal, applicants, DataClass.EVALUATION, "vacancy_application")
    return await application_views(session, principal.org_id, rows), cursor


async def application_views(
    session: AsyncSession, org_id: uuid.UUID, applications: Sequence[VacancyApplication]
) -> list[VacancyApplicationOut]:
    """Views in one more statement: the applicants with their departments."""
    named = await people.employee_summaries(
        session, org_id, [application.employee_id for application in applications]
    )
    return [
        VacancyApplicationOut(
            id=application.id,
            vacancy_id=application.vacancy_id,
            employee=named[application.employee_id].ref,
            department_id=named[application.employee_id].department_id,
            department=named[application.employee_id].department,
            status=VacancyApplicationStatus(application.status),
            statement=application.statement,
            criteria=[CriterionResult.model_validate(found) for found in application.criteria],
            applied_at=application.applied_at,
            withdrawn_at=application.withdrawn_at,
            closed_at=application.closed_at,
            closed_reason=application.closed_reason,
            version=application.version,
        )
        for application in applications
    ]

"""Mentor applications: an employee applies to mentor in a program (or HR nominates one);
each rule's value and pass/fail is kept as found then. HR approves — an applicant who failed a
rule only with an override reason — or rejects with a reason; approval makes the employee a
mentor of the program and is published as `mentor.approved`. Every write is audited."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Forbidden, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.references import refs_by_ids
from hrcore.mentoring import access, eligibility, repository
from hrcore.mentoring.models import (
    ApplicationSource,
    ApplicationStatus,
    Mentor,
    MentorApplication,
    MentoringProgram,
)
from hrcore.mentoring.schemas import (
    RULES,
    MentorApplicationIn,
    MentorApplicationOut,
    MentorApproveIn,
    MentorRejectIn,
    MentorRuleCheck,
)
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.webhooks import api as webhooks


async def application_views(
    session: AsyncSession, applications: Sequence[MentorApplication]
) -> list[MentorApplicationOut]:
    """Views of many applications: their programs and employees in one query each."""
    if not applications:
        return []
    org_id = applications[0].org_id
    programs = await refs_by_ids(
        session, MentoringProgram.name, org_id, [row.program_id for row in applications]
    )
    employees = await people.employee_refs(
        session, org_id, [row.employee_id for row in applications]
    )
    return [
        MentorApplicationOut(
            id=row.id,
            program=programs[row.program_id],
            employee=employees[row.employee_id],
            source=ApplicationSource(row.source),
            status=ApplicationStatus(row.status),
            eligible=row.eligible,
            checks=[MentorRuleCheck.model_validate(check) for check in row.checks],
            motivation=row.motivation,
            decision_reason=row.decision_reason,
            overridden=row.overridden,
            decided_at=row.decided_at,
            created_at=row.created_at,
            version=row.version,
        )
        for row in applications
    ]


async def list_applications(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    program_id: uuid.UUID | None,
    status: ApplicationStatus | None,
) -> tuple[list[MentorApplication], str | None]:
    reach = await access.employee_reach(session, principal)
    statement = repository.applications_query(
        principal.org_id, reach, program_id=program_id, status=status
    )
    return await paginate(session, statement, [MentorApplication.id], page)


def _source(principal: Principal, employee_id: uuid.UUID) -> ApplicationSource:
    """The employee themself applies; HR admins nominate anyone (403 for anyone else)."""
    if principal.employee_id == employee_id:
        return ApplicationSource.SELF
    if principal.is_hr_admin:
        return ApplicationSource.HR
    raise Forbidden(_("Only HR admins nominate someone else as a mentor"))


async def _require_in_program(
    session: AsyncSession, program: MentoringProgram, department_id: uuid.UUID
) -> None:
    if program.department_id is None:
        return
    if department_id not in await org.subtree_ids(session, program.org_id, program.department_id):
        raise Unprocessable(
            _("The employee is outside the program's departments"),
            errors=[FieldError(field="employee_id", message=_("outside the program"))],
        )


async def apply(
    session: AsyncSession, principal: Principal, body: MentorApplicationIn, clock: Clock
) -> MentorApplication:
    """Check the employee against the program's rules now and keep the answer (409 when an
    application of theirs is pending or they mentor in the program already)."""
    principal.require_key_scope(None)
    employee_id = body.employee_id or principal.employee_id
    if employee_id is None:
        raise Unprocessable(
            _("Name the employee who would mentor"),
            errors=[FieldError(field="employee_id", message=_("required"))],
        )
    source = _source(principal, employee_id)
    program = await access.readable_program(session, principal, body.program_id)
    if not program.active:
        raise Conflict(_("The mentoring program is closed"))
    employee = await people.require_employee(session, principal.org_id, employee_id)
    await _require_in_program(session, program, employee.department_id)
    if await repository.mentor_of(session, principal.org_id, program.id, employee_id):
        raise Conflict(_("The employee already mentors in this program"))
    if await repository.has_pending(session, principal.org_id, program.id, employee_id):
        raise Conflict(_("An application for this program is already pending"))
    checks = await eligibility.evaluate(
        session, principal.org_id, employee_id, RULES.validate_python(program.rules), clock
    )
    if checks is None:
        raise Unprocessable(
            _("Only an active employee may mentor"),
            errors=[FieldError(field="employee_id", message=_("not active"))],
        )
    application = MentorApplication(
        org_id=principal.org_id,
        program_id=program.id,
        employee_id=employee_id,
        source=source.value,
        status=ApplicationStatus.PENDING.value,
        eligible=all(check.passed for check in checks),
        checks=[check.model_dump(mode="json") for check in checks],
        motivation=body.motivation,
    )
    session.add(application)
    await session.flush()
    audit.record(
        session,
        principal,
        "mentor_application.created",
        "mentor_application",
        application.id,
        org_id=principal.org_id,
        after={
            "program_id": str(program.id),
            "employee_id": str(employee_id),
            "source": source.value,
            "eligible": application.eligible,
            "checks": application.checks,
        },
    )
    return application


def _require_pending(application: MentorApplication) -> None:
    if application.status != ApplicationStatus.PENDING.value:
        raise Conflict(_("The application was decided already"))


def _failing(application: MentorApplication) -> list[FieldError]:
    return [
        FieldError(
            field=f"checks[{index}]",
            message=_(
                "rule {kind} failed (found {value})", kind=check["kind"], value=check["value"]
            ),
        )
        for index, check in enumerate(application.checks)
        if not check["passed"]
    ]


async def approve(
    session: AsyncSession,
    principal: Principal,
    application_id: uuid.UUID,
    body: MentorApproveIn,
    clock: Clock,
) -> MentorApplication:
    """HR approves; failing rules need `override_reason` (422 naming them otherwise)."""
    application = await access.application_to_decide(session, principal, application_id)
    _require_pending(application)
    if not application.eligible and body.override_reason is None:
        raise Unprocessable(
            _("The applicant failed eligibility rules: approving needs an override reason"),
            errors=_failing(application),
        )
    application.status = ApplicationStatus.APPROVED.value
    application.overridden = not application.eligible
    application.decision_reason = body.override_reason
    application.decided_at = clock.now()
    mentor = Mentor(
        org_id=application.org_id,
        program_id=application.program_id,
        employee_id=application.employee_id,
        application_id=application.id,
        approved_at=application.decided_at,
    )
    session.add(mentor)
    await session.flush()
    audit.record(
        session,
        principal,
        "mentor_application.approved",
        "mentor_application",
        application.id,
        org_id=principal.org_id,
        before={"status": ApplicationStatus.PENDING.value},
        after={
            "status": application.status,
            "overridden": application.overridden,
            "override_reason": application.decision_reason,
            "mentor_id": str(mentor.id),
        },
    )
    await webhooks.publish(
        session,
        org_id=application.org_id,
        event_type=webhooks.EventType.MENTOR_APPROVED,
        payload={
            "mentor_id": str(mentor.id),
            "application_id": str(application.id),
            "program_id": str(application.program_id),
            "employee_id": str(application.employee_id),
            "overridden": application.overridden,
        },
    )
    return application


async def reject(
    session: AsyncSession,
    principal: Principal,
    application_id: uuid.UUID,
    body: MentorRejectIn,
    clock: Clock,
) -> MentorApplication:
    application = await access.application_to_decide(session, principal, application_id)
    _require_pending(application)
    application.status = ApplicationStatus.REJECTED.value
    application.decision_reason = body.reason
    application.decided_at = clock.now()
    await session.flush()
    audit.record(
        session,
        principal,
        "mentor_application.rejected",
        "mentor_application",
        application.id,
        org_id=principal.org_id,
        before={"status": ApplicationStatus.PENDING.value},
        after={"status": application.status, "reason": body.reason},
    )
    return application

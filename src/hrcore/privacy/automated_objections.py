"""Objecting to an automated evaluation and its human review (PIPL Art. 24).

The person objects to one of their own evaluations with a message; the evaluation as they
read it is kept with the objection. HR's first admin with an employee record gets a review
task due in `REVIEW_WORKING_DAYS` working days on the organization's calendar (reminders and
escalation as the organization's task policy says); every HR admin is told in the inbox.
HR records the outcome — upheld (the result stands) or changed — with a reason; the task
closes, the person is told in the inbox, and every step is audited. One objection per
evaluation may be open at a time (409; the partial unique index holds it under races).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.calendars import api as calendars
from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.pagination import PageParams, paginate
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.privacy import automated_evaluations as evaluations
from hrcore.privacy import automated_repository as repository
from hrcore.privacy.automated_models import AutomatedEvaluationObjection, ObjectionStatus
from hrcore.privacy.automated_schemas import (
    AutomatedEvaluationOut,
    AutomatedObjectionIn,
    AutomatedObjectionOut,
    AutomatedObjectionResolution,
)
from hrcore.settings import Settings
from hrcore.workflow import api as workflow
from hrcore.workflow.api import Submission, TaskInfo

REVIEW_TASK_KIND = "privacy.automated_evaluation_review"
SUBJECT = "automated_evaluation_objection"
REVIEW_WORKING_DAYS = 15
"""HR reviews within 15 working days: the term the organization gives a person's requests
about their data (PIPL Art. 50 asks for a timely answer)."""


async def object_to(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: str,
    body: AutomatedObjectionIn,
    clock: Clock,
    settings: Settings,
) -> AutomatedEvaluationObjection:
    """The caller objects to one of their own evaluations (404 for any other id; 409 while
    an objection to it is open)."""
    employee_id = own_employee_id(principal)
    evaluation = await evaluations.evaluation_of(session, principal, evaluation_id, clock, settings)
    if await repository.open_objection_exists(
        session, principal.org_id, employee_id, evaluation_id
    ):
        raise Conflict(_("An objection to this evaluation is already open"))
    shown = evaluation.model_copy(update={"objection": None})
    objection = AutomatedEvaluationObjection(
        org_id=principal.org_id,
        employee_id=employee_id,
        evaluation_id=evaluation_id,
        kind=evaluation.kind.value,
        snapshot=shown.model_dump(mode="json"),
        message=body.message,
        status=ObjectionStatus.OPEN.value,
    )
    session.add(objection)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(_("An objection to this evaluation is already open")) from None
    objection.task_id = await _review_task(session, objection, evaluation, clock, principal)
    await _tell_hr(session, objection, evaluation)
    audit.record(
        session,
        principal,
        "automated_evaluation.objected",
        SUBJECT,
        objection.id,
        org_id=objection.org_id,
        after={"evaluation_id": evaluation_id, "kind": objection.kind, "message": body.message},
    )
    await session.flush()
    return objection


async def _review_task(
    session: AsyncSession,
    objection: AutomatedEvaluationObjection,
    evaluation: AutomatedEvaluationOut,
    clock: Clock,
    actor: Principal,
) -> uuid.UUID | None:
    """The review goes to the first HR admin with an employee record; without one, HR's
    inbox is where it lands."""
    hr_users = await identity.hr_admin_user_ids(session, objection.org_id)
    hr_employees = sorted(
        set((await identity.employee_ids_for_users(session, objection.org_id, hr_users)).values())
    )
    if not hr_employees:
        return None
    calendar = await calendars.work_calendar(session, objection.org_id)
    today = await people.org_today(session, objection.org_id, clock)
    names = await people.employee_refs(session, objection.org_id, [objection.employee_id])
    return await workflow.create_task(
        session,
        org_id=objection.org_id,
        subject_type=SUBJECT,
        subject_id=objection.id,
        kind=REVIEW_TASK_KIND,
        assignee_employee_id=hr_employees[0],
        subject_employee_id=objection.employee_id,
        due=calendar.add_working_days(today, REVIEW_WORKING_DAYS),
        title=_(
            "Review {employee}'s objection to an automated evaluation: {what}",
            employee=names[objection.employee_id].name,
            what=evaluation.subject.name,
        ),
        actor=actor,
    )


async def _tell_hr(
    session: AsyncSession,
    objection: AutomatedEvaluationObjection,
    evaluation: AutomatedEvaluationOut,
) -> None:
    await notifications.notify(
        session,
        org_id=objection.org_id,
        user_ids=await identity.hr_admin_user_ids(session, objection.org_id),
        kind="privacy.automated_objection_filed",
        title=_("An automated evaluation is objected to"),
        body=_(
            "{what}: review it and record the outcome (upheld or changed).",
            what=evaluation.subject.name,
        ),
        subject_type=SUBJECT,
        subject_id=objection.id,
        dedupe_key=f"{SUBJECT}:{objection.id}:filed",
    )


async def own_objection(
    session: AsyncSession, principal: Principal, evaluation_id: str
) -> AutomatedEvaluationObjection:
    """The caller's latest objection to one of their evaluations; 404 without one."""
    employee_id = own_employee_id(principal)
    objection = await repository.latest_objection(
        session, principal.org_id, employee_id, evaluation_id
    )
    if objection is None:
        raise NotFound(_("You have not objected to this evaluation"))
    return objection


async def objection_for_hr(
    session: AsyncSession,
    principal: Principal,
    objection_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> AutomatedEvaluationObjection:
    """HR admins read and resolve objections (404 for anyone else: an objection says whom
    the machine evaluated how)."""
    require_hr_admin(principal, hide=True)
    return await get_or_404(
        session,
        AutomatedEvaluationObjection,
        principal.org_id,
        objection_id,
        what=N_("objection"),
        for_update=for_update,
    )


async def resolve(
    session: AsyncSession,
    principal: Principal,
    objection_id: uuid.UUID,
    body: AutomatedObjectionResolution,
    clock: Clock,
) -> AutomatedEvaluationObjection:
    """HR records the human review's outcome; the task closes, the person is told."""
    objection = await objection_for_hr(session, principal, objection_id, for_update=True)
    if objection.status != ObjectionStatus.OPEN.value:
        raise Conflict(_("The objection was already reviewed"))
    objection.status, objection.reason = body.outcome, body.reason
    objection.resolved_by, objection.resolved_at = principal.id, clock.now()
    await session.flush()
    if objection.task_id is not None and (
        await workflow.task_status(session, objection.org_id, objection.task_id) == "open"
    ):
        await workflow.complete_task(
            session,
            org_id=objection.org_id,
            task_id=objection.task_id,
            clock=clock,
            actor=principal,
        )
    await _tell_employee(session, objection)
    audit.record(
        session,
        principal,
        f"automated_evaluation.objection_{body.outcome}",
        SUBJECT,
        objection.id,
        org_id=objection.org_id,
        before={"status": ObjectionStatus.OPEN.value},
        after={"status": body.outcome, "reason": body.reason},
    )
    return objection


async def _tell_employee(session: AsyncSession, objection: AutomatedEvaluationObjection) -> None:
    users = await identity.user_ids_for_employees(
        session, objection.org_id, [objection.employee_id]
    )
    what = str(objection.snapshot["subject"]["name"])
    await notifications.notify(
        session,
        org_id=objection.org_id,
        user_ids=users.get(objection.employee_id, []),
        kind=f"privacy.automated_objection_{objection.status}",
        title=_("Your objection was reviewed by a person: the result stands")
        if objection.status == ObjectionStatus.UPHELD.value
        else _("Your objection was reviewed by a person: the result was changed"),
        body=_("{what}: the reviewer's reason: {reason}", what=what, reason=objection.reason or ""),
        subject_type=SUBJECT,
        subject_id=objection.id,
        dedupe_key=f"{SUBJECT}:{objection.id}:{objection.status}",
    )


async def resolved_only(
    session: AsyncSession, task: TaskInfo, submission: Submission | None
) -> None:
    """The review task closes by recording the outcome, which the task cannot carry."""
    objection = await session.get(AutomatedEvaluationObjection, task.subject_id)
    if objection is not None and objection.status == ObjectionStatus.OPEN.value:
        raise Unprocessable(
            _(
                "Record the outcome on the objection itself: "
                "POST /automated-evaluation-objections/{id}/resolve",
                id=objection.id,
            ),
            errors=[FieldError(field="task", message=_("completed by resolving the objection"))],
        )


async def objection_view(
    session: AsyncSession, objection: AutomatedEvaluationObjection
) -> AutomatedObjectionOut:
    [view] = await objection_views(session, objection.org_id, [objection])
    return view


async def objection_views(
    session: AsyncSession, org_id: uuid.UUID, objections: Sequence[AutomatedEvaluationObjection]
) -> list[AutomatedObjectionOut]:
    """The objections with the names beside their ids: one statement per kind of name for
    the whole page, none for a kind with nothing to name."""
    employees = await people.employee_refs(session, org_id, [o.employee_id for o in objections])
    users = await identity.user_refs(
        session, org_id, [o.resolved_by for o in objections if o.resolved_by is not None]
    )
    return [
        AutomatedObjectionOut(
            id=objection.id,
            evaluation_id=objection.evaluation_id,
            kind=objection.kind,
            employee_id=objection.employee_id,
            employee=employees[objection.employee_id],
            evaluation=objection.snapshot,
            message=objection.message,
            status=objection.status,
            task_id=objection.task_id,
            reason=objection.reason,
            resolved_by=objection.resolved_by,
            resolved_by_user=users.get(objection.resolved_by) if objection.resolved_by else None,
            resolved_at=objection.resolved_at,
            created_at=objection.created_at,
        )
        for objection in objections
    ]


async def list_for_hr(
    session: AsyncSession,
    principal: Principal,
    status: ObjectionStatus | None,
    page: PageParams,
) -> tuple[list[AutomatedObjectionOut], str | None]:
    """HR admins' list, newest first (404 for anyone else); three statements a page."""
    require_hr_admin(principal, hide=True)
    statement = select(AutomatedEvaluationObjection).where(
        AutomatedEvaluationObjection.org_id == principal.org_id
    )
    if status is not None:
        statement = statement.where(AutomatedEvaluationObjection.status == status.value)
    rows, cursor = await paginate(
        session, statement, [AutomatedEvaluationObjection.id], page, descending=True
    )
    return await objection_views(session, principal.org_id, rows), cursor

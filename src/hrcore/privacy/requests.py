"""Privacy requests 「个人信息权利请求」: a person asks to correct, delete or copy their personal
information or objects to its processing; it becomes a confidential task for HR due within
the organization's legal deadline in working days (reminders and escalation as every task);
HR resolves it — done, or refused with the reason — and the person is told in the inbox.
The person reads their own requests, HR every one; anyone else gets 404.

A deletion request is not done while the person is under a legal hold (`holds_api`):
resolving it as done answers 409 with the hold's reason."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.calendars import api as calendars
from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id, require_hr_admin, require_user
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, Text, _
from hrcore.core.pagination import Page, PageParams, paginate
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.privacy import holds_api
from hrcore.privacy import requests_repository as repository
from hrcore.privacy.requests_models import PrivacyRequest
from hrcore.privacy.requests_schemas import (
    PrivacyRequestIn,
    PrivacyRequestOut,
    PrivacyRequestStatus,
    PrivacyResolution,
)
from hrcore.privacy.requests_settings import deadlines
from hrcore.workflow import api as workflow
from hrcore.workflow.api import Submission, TaskInfo

TASK_KIND = "privacy.request"
SUBJECT = "privacy_request"


def _task_title(kind: str, employee: str) -> Text:
    titles = {
        "correct": _("Correct {employee}'s personal information as requested", employee=employee),
        "delete": _("Delete {employee}'s personal information as requested", employee=employee),
        "copy": _("Give {employee} a copy of their personal information", employee=employee),
        "object": _("Answer {employee}'s objection to processing", employee=employee),
    }
    return titles[kind]


def request_out(request: PrivacyRequest, name: str) -> PrivacyRequestOut:
    return PrivacyRequestOut.model_validate(
        {
            "id": request.id,
            "employee_id": request.employee_id,
            "employee": {"id": request.employee_id, "name": name},
            "kind": request.kind,
            "message": request.message,
            "status": request.status,
            "due_on": request.due_on,
            "task_id": request.task_id,
            "resolution": request.resolution,
            "resolved_at": request.resolved_at,
            "created_at": request.created_at,
            "version": request.version,
        }
    )


async def _names(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: list[uuid.UUID]
) -> dict[uuid.UUID, str]:
    refs = await people.employee_refs(session, org_id, employee_ids)
    return {employee_id: ref.name for employee_id, ref in refs.items()}


async def file_request(
    session: AsyncSession, principal: Principal, body: PrivacyRequestIn, clock: Clock
) -> PrivacyRequestOut:
    """The caller asks about their own data; due the organization's deadline in working days
    from today; HR's first admin with an employee record gets the task (every HR admin is
    told in the inbox)."""
    require_user(principal)
    employee_id = own_employee_id(principal)
    org_id = principal.org_id
    today = await people.org_today(session, org_id, clock)
    calendar = await calendars.work_calendar(session, org_id)
    days = (await deadlines(session, org_id)).request_deadline_days
    request = PrivacyRequest(
        org_id=org_id,
        employee_id=employee_id,
        requested_by=principal.id,
        kind=body.kind.value,
        message=body.message,
        status="open",
        due_on=calendar.add_working_days(today, days),
    )
    session.add(request)
    await session.flush()
    name = (await _names(session, org_id, [employee_id]))[employee_id]
    hr_users = await identity.hr_admin_user_ids(session, org_id)
    hr_employees = sorted(
        set((await identity.employee_ids_for_users(session, org_id, hr_users)).values())
    )
    if hr_employees:
        request.task_id = await workflow.create_task(
            session,
            org_id=org_id,
            subject_type=SUBJECT,
            subject_id=request.id,
            kind=TASK_KIND,
            assignee_employee_id=hr_employees[0],
            subject_employee_id=employee_id,
            title=_task_title(request.kind, name),
            due=request.due_on,
            confidential=True,
            actor=principal,
        )
    await notifications.notify(
        session,
        org_id=org_id,
        user_ids=hr_users,
        kind="privacy.request_filed",
        title=_("A privacy request awaits an answer"),
        body=_task_title(request.kind, name),
        subject_type=SUBJECT,
        subject_id=request.id,
        dedupe_key=f"privacy_request:{request.id}:filed",
    )
    audit.record(
        session,
        principal,
        "privacy_request.filed",
        SUBJECT,
        request.id,
        org_id=org_id,
        after={"kind": request.kind, "due_on": request.due_on.isoformat()},
    )
    await session.flush()
    return request_out(request, name)


async def _readable(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, *, for_update: bool = False
) -> PrivacyRequest:
    """HR reads every request, the person their own; 404 for anyone else."""
    require_user(principal)
    request = await get_or_404(
        session,
        PrivacyRequest,
        principal.org_id,
        request_id,
        what=N_("privacy request"),
        for_update=for_update,
    )
    if not principal.is_hr_admin and request.employee_id != principal.employee_id:
        raise NotFound(_("No such privacy request"))
    return request


async def get_request(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> PrivacyRequestOut:
    request = await _readable(session, principal, request_id)
    names = await _names(session, request.org_id, [request.employee_id])
    return request_out(request, names[request.employee_id])


async def list_requests(
    session: AsyncSession,
    principal: Principal,
    status: PrivacyRequestStatus | None,
    page: PageParams,
) -> Page[PrivacyRequestOut]:
    """HR: the organization's requests; anyone else: their own. Newest first."""
    require_user(principal)
    employee_id = None if principal.is_hr_admin else own_employee_id(principal)
    rows, cursor = await paginate(
        session,
        repository.requests_statement(
            principal.org_id, employee_id, status.value if status else None
        ),
        [PrivacyRequest.created_at, PrivacyRequest.id],
        page,
        descending=True,
    )
    names = await _names(session, principal.org_id, list({row.employee_id for row in rows}))
    return Page[PrivacyRequestOut](
        items=[request_out(row, names[row.employee_id]) for row in rows], next_cursor=cursor
    )


def _check_resolution(body: PrivacyResolution) -> None:
    if body.outcome == PrivacyRequestStatus.OPEN:
        message = _("resolve as done or refused")
        raise Unprocessable(message, errors=[FieldError(field="outcome", message=message)])
    if body.outcome == PrivacyRequestStatus.REFUSED and not (body.reason or "").strip():
        message = _("a refusal needs its reason")
        raise Unprocessable(message, errors=[FieldError(field="reason", message=message)])


async def resolve(
    session: AsyncSession,
    principal: Principal,
    request_id: uuid.UUID,
    body: PrivacyResolution,
    clock: Clock,
) -> PrivacyRequestOut:
    """HR closes an open request (409 otherwise): done, or refused with the reason (422
    without). A deletion is not done while the person is under a legal hold (409 with the
    hold's reason). Completes HR's task; the person is told in the inbox. Audited."""
    request = await _readable(session, principal, request_id, for_update=True)
    require_hr_admin(principal)
    _check_resolution(body)
    if request.status != "open":
        raise Conflict(_("This privacy request is closed already"))
    if body.outcome == PrivacyRequestStatus.DONE and request.kind == "delete":
        hold = await holds_api.is_on_hold(session, request.org_id, request.employee_id)
        if hold is not None:
            raise Conflict(_("The employee's data is under a legal hold: {reason}", reason=hold))
    request.status = body.outcome.value
    request.resolution = body.reason
    request.resolved_by, request.resolved_at = principal.id, clock.now()
    await session.flush()
    if request.task_id is not None and (
        await workflow.task_status(session, request.org_id, request.task_id) == "open"
    ):
        await workflow.complete_task(
            session, org_id=request.org_id, task_id=request.task_id, clock=clock, actor=principal
        )
    await _tell_employee(session, request)
    audit.record(
        session,
        principal,
        f"privacy_request.{request.status}",
        SUBJECT,
        request.id,
        org_id=request.org_id,
        before={"status": "open"},
        after={"status": request.status, "reason": request.resolution},
    )
    names = await _names(session, request.org_id, [request.employee_id])
    return request_out(request, names[request.employee_id])


async def _tell_employee(session: AsyncSession, request: PrivacyRequest) -> None:
    users = await identity.user_ids_for_employees(session, request.org_id, [request.employee_id])
    done = request.status == "done"
    await notifications.notify(
        session,
        org_id=request.org_id,
        user_ids=users.get(request.employee_id, []),
        kind=f"privacy.request_{request.status}",
        title=_("Your privacy request was answered")
        if done
        else _("Your privacy request was refused"),
        body=request.resolution or _("HR has done what you asked."),
        subject_type=SUBJECT,
        subject_id=request.id,
        dedupe_key=f"privacy_request:{request.id}:{request.status}",
    )


async def resolved_only(
    session: AsyncSession, task: TaskInfo, submission: Submission | None
) -> None:
    """HR's task closes by resolving the request, which the task cannot carry."""
    request = await session.get(PrivacyRequest, task.subject_id)
    if request is not None and request.status == "open":
        raise Unprocessable(
            _("Resolve the request itself: POST /privacy-requests/{id}/resolve", id=request.id),
            errors=[FieldError(field="task", message=_("completed by resolving the request"))],
        )

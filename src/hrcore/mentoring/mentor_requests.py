"""An employee asks for a mentor 「申请导师」: the request is decided by HR admins or the
employee's managers and department head, with the program's top mentor suggestions
(`suggestions.rank`) stored as found then. Deciding pairs through `mentorships.pair` (the
same checks: eligibility 422, capacity 409, a second pairing 409) and marks the request
`paired`; declining needs a reason. One open request per employee and program (409; the
partial unique index backs it). The deciders hear of a new request in the inbox; it is
published as `mentor_request.created`. Every write is audited."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.clock import Clock
from hrcore.core.db import among, get_or_404
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.i18n import Text as Message
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.references import refs_by_ids
from hrcore.identity import api as identity
from hrcore.mentoring import access, mentorships, suggestions
from hrcore.mentoring.mentor_request_models import MentorRequest, MentorRequestStatus
from hrcore.mentoring.mentor_request_schemas import (
    SUGGESTIONS,
    MentorRequestDecisionIn,
    MentorRequestDeclineIn,
    MentorRequestIn,
    MentorRequestOut,
)
from hrcore.mentoring.mentorship_schemas import MentorshipIn
from hrcore.mentoring.models import MentoringProgram
from hrcore.notifications import api as notifications
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.webhooks import api as webhooks

SUBJECT = "mentor_request"
WHAT = N_("mentor request")
OPEN = MentorRequestStatus.OPEN.value
INBOX_NAMES = (
    "SELECT r.id, p.name AS title, r.employee_id FROM mentor_requests r"
    " JOIN mentoring_programs p ON p.id = r.program_id"
    " WHERE r.org_id = {org} AND r.id = ANY({ids})"
)
"""The inbox names a request after its program, about its employee."""


async def _open_in(session: AsyncSession, request: MentorRequest) -> bool:
    found = await session.scalar(
        select(MentorRequest.id).where(
            MentorRequest.org_id == request.org_id,
            MentorRequest.program_id == request.program_id,
            MentorRequest.employee_id == request.employee_id,
            MentorRequest.status == OPEN,
        )
    )
    return found is not None


async def _require_inside(
    session: AsyncSession, program: MentoringProgram, employee: people.EmployeeInfo
) -> None:
    """The requester must be active and within the program's departments (422 `program_id`)."""
    inside = program.department_id is None or employee.department_id in await org.subtree_ids(
        session, program.org_id, program.department_id
    )
    if employee.status != "active" or not inside:
        raise Unprocessable(
            _("Only an active employee within the program's departments asks for a mentor"),
            errors=[FieldError(field="program_id", message=_("outside the program"))],
        )


async def _tell_deciders(session: AsyncSession, request: MentorRequest, name: str) -> None:
    """The employee's direct manager and department heads, else the HR admins."""
    org_id = request.org_id
    employee = await people.require_employee(session, org_id, request.employee_id)
    manager = (await people.managers_of(session, org_id, [employee.id])).get(employee.id)
    users = await identity.user_ids_for_employees(session, org_id, [manager] if manager else [])
    heads = await identity.department_heads(session, org_id, [employee.department_id])
    recipients = {u for found in users.values() for u in found}
    recipients |= {
        user for user, head in heads.get(employee.department_id, []) if head != employee.id
    }
    if not recipients:
        recipients = set(await identity.hr_admin_user_ids(session, org_id))
    await notifications.notify(
        session,
        org_id=org_id,
        user_ids=sorted(recipients),
        kind="mentor_request.created",
        title=_("{name} asks for a mentor", name=name),
        body=_("Pair them with a suggested mentor or decline the request."),
        subject_type=SUBJECT,
        subject_id=request.id,
        dedupe_key=f"mentor_request:{request.id}:created",
    )


async def ask(session: AsyncSession, principal: Principal, body: MentorRequestIn) -> MentorRequest:
    """The employee asks for themself; the suggestions are ranked as the deciders would see
    them, stored as found."""
    principal.require_key_scope(None)
    employee_id = own_employee_id(principal)
    program = await access.readable_program(session, principal, body.program_id)
    if not program.active:
        raise Conflict(_("The mentoring program is closed"))
    employee = await people.require_employee(session, principal.org_id, employee_id)
    await _require_inside(session, program, employee)
    request = MentorRequest(
        org_id=principal.org_id,
        program_id=program.id,
        employee_id=employee.id,
        note=body.note,
        status=OPEN,
        suggestions=[],
    )
    if await _open_in(session, request):
        raise Conflict(_("You already asked for a mentor in this program"))
    found = await suggestions.rank(
        session, program, employee, limit=SUGGESTIONS, available_only=False
    )
    request.suggestions = [item.model_dump(mode="json") for item in found.items]
    session.add(request)
    await session.flush()
    published = _published(request)
    audit.record(
        session,
        principal,
        "mentor_request.created",
        SUBJECT,
        request.id,
        org_id=principal.org_id,
        after=published | {"note": request.note},
    )
    await webhooks.publish(
        session,
        org_id=principal.org_id,
        event_type=webhooks.EventType.MENTOR_REQUEST_CREATED,
        payload=published | {"suggested_mentor_ids": [s["mentor_id"] for s in request.suggestions]},
    )
    await _tell_deciders(session, request, employee.full_name)
    return request


def _published(request: MentorRequest) -> dict[str, Any]:
    return {
        "mentor_request_id": str(request.id),
        "program_id": str(request.program_id),
        "employee_id": str(request.employee_id),
    }


async def _reach(session: AsyncSession, principal: Principal) -> list[uuid.UUID] | None:
    principal.require_key_scope(None)
    return await people.visible_employee_ids(session, principal)


async def readable(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, *, for_update: bool = False
) -> MentorRequest:
    """HR admins any; the requester their own; managers and department heads those of the
    employees in their reach; 404 for anyone else, 403 for keys."""
    reach = await _reach(session, principal)
    request = await get_or_404(
        session, MentorRequest, principal.org_id, request_id, what=WHAT, for_update=for_update
    )
    if reach is not None and request.employee_id not in reach:
        raise NotFound(_("No such {what}", what=Message(WHAT)))
    return request


async def list_requests(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    program_id: uuid.UUID | None,
    status: MentorRequestStatus | None,
) -> tuple[list[MentorRequest], str | None]:
    reach = await _reach(session, principal)
    statement = select(MentorRequest).where(MentorRequest.org_id == principal.org_id)
    if reach is not None:
        statement = statement.where(among(MentorRequest.employee_id, reach))
    if program_id is not None:
        statement = statement.where(MentorRequest.program_id == program_id)
    if status is not None:
        statement = statement.where(MentorRequest.status == status.value)
    return await paginate(session, statement, [MentorRequest.id], page)


async def _to_decide(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> MentorRequest:
    request = await readable(session, principal, request_id, for_update=True)
    await people.ensure_can_manage(session, principal, request.employee_id)
    if request.status != OPEN:
        raise Conflict(_("The mentor request is already decided"))
    return request


async def decide(
    session: AsyncSession,
    principal: Principal,
    request_id: uuid.UUID,
    body: MentorRequestDecisionIn,
    clock: Clock,
) -> MentorRequest:
    """Pair the requester with the chosen mentor through the pairing use case."""
    request = await _to_decide(session, principal, request_id)
    mentorship = await mentorships.pair(
        session,
        principal,
        MentorshipIn(
            program_id=request.program_id,
            mentor_id=body.mentor_id,
            mentee_id=request.employee_id,
            template_id=body.template_id,
            starts_on=body.starts_on,
            override_reason=body.override_reason,
        ),
        clock,
    )
    request.status = MentorRequestStatus.PAIRED.value
    request.mentorship_id = mentorship.id
    request.decided_at = clock.now()
    await session.flush()
    suggested = any(s["mentor_id"] == str(body.mentor_id) for s in request.suggestions)
    audit.record(
        session,
        principal,
        "mentor_request.paired",
        SUBJECT,
        request.id,
        org_id=principal.org_id,
        after=_published(request) | {"mentorship_id": str(mentorship.id), "suggested": suggested},
    )
    return request


async def decline(
    session: AsyncSession,
    principal: Principal,
    request_id: uuid.UUID,
    body: MentorRequestDeclineIn,
    clock: Clock,
) -> MentorRequest:
    request = await _to_decide(session, principal, request_id)
    request.status = MentorRequestStatus.DECLINED.value
    request.decision_reason = body.reason
    request.decided_at = clock.now()
    await session.flush()
    audit.record(
        session,
        principal,
        "mentor_request.declined",
        SUBJECT,
        request.id,
        org_id=principal.org_id,
        after=_published(request) | {"reason": body.reason},
    )
    return request


async def views(session: AsyncSession, rows: Sequence[MentorRequest]) -> list[MentorRequestOut]:
    """A page's views: programs and people, one statement each."""
    if not rows:
        return []
    org_id = rows[0].org_id
    programs = await refs_by_ids(
        session, MentoringProgram.name, org_id, [r.program_id for r in rows]
    )
    employees = await people.employee_refs(session, org_id, [r.employee_id for r in rows])
    return [
        MentorRequestOut.model_validate(
            {
                "id": row.id,
                "program": programs[row.program_id],
                "employee": employees[row.employee_id],
                "note": row.note,
                "status": row.status,
                "suggestions": row.suggestions,
                "mentorship_id": row.mentorship_id,
                "decision_reason": row.decision_reason,
                "decided_at": row.decided_at,
                "created_at": row.created_at,
            }
        )
        for row in rows
    ]

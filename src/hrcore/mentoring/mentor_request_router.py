"""Employees' requests for a mentor over HTTP; included by the domain's router."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.mentoring import mentor_requests
from hrcore.mentoring.mentor_request_models import MentorRequestStatus
from hrcore.mentoring.mentor_request_schemas import (
    MentorRequestDecisionIn,
    MentorRequestDeclineIn,
    MentorRequestIn,
    MentorRequestOut,
)

router = APIRouter(route_class=HrcoreRoute)
PATH = "/mentor-requests"


@router.post(
    PATH,
    operation_id="create_mentor_request",
    summary="Ask for a mentor in a program (the employee for themself)",
    status_code=201,
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "The program is closed, or the employee already asked in it"),
        **problem(422, "The employee is outside the program's departments"),
    },
)
async def create_mentor_request(
    body: MentorRequestIn, principal: CurrentPrincipal, session: DbSession
) -> MentorRequestOut:
    """The caller asks for a mentor for themself in a program they may read (404 otherwise;
    409 when it is closed or they have an open request in it). The program's top five mentor
    suggestions for them are stored with the request as found now. HR admins or the
    employee's manager and department head decide it; they are told in the inbox. Audited;
    published as `mentor_request.created`."""
    request = await mentor_requests.ask(session, principal, body)
    [view] = await mentor_requests.views(session, [request])
    return view


@router.get(
    PATH,
    operation_id="list_mentor_requests",
    summary="Mentor requests I may see",
    responses=FORBIDDEN,
)
async def list_mentor_requests(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    program_id: Annotated[uuid.UUID | None, Query(description="Only this program's.")] = None,
    status: Annotated[MentorRequestStatus | None, Query(description="Only in this status.")] = None,
) -> Page[MentorRequestOut]:
    """Cursor-paginated: HR admins all; managers and department heads those of the employees
    in their reach; anyone else their own. Integration keys: 403."""
    rows, cursor = await mentor_requests.list_requests(
        session, principal, page, program_id=program_id, status=status
    )
    return Page(items=await mentor_requests.views(session, rows), next_cursor=cursor)


@router.get(
    PATH + "/{request_id}",
    operation_id="get_mentor_request",
    summary="One mentor request",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_mentor_request(
    request_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> MentorRequestOut:
    """Who lists it reads it; 404 for anyone else and another organization's."""
    request = await mentor_requests.readable(session, principal, request_id)
    [view] = await mentor_requests.views(session, [request])
    return view


@router.post(
    PATH + "/{request_id}/decide",
    operation_id="decide_mentor_request",
    summary="Pair the requester with a mentor (HR admin, the manager or department head)",
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "Decided already, the mentor is at capacity or the employee is paired"),
        **problem(422, "The mentor fails the program's rules without an override reason"),
    },
)
async def decide_mentor_request(
    request_id: uuid.UUID,
    body: MentorRequestDecisionIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> MentorRequestOut:
    """Pairs through `POST /mentorships` with its checks (eligibility 422 unless an HR admin
    overrides with a reason, capacity 409, a second pairing 409) and marks the request
    `paired`. 403 for the requester and others who see it, 404 for who does not; a decided
    request is 409. Audited."""
    request = await mentor_requests.decide(session, principal, request_id, body, clock)
    [view] = await mentor_requests.views(session, [request])
    return view


@router.post(
    PATH + "/{request_id}/decline",
    operation_id="decline_mentor_request",
    summary="Decline a mentor request with a reason",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def decline_mentor_request(
    request_id: uuid.UUID,
    body: MentorRequestDeclineIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> MentorRequestOut:
    """Who may decide it declines it (a reason is required, 422); a decided request is 409.
    The employee may then ask again. Audited."""
    request = await mentor_requests.decline(session, principal, request_id, body, clock)
    [view] = await mentor_requests.views(session, [request])
    return view

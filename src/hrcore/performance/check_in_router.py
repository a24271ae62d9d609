"""Check-ins 「一对一面谈」 and feedback 「反馈 / 表扬」 over HTTP (included at the end of the
performance router)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.performance import check_in_reading, check_ins, feedback
from hrcore.performance.check_in_schemas import (
    CheckInIn,
    CheckInOut,
    CheckInPatch,
    CheckInStatus,
    FeedbackIn,
    FeedbackOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["performance"])


@router.get(
    "/check-ins",
    operation_id="list_check_ins",
    summary="1:1 check-ins 「一对一面谈」: the caller's own, or every one's metadata for HR",
    response_model=Page[CheckInOut],
    responses=FORBIDDEN,
)
async def list_check_ins(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    employee_id: Annotated[
        uuid.UUID | None, Query(description="Only those this employee takes part in.")
    ] = None,
    status: Annotated[CheckInStatus | None, Query(description="Only in this status.")] = None,
) -> Page[CheckInOut]:
    """A participant reads their check-ins as manager or report, with agenda, shared notes
    and their own private note; HR admins read every check-in's metadata (who, when,
    status: the content null). Newest first; integration keys 403."""
    return await check_in_reading.check_ins(
        session, principal, page, employee_id=employee_id, status=status
    )


@router.post(
    "/check-ins",
    operation_id="schedule_check_in",
    summary="Schedule a 1:1 with a direct report, with its agenda and action items",
    response_model=CheckInOut,
    status_code=201,
    responses=FORBIDDEN,
)
async def schedule_check_in(
    body: CheckInIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> CheckInOut:
    """The caller schedules it with one of their direct reports (people's manager line; 422
    for anyone else, 403 for an account without an employee). Each action item becomes a
    task for the manager or the report, due on its day (not in the past), reminded and
    escalated by the organization's task policy. Audited."""
    check_in_id = await check_ins.schedule(session, principal, body, clock)
    view = await check_in_reading.check_in(session, principal, check_in_id, clock)
    set_etag(response, view.version)
    return view


@router.get(
    "/check-ins/{check_in_id}",
    operation_id="get_check_in",
    summary="One check-in, with its action items' state",
    response_model=CheckInOut,
    responses=NOT_FOUND,
)
async def get_check_in(
    check_in_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> CheckInOut:
    """Participants read all of it but the other's private note, HR admins its metadata;
    404 for anyone else (another manager, a department head). The `ETag` serves `If-Match`
    on the update."""
    view = await check_in_reading.check_in(session, principal, check_in_id, clock)
    if view.manager.id == principal.employee_id:
        note_read(principal, view.report.id, DataClass.EVALUATION, "check_in")
    set_etag(response, view.version)
    return view


@router.patch(
    "/check-ins/{check_in_id}",
    operation_id="update_check_in",
    summary="Change a check-in: time, status, agenda, notes, new action items",
    response_model=CheckInOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT, **STALE},
)
async def update_check_in(
    check_in_id: uuid.UUID,
    body: CheckInPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
    if_match: IfMatch = None,
) -> CheckInOut:
    """For the two participants (HR admins 403, others 404). `private_note` is the caller's
    own. Time and status change only while scheduled (409); `cancelled` withdraws the open
    action items' tasks; a cancelled check-in takes no action items (409). 412 on a stale
    `If-Match`. Audited with the fields changed, never the notes' text."""
    await check_ins.update(session, principal, check_in_id, body, clock, if_match)
    view = await check_in_reading.check_in(session, principal, check_in_id, clock)
    set_etag(response, view.version)
    return view


@router.get(
    "/feedback",
    operation_id="list_feedback",
    summary="Feedback and praise 「反馈 / 表扬」 received, given, or about an employee",
    response_model=Page[FeedbackOut],
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_feedback(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    received: Annotated[bool, Query(description="What the caller received.")] = False,
    given: Annotated[bool, Query(description="What the caller gave.")] = False,
    employee_id: Annotated[
        uuid.UUID | None, Query(description="What the caller may see of this employee's.")
    ] = None,
) -> Page[FeedbackOut]:
    """At most one of `received=true` (the default), `given=true` or `employee_id` (422
    otherwise). Of an
    employee (404 outside the caller's reach): the `public` ones, the `manager` ones for
    their direct manager, and those the caller gave. Newest first; integration keys 403."""
    return await feedback.listing(
        session, principal, page, received=received, given=given, employee_id=employee_id
    )


@router.post(
    "/feedback",
    operation_id="give_feedback",
    summary="Give a colleague feedback or praise",
    response_model=FeedbackOut,
    status_code=201,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def give_feedback(
    body: FeedbackIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> FeedbackOut:
    """For employees (403 for accounts without one and keys): to a colleague of the
    organization (404 otherwise, 422 for oneself), optionally about a competency or an
    indicator, seen as `visibility` says. The receiver is notified in the inbox. Audited."""
    return await feedback.give(session, principal, body, clock)

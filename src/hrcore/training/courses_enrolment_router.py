"""Enrolments, `/me/enrolments` and the calendar feed over HTTP; included by training's
router."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.training import courses_calendar, courses_enrolments
from hrcore.training.courses_schemas import (
    CalendarFeedOut,
    CourseEnrolmentOut,
    CourseEnrolmentsOut,
    MyEnrolmentOut,
    OnlineEnrolmentIn,
    SessionEnrolmentIn,
)

router = APIRouter(route_class=HrcoreRoute, tags=["training"])


@router.get(
    "/course-sessions/{session_id}/enrolments",
    operation_id="list_course_session_enrolments",
    summary="A session's enrolments in my reach, in the order they came",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_session_enrolments(
    session_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[CourseEnrolmentOut]:
    """HR admins see every enrolment, anyone else those of the employees in their reach
    (themself included); the waitlisted in the order they will be seated. Cursor-paginated."""
    return await courses_enrolments.session_enrolments(session, principal, session_id, page)


@router.post(
    "/course-sessions/{session_id}/enrolments",
    operation_id="enrol_in_course_session",
    summary="Enrol myself, my reports or (HR) employees or a department in a session",
    status_code=201,
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "Enrolled already, or the session is not scheduled"),
    },
)
async def enrol_in_session(
    session_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    body: SessionEnrolmentIn | None = None,
) -> CourseEnrolmentsOut:
    """Without a body the caller enrols themself. `employee_ids`: a manager or department
    head their reports (404 for anyone outside their reach), HR admins anyone (422 for an
    unknown id); `department_id` (HR): the subtree's active employees, those enrolled
    already left out; `source` `needs` when HR enrols from the needs list. Seats go in
    order while they last, then `waitlisted` (still 201). An employee enrolled already is
    409; a completed or cancelled session 409. Each seat gets a reminder task. Audited."""
    ids = await courses_enrolments.enrol_in_session(
        session, principal, session_id, body or SessionEnrolmentIn()
    )
    items = await courses_enrolments.enrolment_views(session, principal.org_id, ids)
    return CourseEnrolmentsOut(items=items)


@router.delete(
    "/course-sessions/{session_id}/enrolments/{enrolment_id}",
    operation_id="cancel_course_session_enrolment",
    summary="Cancel an enrolment; the first waiting takes the seat",
    status_code=204,
    responses={**NOT_FOUND, **CONFLICT},
)
async def cancel_enrolment(
    session_id: uuid.UUID,
    enrolment_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> Response:
    """By the employee, a manager or department head of theirs, or HR (404 outside reach).
    Its reminder is withdrawn and a freed seat goes to the first waitlisted. Cancelling a
    cancelled enrolment changes nothing; an attended one, or one of a session no longer
    scheduled, is 409. Audited."""
    await courses_enrolments.cancel_enrolment(session, principal, session_id, enrolment_id, clock)
    return Response(status_code=204)


@router.get(
    "/me/enrolments",
    operation_id="list_my_enrolments",
    summary="My enrolments, newest first",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_my_enrolments(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[MyEnrolmentOut]:
    """The caller's enrolments with their course and session linked, times and place,
    check-in (and lateness), progress and completion; cursor-paginated. 404 for an account
    without an employee record; integration keys: 403."""
    return await courses_enrolments.my_enrolments(session, principal, page)


@router.post(
    "/me/enrolments",
    operation_id="enrol_in_online_course",
    summary="Enrol myself in an online course",
    status_code=201,
    responses={**FORBIDDEN, **problem(409, "Enrolled already")},
)
async def enrol_online(
    body: OnlineEnrolmentIn, principal: CurrentPrincipal, session: DbSession
) -> CourseEnrolmentOut:
    """An online course has no sessions: the caller enrols in the course itself. An unknown
    or inactive course is 422, an offline one 422 (enrol in a session); twice is 409."""
    enrolment_id = await courses_enrolments.enrol_online(session, principal, body)
    [view] = await courses_enrolments.enrolment_views(session, principal.org_id, [enrolment_id])
    return view


@router.get(
    "/me/calendar-feed",
    operation_id="get_my_calendar_feed",
    summary="The secret address of my training calendar",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_my_calendar_feed(
    principal: CurrentPrincipal, runtime: AppRuntime, request: Request
) -> CalendarFeedOut:
    """An iCalendar address for a calendar app to subscribe to, with the sessions the
    caller holds a seat in. It needs no sign-in, so keep it to yourself. 404 for an account
    without an employee record; integration keys: 403."""
    principal.require_key_scope(None)
    token = courses_calendar.feed_token(runtime.settings, principal)
    return CalendarFeedOut(url=str(request.url_for("get_calendar_feed", token=token)))


@router.get(
    "/calendar-feeds/{token}.ics",
    operation_id="get_calendar_feed",
    summary="A training calendar (iCalendar), by its secret address",
    response_class=Response,
    responses={
        200: {
            "content": {"text/calendar": {"schema": {"type": "string"}}},
            "description": "RFC 5545: each session with its course, UTC times and place.",
        },
        **NOT_FOUND,
    },
)
async def get_calendar_feed(token: str, session: DbSession, runtime: AppRuntime) -> Response:
    """For calendar apps, without a bearer token: the address from `/me/calendar-feed` is
    the credential. A forged or altered address, or one of an account no longer active, is
    404. Cancelled sessions stay in the feed, marked cancelled."""
    body = await courses_calendar.feed(session, runtime.settings, token)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )

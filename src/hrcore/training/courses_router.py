"""Courses and their sessions over HTTP, then the enrolment routes; included by training's
router."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.training import courses, courses_enrolment_router, courses_sessions
from hrcore.training.courses_schemas import (
    CourseIn,
    CourseOut,
    CoursePatch,
    CourseSessionIn,
    CourseSessionOut,
    CourseSessionPatch,
)
from hrcore.training.models import CourseMode, SessionStatus

router = APIRouter(route_class=HrcoreRoute, tags=["training"])


@router.get(
    "/courses",
    operation_id="list_courses",
    summary="Courses, by name",
    responses=FORBIDDEN,
)
async def list_courses(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    mode: Annotated[CourseMode | None, Query(description="Only online or offline ones.")] = None,
    competency_id: Annotated[
        uuid.UUID | None, Query(description="Only those developing this competency.")
    ] = None,
    active: Annotated[
        bool | None, Query(description="HR admins: only active (true) or inactive ones.")
    ] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Part of the name.")
    ] = None,
) -> Page[CourseOut]:
    """Courses 「课程」 with their competencies linked, cursor-paginated by name: HR admins see
    all, everyone else the active ones. Integration keys: 403."""
    return await courses.list_courses(
        session, principal, page, mode=mode, competency_id=competency_id, active=active, q=q
    )


@router.post(
    "/courses",
    operation_id="create_course",
    summary="Create a course (HR admin)",
    status_code=201,
    responses={**FORBIDDEN, **problem(409, "The name is taken")},
)
async def create_course(
    body: CourseIn, principal: CurrentPrincipal, session: DbSession, response: Response
) -> CourseOut:
    """For HR admins. An online course with its modules (keys unique) and completion
    threshold, or an offline one (its sessions come next; modules are 422 there); the
    competencies it develops (422 per unknown one), hours, fee, optional `points` and exam
    pass mark. The name is unique (409). Audited."""
    course = await courses.create_course(session, principal, body)
    set_etag(response, course.version)
    return await courses.read_course(session, principal, course.id)


@router.get(
    "/courses/{course_id}",
    operation_id="get_course",
    summary="One course",
    responses=NOT_FOUND,
)
async def get_course(
    course_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> CourseOut:
    """One course (an inactive one for HR admins only; 404 otherwise); its `ETag` serves
    `If-Match` on the update."""
    course = await courses.read_course(session, principal, course_id)
    set_etag(response, course.version)
    return course


@router.patch(
    "/courses/{course_id}",
    operation_id="update_course",
    summary="Change a course (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def update_course(
    course_id: uuid.UUID,
    body: CoursePatch,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> CourseOut:
    """For HR admins. Changes only the fields sent (not the mode), guarded by `If-Match` or
    a body `version`; a taken name is 409. Points change only what is awarded after.
    Audited."""
    course = await courses.update_course(session, principal, course_id, body, if_match=if_match)
    set_etag(response, course.version)
    return await courses.read_course(session, principal, course.id)


@router.get(
    "/course-sessions",
    operation_id="list_course_sessions",
    summary="Sessions of offline courses, by start",
    responses=FORBIDDEN,
)
async def list_course_sessions(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    course_id: Annotated[uuid.UUID | None, Query(description="Only this course's.")] = None,
    status: Annotated[SessionStatus | None, Query(description="Only in this status.")] = None,
) -> Page[CourseSessionOut]:
    """Sessions 「课次」 with their course and instructor linked and the seats taken, waiting
    and left, cursor-paginated by start: HR admins see all, everyone else those of active
    courses. Integration keys: 403."""
    return await courses_sessions.list_sessions(
        session, principal, page, course_id=course_id, status=status
    )


@router.post(
    "/course-sessions",
    operation_id="create_course_session",
    summary="Schedule a session of an offline course (HR admin)",
    status_code=201,
    responses=FORBIDDEN,
)
async def create_course_session(
    body: CourseSessionIn, principal: CurrentPrincipal, session: DbSession, response: Response
) -> CourseSessionOut:
    """For HR admins. When and where, the capacity, the instructor (an employee; 422 when
    unknown), the allowance paid per class and the minutes of grace before an arrival is
    late. An unknown or online course is 422, and so is an end not after the start.
    Audited."""
    row = await courses_sessions.create_session(session, principal, body)
    set_etag(response, row.version)
    return await courses_sessions.read_session(session, principal, row.id)


@router.get(
    "/course-sessions/{session_id}",
    operation_id="get_course_session",
    summary="One session",
    responses=NOT_FOUND,
)
async def get_course_session(
    session_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> CourseSessionOut:
    """One session with its seats (404 for one of an inactive course, but to HR admins); its
    `ETag` serves `If-Match` on the update."""
    found = await courses_sessions.read_session(session, principal, session_id)
    set_etag(response, found.version)
    return found


@router.patch(
    "/course-sessions/{session_id}",
    operation_id="update_course_session",
    summary="Move, resize, complete or cancel a session (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def update_course_session(
    session_id: uuid.UUID,
    body: CourseSessionPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
    if_match: IfMatch = None,
) -> CourseSessionOut:
    """For HR admins, while the session is scheduled (409 after). Changes the fields sent,
    guarded by `If-Match` or a body `version`: a new start moves the reminders, a larger
    capacity seats the waitlist in order (one below the seats taken is 422). `status`
    `completed` awards the instructor the teaching points once; `cancelled` cancels every
    enrolment with its reminder and tells the people enrolled. Audited."""
    row = await courses_sessions.update_session(
        session, principal, session_id, body, clock, if_match=if_match
    )
    set_etag(response, row.version)
    return await courses_sessions.read_session(session, principal, row.id)


router.include_router(courses_enrolment_router.router)

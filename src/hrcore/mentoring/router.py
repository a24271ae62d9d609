"""Mentoring: programs with their eligibility rules, mentor applications and mentors."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.mentoring import (
    applications,
    effectiveness_router,
    mentor_request_router,
    mentors,
    mentorship_router,
    programs,
    session_router,
    suggestion_router,
    survey_router,
)
from hrcore.mentoring.access import readable_program
from hrcore.mentoring.models import ApplicationStatus
from hrcore.mentoring.schemas import (
    MentorApplicationIn,
    MentorApplicationOut,
    MentorApproveIn,
    MentoringProgramIn,
    MentoringProgramOut,
    MentoringProgramPatch,
    MentorOut,
    MentorRejectIn,
)

router = APIRouter(route_class=HrcoreRoute, tags=["mentoring"])


@router.get(
    "/mentoring-programs",
    operation_id="list_mentoring_programs",
    summary="Mentoring programs I may read",
    responses=FORBIDDEN,
)
async def list_programs(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    active: Annotated[
        bool | None, Query(description="Only open (true) or closed programs.")
    ] = None,
) -> Page[MentoringProgramOut]:
    """Mentoring programs 「导师计划」, cursor-paginated: HR admins see all; anyone else those for
    the whole organization or a department above their own, and a department head those of their
    subtree. Integration keys: 403."""
    rows, cursor = await programs.list_programs(session, principal, page, active=active)
    return Page(items=await programs.program_views(session, rows), next_cursor=cursor)


@router.post(
    "/mentoring-programs",
    operation_id="create_mentoring_program",
    summary="Create a mentoring program with its eligibility rules (HR admin)",
    status_code=201,
    responses={**FORBIDDEN, **problem(409, "The name is taken")},
)
async def create_program(
    body: MentoringProgramIn, principal: CurrentPrincipal, session: DbSession, response: Response
) -> MentoringProgramOut:
    """For HR admins. A program for the organization or a department subtree, with a capacity per
    mentor (default 3), eligibility rules as typed data (`top_performance`, `tenure`,
    `certificate`, `review_rating`) and optional `suggestion_weights`; the name must be unique
    (409), an unknown department is 422. Audited."""
    program = await programs.create_program(session, principal, body)
    set_etag(response, program.version)
    [view] = await programs.program_views(session, [program])
    return view


@router.get(
    "/mentoring-programs/{program_id}",
    operation_id="get_mentoring_program",
    summary="One mentoring program",
    responses=NOT_FOUND,
)
async def get_program(
    program_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> MentoringProgramOut:
    """One program the caller may read (404 otherwise); its `ETag` serves `If-Match` on the
    update."""
    program = await readable_program(session, principal, program_id)
    set_etag(response, program.version)
    [view] = await programs.program_views(session, [program])
    return view


@router.patch(
    "/mentoring-programs/{program_id}",
    operation_id="update_mentoring_program",
    summary="Change a mentoring program or its rules (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def update_program(
    program_id: uuid.UUID,
    body: MentoringProgramPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> MentoringProgramOut:
    """For HR admins. Changes the name, description, capacity, rules or open state (only the fields
    sent); guarded by `If-Match` or a body `version`. Applications keep the checks made when they
    were filed. Audited."""
    program = await programs.update_program(session, principal, program_id, body, if_match=if_match)
    set_etag(response, program.version)
    [view] = await programs.program_views(session, [program])
    return view


@router.get(
    "/mentor-applications",
    operation_id="list_mentor_applications",
    summary="Mentor applications I may see (HR: all; heads: their reach; others: their own)",
    responses=FORBIDDEN,
)
async def list_applications(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    program_id: Annotated[uuid.UUID | None, Query(description="Only this program's.")] = None,
    status: Annotated[ApplicationStatus | None, Query(description="Only in this status.")] = None,
) -> Page[MentorApplicationOut]:
    """Applications with each rule's value and pass/fail as found when filed, cursor-paginated."""
    rows, cursor = await applications.list_applications(
        session, principal, page, program_id=program_id, status=status
    )
    return Page(items=await applications.application_views(session, rows), next_cursor=cursor)


@router.post(
    "/mentor-applications",
    operation_id="create_mentor_application",
    summary="Apply to mentor in a program, or nominate an employee (HR)",
    status_code=201,
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "Pending already, a mentor already, or the program is closed"),
    },
)
async def create_application(
    body: MentorApplicationIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> MentorApplicationOut:
    """An employee applies for themself (no `employee_id`); HR admins nominate anyone. The
    program's rules are evaluated in SQL now and each rule's value and pass/fail kept. An employee
    outside the program's departments or not active is 422; a second pending application for the
    program, or one from a mentor of it, 409. Audited."""
    application = await applications.apply(session, principal, body, clock)
    [view] = await applications.application_views(session, [application])
    return view


@router.post(
    "/mentor-applications/{application_id}/approve",
    operation_id="approve_mentor_application",
    summary="Approve a mentor application (HR admin)",
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **CONFLICT,
        **problem(422, "Failed rules, no override reason"),
    },
)
async def approve_application(
    application_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    body: MentorApproveIn | None = None,
) -> MentorApplicationOut:
    """For HR admins. The applicant becomes a mentor of the program. One who failed a rule needs an
    `override_reason` (422 naming the failing rules otherwise), kept and audited. Published as
    `mentor.approved`; a decided application is 409."""
    application = await applications.approve(
        session, principal, application_id, body or MentorApproveIn(), clock
    )
    [view] = await applications.application_views(session, [application])
    return view


@router.post(
    "/mentor-applications/{application_id}/reject",
    operation_id="reject_mentor_application",
    summary="Reject a mentor application with a reason (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def reject_application(
    application_id: uuid.UUID,
    body: MentorRejectIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> MentorApplicationOut:
    """For HR admins, with a `reason` (422 without). A decided application is 409. Audited."""
    application = await applications.reject(session, principal, application_id, body, clock)
    [view] = await applications.application_views(session, [application])
    return view


@router.get(
    "/mentors",
    operation_id="list_mentors",
    summary="Mentors I may see, with their capacity",
    responses=FORBIDDEN,
)
async def list_mentors(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    program_id: Annotated[uuid.UUID | None, Query(description="Only this program's.")] = None,
    flagged: Annotated[
        bool | None,
        Query(description="Only mentors flagged as no longer qualifying (true) or not (false)."),
    ] = None,
) -> Page[MentorOut]:
    """Mentors (HR: all; department heads: their reach; employees: themself), each with the
    program's capacity per mentor and, when the nightly re-evaluation found them failing a rule,
    `flagged_at` and the checks; cursor-paginated."""
    rows, cursor = await mentors.list_mentors(
        session, principal, page, program_id=program_id, flagged=flagged
    )
    return Page(items=await mentors.mentor_views(session, rows), next_cursor=cursor)


@router.get(
    "/mentors/{mentor_id}",
    operation_id="get_mentor",
    summary="One mentor",
    responses=NOT_FOUND,
)
async def get_mentor(
    mentor_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> MentorOut:
    """One mentor in the caller's reach (404 otherwise)."""
    mentor = await mentors.get_mentor(session, principal, mentor_id)
    [view] = await mentors.mentor_views(session, [mentor])
    return view


router.include_router(mentorship_router.router)
router.include_router(session_router.router)
router.include_router(survey_router.router)
router.include_router(effectiveness_router.router)
router.include_router(suggestion_router.router)
router.include_router(mentor_request_router.router)

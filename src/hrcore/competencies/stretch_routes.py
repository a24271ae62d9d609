"""Stretch assignments 「部门内任务」 over HTTP: the assignments, matching both ways,
assigning and outcomes. Included by the domain's router after its other routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.competencies import (
    stretch,
    stretch_assigning,
    stretch_matching,
    stretch_outcomes,
)
from hrcore.competencies.stretch_schemas import (
    AssigneeOut,
    AssignIn,
    AssignmentMatchesOut,
    CandidateMatchesOut,
    OutcomeIn,
    OutcomeOut,
    Status,
    StretchAssignmentDetailOut,
    StretchAssignmentIn,
    StretchAssignmentOut,
    StretchAssignmentPatch,
)
from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE
from hrcore.identity.dependencies import CurrentPrincipal

routes = APIRouter(route_class=HrcoreRoute, tags=["competencies"])

MatchLimit = Annotated[int, Query(ge=1, le=200, description="How many of the best to answer.")]


@routes.get(
    "/stretch-assignments",
    operation_id="list_stretch_assignments",
    summary="Stretch assignments 「部门内任务」 of the departments the caller reads",
    response_model=Page[StretchAssignmentOut],
)
async def list_stretch_assignments(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    department_id: Annotated[uuid.UUID | None, Query(description="Only this department's.")] = None,
    status: Annotated[Status | None, Query(description="Only those in this status.")] = None,
) -> Page[StretchAssignmentOut]:
    """HR admins read every department's; a department head their subtree's; everyone their
    own department's and those above it. Newest first, cursor-paginated."""
    rows, cursor = await stretch.list_assignments(
        session, principal, page, department_id=department_id, status=status
    )
    return Page[StretchAssignmentOut].model_validate({"items": rows, "next_cursor": cursor})


@routes.post(
    "/stretch-assignments",
    operation_id="create_stretch_assignment",
    summary="Add a stretch assignment: an in-department project or role that develops competencies",
    status_code=201,
    response_model=StretchAssignmentOut,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def create_stretch_assignment(
    body: StretchAssignmentIn, principal: CurrentPrincipal, session: DbSession, response: Response
) -> StretchAssignmentOut:
    """HR admins in any department, department heads in their subtree, managers in their own
    department (404 for a department outside that; 422 for one the organization does not
    have). The competencies it develops, each with the level needed to start (404 for a
    competency of another organization, 422 naming a repeated one or a level it does not
    have); `ends_on` not before `starts_on`. Opens with `status` `open`. Audited."""
    assignment = await stretch.create(session, principal, body)
    set_etag(response, assignment.version)
    return assignment


@routes.get(
    "/stretch-assignments/{assignment_id}",
    operation_id="get_stretch_assignment",
    summary="One stretch assignment with the people on it",
    response_model=StretchAssignmentDetailOut,
    responses=NOT_FOUND,
)
async def get_stretch_assignment(
    assignment_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> StretchAssignmentDetailOut:
    """For whoever reads its department (404 otherwise): the assignment, its assignees with
    their supervisors and tasks, and each outcome for who may see the assignee's records
    and their supervisor. `ETag` serves `If-Match` on the update."""
    assignment = await stretch_outcomes.read(session, principal, assignment_id)
    set_etag(response, assignment.version)
    return assignment


@routes.patch(
    "/stretch-assignments/{assignment_id}",
    operation_id="update_stretch_assignment",
    summary="Change a stretch assignment, or close or reopen it",
    response_model=StretchAssignmentOut,
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def update_stretch_assignment(
    assignment_id: uuid.UUID,
    body: StretchAssignmentPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    clock: AppClock,
    if_match: IfMatch = None,
) -> StretchAssignmentOut:
    """Its editors (as for creating; 403 for someone who only reads it, 404 outside their
    reach) change the fields given; the department stays. `status` `closed` ends it,
    `open` reopens it. Closing a post before its window ends ends its holders' temporary
    posts today (an HR admin only, as assigning a post: 403 otherwise; 409 before the post
    has begun). Fewer `slots` than people on it is 409, as is changing a post's terms (post,
    title, allowance, window) while people hold it; a stale `If-Match` 412, a stale body
    `version` 409. Audited with what changed."""
    assignment = await stretch.update(
        session, principal, assignment_id, body, if_match=if_match, clock=clock
    )
    set_etag(response, assignment.version)
    return assignment


@routes.get(
    "/stretch-assignments/{assignment_id}/matches",
    operation_id="match_stretch_assignment",
    summary="People ranked for a stretch assignment, each rank explained",
    response_model=CandidateMatchesOut,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def match_stretch_assignment(
    assignment_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
    limit: MatchLimit = 50,
) -> CandidateMatchesOut:
    """For its editors (403 for someone who only reads it, 404 outside their reach): the
    active people of its department and those under it whom the caller may see, not yet on
    it, best first. Each score (0–100) lists its factors — gap fit, readiness, current load,
    talent pool membership — with value, weight and points, and per developed competency
    the start level, what the person's position model requires, the current score and the
    gap."""
    return await stretch_matching.candidates(
        session, principal, assignment_id, runtime.settings, limit
    )


@routes.get(
    "/me/stretch-assignment-matches",
    operation_id="get_my_stretch_assignment_matches",
    summary="Open stretch assignments ranked for my competency gaps, each rank explained",
    response_model=AssignmentMatchesOut,
    responses=NOT_FOUND,
)
async def get_my_stretch_assignment_matches(
    principal: CurrentPrincipal, session: DbSession, runtime: AppRuntime, limit: MatchLimit = 50
) -> AssignmentMatchesOut:
    """The open assignments of the caller's department and those above it that they are not
    on, best first for their gaps, scored and explained as the matches for an assignment
    are; with their current load and pools. 404 for an account not linked to an employee."""
    return await stretch_matching.my_matches(session, principal, runtime.settings, limit)


@routes.get(
    "/employees/{employee_id}/stretch-assignment-matches",
    operation_id="get_stretch_assignment_matches",
    summary="Open stretch assignments ranked for an employee's competency gaps",
    response_model=AssignmentMatchesOut,
    responses=NOT_FOUND,
)
async def get_stretch_assignment_matches(
    employee_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
    limit: MatchLimit = 50,
) -> AssignmentMatchesOut:
    """What `/me/stretch-assignment-matches` answers the employee, for whoever may see them
    (HR, their managers, their department head, themself; 404 otherwise, another
    organization's employee included): the open assignments of their department and those
    above it that they are not on, best first, each rank explained."""
    return await stretch_matching.matches_of(
        session, principal, employee_id, runtime.settings, limit
    )


@routes.post(
    "/stretch-assignments/{assignment_id}/assign",
    operation_id="assign_stretch_assignment",
    summary="Put someone on a stretch assignment: kick-off, mid-point and outcome tasks",
    status_code=201,
    response_model=AssigneeOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def assign_stretch_assignment(
    assignment_id: uuid.UUID,
    body: AssignIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    runtime: AppRuntime,
) -> AssigneeOut:
    """Its editors put an active employee of its department whom they manage on it (404
    outside their reach, 403 on themself, 422 from another department), with a supervisor
    (the employee's manager unless named). 409 when the person is on it already, when it is
    closed or every slot is taken, and when the person is at capacity (already on the most
    open assignments one person takes at once): the answer says which. Creates the
    assignee's kick-off task and the supervisor's mid-point check and outcome tasks, with the
    organization's working days, reminders and escalation. An assignment that is a post is
    assigned by HR admins only (403 for others; 409 once its window has ended) and records
    the person's temporary post with its allowance (`employment_event_id`). Audited."""
    return await stretch_assigning.assign(
        session, principal, assignment_id, body, clock, runtime.settings
    )


@routes.post(
    "/stretch-assignments/{assignment_id}/outcomes",
    operation_id="record_stretch_assignment_outcome",
    summary="Record what an assignee delivered; it becomes competency evidence",
    status_code=201,
    response_model=OutcomeOut,
    responses={
        200: {"model": OutcomeOut, "description": "A correction replaced the outcome."},
        **FORBIDDEN,
        **NOT_FOUND,
    },
)
async def record_stretch_assignment_outcome(
    assignment_id: uuid.UUID,
    body: OutcomeIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    runtime: AppRuntime,
    response: Response,
) -> OutcomeOut:
    """The assignee's supervisor, or who manages the assignee (HR, their managers, their
    department head; 403 on oneself, 404 outside reach). Figures, the supervisor's 0–10
    rating of every competency the assignment develops (422 naming a missing, repeated or
    foreign one) and optional anonymous peer ratings, kept only as a mean and only when at
    least the reviews' anonymity threshold of peers answered. Each competency's combined
    value becomes evidence of kind `stretch_assignment`; the profile is recomputed in the
    background. Recording again replaces the outcome and its evidence (audited as a
    correction, answered 200 instead of 201). Completes the outcome task; webhook event
    `stretch_assignment.outcome_recorded`."""
    outcome = await stretch_outcomes.record(
        session, principal, assignment_id, body, clock, runtime.settings
    )
    if outcome.recorded_times > 1:
        response.status_code = 200
    return outcome

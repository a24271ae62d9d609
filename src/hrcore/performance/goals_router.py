"""Goals and key results 「目标与关键结果」 over HTTP: `/goals` and the alignment tree."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.performance import goals, goals_lifecycle, goals_listing, goals_reading
from hrcore.performance.goals_schemas import (
    GOAL_PERIOD_PATTERN,
    KeyResultCheckInIn,
    KeyResultHistoryOut,
    KeyResultIn,
    KeyResultPatch,
    Level,
    PerformanceGoalIn,
    PerformanceGoalOut,
    PerformanceGoalPatch,
    PerformanceGoalTreeOut,
    Status,
)

router = APIRouter(route_class=HrcoreRoute, tags=["goals"])


@router.post(
    "/goals",
    operation_id="create_goal",
    summary="Set a goal of the organization, a department or an employee for a period",
    status_code=201,
    response_model=PerformanceGoalOut,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def create_goal(
    body: PerformanceGoalIn, principal: CurrentPrincipal, session: DbSession, response: Response
) -> PerformanceGoalOut:
    """Without an owner the organization's (HR admins); with `department_id` the department's
    (its head or HR; 422 for an unknown department); with `employee_id` the employee's
    (themself, their managers, department head, HR; 404 outside reach). `parent_id` aligns it
    in the cascade: 404 for a goal not of the organization; 422 naming `parent_id` for a
    person's goal, a department not the owner's nor above it, or another period (a month
    aligns to its quarter). Integration keys 403. Audited."""
    goal_id = await goals.create(session, principal, body)
    shown = await goals_reading.goal(session, principal, goal_id)
    set_etag(response, shown.version)
    return shown


@router.get(
    "/goals",
    operation_id="list_goals",
    summary="The goals the caller reads, newest first, filtered",
    response_model=Page[PerformanceGoalOut],
    responses=FORBIDDEN,
)
async def list_goals(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    employee_id: uuid.UUID | None = None,
    department_id: Annotated[
        uuid.UUID | None, Query(description="The department's own goals.")
    ] = None,
    level: Level | None = None,
    period: Annotated[
        str | None,
        Query(
            pattern=GOAL_PERIOD_PATTERN, description="Exactly this period: `2026-12`, `2026-Q4`."
        ),
    ] = None,
    goal_status: Annotated[Status | None, Query(alias="status")] = None,
) -> Page[PerformanceGoalOut]:
    """The goals the tree would show the caller, of any period (HR every goal; anyone else
    those of the departments they head, their own, their reports' and their department
    subtree's people's, and the goals above those), newest first, cursor-paginated, each with
    its key results and progress. Filters: the owner (`employee_id`, `department_id`),
    `level`, `period`, `status`. Integration keys 403."""
    filters = goals_listing.GoalFilters(employee_id, department_id, level, period, goal_status)
    return await goals_listing.goals(session, principal, page, filters)


@router.get(
    "/goals/tree",
    operation_id="get_goal_tree",
    summary="The alignment tree of a period: organization → department → person goals",
    response_model=PerformanceGoalTreeOut,
    responses=FORBIDDEN,
)
async def get_goal_tree(
    principal: CurrentPrincipal,
    session: DbSession,
    period: Annotated[
        str,
        Query(
            pattern=GOAL_PERIOD_PATTERN,
            description="`2026-Q4` (with the goals of its months) or `2026-12`.",
        ),
    ],
) -> PerformanceGoalTreeOut:
    """The period's goals the caller reads — HR every goal; anyone else the goals of the
    departments they head, their own, their reports' and their department subtree's people's
    — and every goal above those, each with its key results and progress (explained), the
    aligned goals as `children`. A fixed number of statements whatever its size."""
    return await goals_reading.tree(session, principal, period)


@router.get(
    "/goals/{goal_id}",
    operation_id="get_goal",
    summary="A goal with its key results' progress, explained",
    response_model=PerformanceGoalOut,
    responses=NOT_FOUND,
)
async def get_goal(
    goal_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> PerformanceGoalOut:
    """For whoever reads it (see the tree; 404 otherwise, another organization's included).
    `ETag` is the version, for `If-Match`."""
    shown = await goals_reading.goal(session, principal, goal_id)
    if shown.employee_id is not None:
        note_read(principal, shown.employee_id, DataClass.EVALUATION, "performance_goal")
    set_etag(response, shown.version)
    return shown


@router.patch(
    "/goals/{goal_id}",
    operation_id="update_goal",
    summary="Edit a goal: title, description, status, alignment",
    response_model=PerformanceGoalOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT, **STALE},
)
async def update_goal(
    goal_id: uuid.UUID,
    body: PerformanceGoalPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PerformanceGoalOut:
    """Whoever may set the owner's goals (404 for a goal the caller does not read, 403 for
    one they read but may not change). `parent_id` as on creation, and 422 for a parent
    aligned under this goal (a cycle); `null` detaches it. `status`: draft → active → done
    or cancelled (a draft may be cancelled); reopening (done or cancelled → active) needs a
    `reason` (422 without); any other change is 409. A stale `If-Match` is 412, a stale
    body `version` 409. Audited, with the reason."""
    await goals.update(session, principal, goal_id, body, if_match=if_match)
    shown = await goals_reading.goal(session, principal, goal_id)
    set_etag(response, shown.version)
    return shown


@router.delete(
    "/goals/{goal_id}",
    operation_id="delete_goal",
    summary="Delete a draft goal nobody checked in on",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT, **STALE},
)
async def delete_goal(
    goal_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    if_match: IfMatch = None,
) -> None:
    """Whoever may change the goal (404 unread, 403 read but not writable). Only a draft
    without check-ins goes, with its key results; a goal with a history is 409 (cancel it
    instead), and so is one with goals aligned to it. A stale `If-Match` is 412. Audited
    (`goal.deleted`, with what it was)."""
    await goals_lifecycle.delete(session, principal, goal_id, if_match=if_match)


@router.get(
    "/goals/{goal_id}/key-results",
    operation_id="list_goal_key_results",
    summary="A goal's key results with their progress and check-in history",
    response_model=list[KeyResultHistoryOut],
    responses=NOT_FOUND,
)
async def list_goal_key_results(
    goal_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> list[KeyResultHistoryOut]:
    """For whoever reads the goal (404 otherwise): each key result's value, progress and
    the figures behind them, and every check-in, newest first."""
    return await goals_reading.key_results(session, principal, goal_id)


@router.post(
    "/goals/{goal_id}/key-results",
    operation_id="add_goal_key_result",
    summary="Add a key result to a goal, measured by an indicator or by hand",
    status_code=201,
    response_model=PerformanceGoalOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def add_goal_key_result(
    goal_id: uuid.UUID, body: KeyResultIn, principal: CurrentPrincipal, session: DbSession
) -> PerformanceGoalOut:
    """Whoever may change the goal. `indicator`: a key of a performance scheme of the
    organization (422 otherwise; not on an organization goal), read from the employee's
    live score or the department's observations; without one, check-ins measure it. A
    weight above 0 and at most 100; a target other than the start (422). At most 20 per
    goal; none while the goal is done or cancelled (409). Audited."""
    await goals.add_key_result(session, principal, goal_id, body)
    return await goals_reading.goal(session, principal, goal_id)


@router.patch(
    "/goals/{goal_id}/key-results/{key_result_id}",
    operation_id="update_goal_key_result",
    summary="Edit a key result: title, unit, start, target, weight",
    response_model=PerformanceGoalOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def update_goal_key_result(
    goal_id: uuid.UUID,
    key_result_id: uuid.UUID,
    body: KeyResultPatch,
    principal: CurrentPrincipal,
    session: DbSession,
) -> PerformanceGoalOut:
    """Whoever may change the goal; what it is measured by stays. The same ranges as on
    creation (422); none while the goal is done or cancelled (409). Audited."""
    await goals.update_key_result(session, principal, goal_id, key_result_id, body)
    return await goals_reading.goal(session, principal, goal_id)


@router.post(
    "/goals/{goal_id}/key-results/{key_result_id}/check-ins",
    operation_id="check_in_goal_key_result",
    summary="Report a hand-measured key result's value now, with a note",
    status_code=201,
    response_model=PerformanceGoalOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def check_in_goal_key_result(
    goal_id: uuid.UUID,
    key_result_id: uuid.UUID,
    body: KeyResultCheckInIn,
    principal: CurrentPrincipal,
    session: DbSession,
) -> PerformanceGoalOut:
    """Whoever may change the goal; kept as history. A key result measured by an indicator
    is 422 (its data decide); a goal done or cancelled is 409 (reopen it first). Beyond
    the target the progress is 100, behind the start 0.
    Audited and published as `goal.progress_updated` with the goal's progress after it."""
    return await goals.check_in(session, principal, goal_id, key_result_id, body)

"""Individual development plans 「个人发展计划」 over HTTP."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.competencies import plan_approval, plan_comments, plans
from hrcore.competencies.plan_schemas import (
    PERIOD_PATTERN,
    PlanCommentIn,
    PlanCommentOut,
    PlanCreate,
    PlanOut,
    PlanPatch,
    PlanSummary,
)
from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["development plans"])


@router.get(
    "/development-plans",
    operation_id="list_development_plans",
    summary="Development plans 「个人发展计划」 of the employees the caller may see",
    response_model=Page[PlanSummary],
)
async def list_development_plans(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    employee_id: Annotated[uuid.UUID | None, Query(description="One employee's plans.")] = None,
    period: Annotated[
        str | None, Query(pattern=PERIOD_PATTERN, description="One period's plans.")
    ] = None,
) -> Page[PlanSummary]:
    """The plans of the employees in the caller's reach (themself, their reports, their
    department subtree; HR every plan), newest first, cursor-paginated. A submitted plan whose
    approval was returned reads `returned`."""
    return await plans.listed(session, principal, page, employee_id, period)


@router.post(
    "/development-plans",
    operation_id="create_development_plan",
    summary="Start an employee's development plan for a period, as a draft",
    status_code=201,
    response_model=PlanOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def create_development_plan(
    body: PlanCreate, principal: CurrentPrincipal, session: DbSession, response: Response
) -> PlanOut:
    """The employee (their own, `employee_id` left out), their managers, department head or
    HR: goals (a competency of the library and a target level within its levels) and actions
    (a stretch assignment, a program run, a course, mentoring, other), optionally goals
    drawn from the employee's gaps against their position model (`goals_from_gaps`). 404 for
    an employee outside reach; 409 while the employee has an open plan for the period; 422
    naming the field for an unknown competency, a level it does not have, a program run not of
    the organization. Version 1 is kept; audited."""
    plan_id = await plans.create(session, principal, body)
    plan = await plans.read(session, principal, plan_id, None)
    set_etag(response, plan.version)
    return plan


@router.get(
    "/development-plans/{plan_id}",
    operation_id="get_development_plan",
    summary="A development plan with its versions, approval history and progress",
    response_model=PlanOut,
    responses=NOT_FOUND,
)
async def get_development_plan(
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    version: Annotated[
        int | None,
        Query(ge=1, le=2**31 - 1, description="Show an earlier version's content."),
    ] = None,
) -> PlanOut:
    """For whoever may see the employee (404 otherwise, another organization's included):
    the plan's content at its newest version or `version`, every version (who edited, when),
    its approval history with every decision and comment, and its progress — per goal the
    profile's score against the target, per action its status (a program's from the
    employee's participation), and an overall percent. `ETag` is the version, for `If-Match`."""
    plan = await plans.read(session, principal, plan_id, version)
    set_etag(response, plan.version)
    return plan


@router.patch(
    "/development-plans/{plan_id}",
    operation_id="update_development_plan",
    summary="Edit a development plan as its next version (employee, managers, HR)",
    response_model=PlanOut,
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def update_development_plan(
    plan_id: uuid.UUID,
    body: PlanPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
    if_match: IfMatch = None,
) -> PlanOut:
    """The employee, their managers, department head or HR (404 for anyone else): title,
    goals and actions of a draft or returned plan, each change the next version; an active
    plan changes only its actions' statuses (409 otherwise) and `status: closed` closes it; a
    submitted, rejected or closed plan is 409. A stale `If-Match` is 412, a stale body
    `version` 409; 422 naming the field as on creation. Audited."""
    plan = await plans.update(session, principal, plan_id, body, clock, if_match=if_match)
    set_etag(response, plan.version)
    return plan


@router.post(
    "/development-plans/{plan_id}/submit",
    operation_id="submit_development_plan",
    summary="Submit a development plan for approval",
    response_model=PlanOut,
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **STALE,
        **problem(422, "An empty plan is not submitted"),
    },
)
async def submit_development_plan(
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
    if_match: IfMatch = None,
) -> PlanOut:
    """The employee, their managers, department head or HR submit a draft — or a returned
    plan again — to the approval chain of kind `competencies.development_plan` (the
    organization's, else the employee's direct manager, with the engine's skip rules and HR
    fallback). Approved, the plan is active; returned, editable again; rejected, ended. 409
    unless draft or returned; 422 for a plan without goals or actions; a stale `If-Match`
    412. Audited."""
    plan = await plan_approval.submit(session, principal, plan_id, clock, if_match=if_match)
    set_etag(response, plan.version)
    return plan


@router.get(
    "/development-plans/{plan_id}/comments",
    operation_id="list_development_plan_comments",
    summary="A development plan's comments, oldest first, with the comment each answers",
    response_model=Page[PlanCommentOut],
    responses=NOT_FOUND,
)
async def list_development_plan_comments(
    plan_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[PlanCommentOut]:
    """For whoever may read the plan (404 otherwise): its comments oldest first,
    cursor-paginated, each with `reply_to` (the comment it answers) and its author named."""
    return await plan_comments.list_comments(session, principal, plan_id, page)


@router.post(
    "/development-plans/{plan_id}/comments",
    operation_id="comment_on_development_plan",
    summary="Comment on a development plan, or reply to one of its comments",
    status_code=201,
    response_model=PlanCommentOut,
    responses={**NOT_FOUND, **problem(422, "The comment answered is not one of this plan's")},
)
async def comment_on_development_plan(
    plan_id: uuid.UUID, body: PlanCommentIn, principal: CurrentPrincipal, session: DbSession
) -> PlanCommentOut:
    """Whoever may read the plan, in any status (404 otherwise); `reply_to` names the plan's
    comment answered (422 for another). Audited."""
    return await plan_comments.add_comment(session, principal, plan_id, body)


@router.get(
    "/me/development-plan",
    operation_id="get_my_development_plan",
    summary="My current development plan 「个人发展计划」",
    response_model=PlanOut,
    responses=NOT_FOUND,
)
async def get_my_development_plan(
    principal: CurrentPrincipal, session: DbSession, response: Response
) -> PlanOut:
    """The caller's open plan of their latest period (active, submitted, returned or draft),
    as `GET /development-plans/{id}` shows it; 404 when they have none (or no employee
    record)."""
    plan = await plans.mine(session, principal)
    set_etag(response, plan.version)
    return plan

"""Rotation plans 「轮岗 / 挂职」 over HTTP."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.competencies import rotation_views, rotation_withdrawal, rotations
from hrcore.competencies.rotation_schemas import (
    LegEndIn,
    LegRatingIn,
    LegWithdrawIn,
    RotationPlanIn,
    RotationPlanOut,
    RotationPlanPatch,
)
from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["competencies"])


async def _one(
    session: DbSession, principal: CurrentPrincipal, plan_id: uuid.UUID, clock: AppClock
) -> RotationPlanOut:
    plan, legs = await rotations.readable_plan(session, principal, plan_id)
    return (await rotation_views.plan_views(session, principal.org_id, [plan], legs, clock))[0]


@router.get(
    "/rotation-plans",
    operation_id="list_rotation_plans",
    summary="Rotation plans in your reach, newest first",
)
async def list_rotation_plans(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    clock: AppClock,
    employee_id: Annotated[uuid.UUID | None, Query(description="One employee's plans.")] = None,
) -> Page[RotationPlanOut]:
    """HR admins see every plan; others the plans of the employees they see (themselves,
    their reports, their department) and those with a leg they host."""
    plans, legs, cursor = await rotations.plans_page(session, principal, page, employee_id)
    items = await rotation_views.plan_views(session, principal.org_id, plans, legs, clock)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/rotation-plans",
    operation_id="create_rotation_plan",
    summary="Plan a rotation: posts in other departments with dates, host and allowance (HR admin)",
    status_code=201,
    responses={**FORBIDDEN, **CONFLICT},
)
async def create_rotation_plan(
    body: RotationPlanIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> RotationPlanOut:
    """A draft: legs in date order without overlap, each in another department than the
    employee's own, hosted by another active employee (422 naming the leg's field). Nothing
    is recorded on the employee until the plan is confirmed. Audited."""
    plan = await rotations.create_plan(session, principal, body)
    set_etag(response, plan.version)
    return await _one(session, principal, plan.id, clock)


@router.get(
    "/rotation-plans/{plan_id}",
    operation_id="get_rotation_plan",
    summary="One rotation plan with its legs, their state and ratings",
    responses=NOT_FOUND,
)
async def get_rotation_plan(
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> RotationPlanOut:
    """HR admins, the employee, those who see the employee and the legs' host supervisors;
    404 for anyone else. The `ETag` serves `If-Match` on the update."""
    plan, legs = await rotations.readable_plan(session, principal, plan_id)
    set_etag(response, plan.version)
    return (await rotation_views.plan_views(session, principal.org_id, [plan], legs, clock))[0]


@router.patch(
    "/rotation-plans/{plan_id}",
    operation_id="update_rotation_plan",
    summary="Change a draft plan's title or legs (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def update_rotation_plan(
    plan_id: uuid.UUID,
    body: RotationPlanPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
    if_match: IfMatch = None,
) -> RotationPlanOut:
    """Legs sent replace the old ones as a whole, checked as on creation; 409 once the plan
    is confirmed, 412 when `If-Match` names an older version. Audited with before and after."""
    plan = await rotations.update_plan(session, principal, plan_id, body, if_match)
    set_etag(response, plan.version)
    return await _one(session, principal, plan.id, clock)


@router.post(
    "/rotation-plans/{plan_id}/confirm",
    operation_id="confirm_rotation_plan",
    summary="Confirm a plan: each leg becomes a temporary post and a rating task (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def confirm_rotation_plan(
    plan_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> RotationPlanOut:
    """Each leg is recorded as a temporary-post employment event (applied on its start date,
    ended with the leg; the contracts domain drafts the amendment with the allowance) and the
    host supervisor gets a task to rate the leg, due 5 days after it ends. A leg that has
    begun is refused (422); a confirmed plan 409. Audited."""
    plan = await rotations.confirm_plan(session, principal, plan_id, clock)
    set_etag(response, plan.version)
    return await _one(session, principal, plan.id, clock)


@router.post(
    "/rotation-plans/{plan_id}/legs/{leg_id}/rating",
    operation_id="rate_rotation_leg",
    summary="The host supervisor rates a leg per competency: the rating becomes evidence",
    responses={**NOT_FOUND, **CONFLICT},
)
async def rate_rotation_leg(
    plan_id: uuid.UUID,
    leg_id: uuid.UUID,
    body: LegRatingIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> RotationPlanOut:
    """The leg's host supervisor or an HR admin (404 for anyone else), once the leg has begun
    (409 before, or while the plan is a draft): 0–10 per competency of the library, recorded
    as evidence (source `rotation`) so the profile follows in the worker. Rating again
    replaces it (a competency left out is withdrawn; audited with what it replaced) and
    completes the rating task."""
    plan, legs = await rotations.rate_leg(session, principal, plan_id, leg_id, body, clock)
    return (await rotation_views.plan_views(session, principal.org_id, [plan], legs, clock))[0]


@router.post(
    "/rotation-plans/{plan_id}/legs/{leg_id}/end",
    operation_id="end_rotation_leg_early",
    summary="End a confirmed leg early: its temporary post ends on the day given (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def end_rotation_leg_early(
    plan_id: uuid.UUID,
    leg_id: uuid.UUID,
    body: LegEndIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> RotationPlanOut:
    """The leg's temporary post ends on `last_day` (from the leg's first day to before its
    planned end: 422 on `last_day` otherwise), the leg with it, and the host supervisor's
    open rating task falls due 5 days after the new end. 409 while the plan is a draft.
    Audited on the leg and on the employment event."""
    plan, legs = await rotations.end_leg_early(session, principal, plan_id, leg_id, body.last_day)
    set_etag(response, plan.version)
    return (await rotation_views.plan_views(session, principal.org_id, [plan], legs, clock))[0]


@router.post(
    "/rotation-plans/{plan_id}/legs/{leg_id}/withdraw",
    operation_id="withdraw_rotation_leg",
    summary="Call off a confirmed leg before its first day, with a reason (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def withdraw_rotation_leg(
    plan_id: uuid.UUID,
    leg_id: uuid.UUID,
    body: LegWithdrawIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> RotationPlanOut:
    """The leg's temporary post is withdrawn (it never applies; the contracts domain
    withdraws the amendment the employee has not confirmed, and hands a confirmed one to HR),
    the host supervisor's rating task is cancelled and the leg stays in the plan as
    `withdrawn` with the reason. 409 while the plan is a draft, once the leg has begun (end
    it early instead) or when it is withdrawn already; 404 for a leg the plan does not have.
    Audited on the leg and on the employment event."""
    plan, legs = await rotation_withdrawal.withdraw_leg(
        session, principal, plan_id, leg_id, body.reason, clock
    )
    set_etag(response, plan.version)
    return (await rotation_views.plan_views(session, principal.org_id, [plan], legs, clock))[0]

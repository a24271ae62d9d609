"""Appeals on a published review result: filed by the employee, answered up the manager
chain or by HR, resolved by HR."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from hrcore.core.calendar import DaysAre
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.reviews import appeals
from hrcore.reviews.appeal_schemas import AppealIn, AppealOut, AppealReply, AppealResolution

router = APIRouter(route_class=HrcoreRoute)
"""Tagged `reviews` by the reviews router that includes it."""


async def _appeal_window(runtime: AppRuntime) -> tuple[int, DaysAre]:
    settings = runtime.settings
    return settings.review_appeal_window_days, settings.review_appeal_window_days_are


AppealWindow = Annotated[tuple[int, DaysAre], Depends(_appeal_window)]


@router.post(
    "/review-results/{result_id}/appeals",
    operation_id="appeal_review_result",
    summary="Object to one indicator of my published result, within the appeal window",
    status_code=201,
    responses={
        **NOT_FOUND,
        **problem(409, "An appeal on this indicator is open"),
        **problem(422, "Outside the window, or no such indicator"),
    },
)
async def file_appeal(
    result_id: uuid.UUID,
    body: AppealIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    window: AppealWindow,
) -> AppealOut:
    days, days_are = window
    appeal = await appeals.file_appeal(
        session, principal, result_id, body, clock, window_days=days, days_are=days_are
    )
    return appeals.appeal_view(appeal)


@router.get(
    "/review-results/{result_id}/appeals",
    operation_id="list_review_result_appeals",
    summary="Appeals on a result (whoever may read the result)",
    responses=NOT_FOUND,
)
async def list_appeals(
    result_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> list[AppealOut]:
    rows = await appeals.list_appeals(session, principal, result_id)
    return [appeals.appeal_view(row) for row in rows]


@router.get(
    "/appeals/{appeal_id}",
    operation_id="get_review_appeal",
    summary="One appeal",
    responses=NOT_FOUND,
)
async def get_appeal(
    appeal_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> AppealOut:
    return appeals.appeal_view(await appeals.get_appeal(session, principal, appeal_id))


@router.post(
    "/appeals/{appeal_id}/reply",
    operation_id="reply_to_review_appeal",
    summary="Answer an appeal (the reviewer up the manager chain, or HR)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def reply_to_appeal(
    appeal_id: uuid.UUID,
    body: AppealReply,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> AppealOut:
    appeal = await appeals.reply(session, principal, appeal_id, body, clock)
    return appeals.appeal_view(appeal)


@router.post(
    "/appeals/{appeal_id}/resolve",
    operation_id="resolve_review_appeal",
    summary="Uphold (with the indicator's new score) or reject an appeal (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def resolve_appeal(
    appeal_id: uuid.UUID,
    body: AppealResolution,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> AppealOut:
    appeal = await appeals.resolve(session, principal, appeal_id, body, clock)
    return appeals.appeal_view(appeal)

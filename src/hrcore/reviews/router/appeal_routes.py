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
    summary="Object to one indicator or one comment of my published result, within the "
    "appeal window",
    status_code=201,
    responses={
        **NOT_FOUND,
        **problem(409, "An appeal on this indicator or comment is open"),
        **problem(422, "Outside the window, or no such indicator or comment"),
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
    """The employee objects, with a reason, to one indicator's score (`indicator_key`) or to one
    comment (`comment_id`, from the result's `comment_items`) of their own published result,
    within the appeal window after publication (`HRCORE_REVIEW_APPEAL_WINDOW_DAYS`, 7, in
    calendar days or working days per `HRCORE_REVIEW_APPEAL_WINDOW_DAYS_ARE`; 422 afterwards,
    for both or neither, or for an indicator or comment the result does not show). One open
    appeal per indicator or comment (409). The manager gets a reply task and HR admins an inbox
    message; nothing in either says who wrote a comment."""
    days, days_are = window
    appeal = await appeals.file_appeal(
        session, principal, result_id, body, clock, window_days=days, days_are=days_are
    )
    return appeals.appeal_view(appeal, principal)


@router.get(
    "/review-results/{result_id}/appeals",
    operation_id="list_review_result_appeals",
    summary="Appeals on a result (whoever may read the result)",
    responses=NOT_FOUND,
)
async def list_appeals(
    result_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> list[AppealOut]:
    """The appeals filed on a result, with their replies and resolutions, for whoever may read the
    result."""
    rows = await appeals.list_appeals(session, principal, result_id)
    return [appeals.appeal_view(row, principal) for row in rows]


@router.get(
    "/appeals/{appeal_id}",
    operation_id="get_review_appeal",
    summary="One appeal",
    responses=NOT_FOUND,
)
async def get_appeal(
    appeal_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> AppealOut:
    """One appeal with its reply and resolution, for whoever may read its result; anyone else gets
    404."""
    return appeals.appeal_view(await appeals.get_appeal(session, principal, appeal_id), principal)


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
    """The employee's manager (or another up the chain, the department head or an HR admin) answers
    an appeal that is not resolved yet; this completes the reply task, which closes no other way,
    and the employee is notified. A later reply replaces the earlier one; a resolved appeal answers
    409."""
    appeal = await appeals.reply(session, principal, appeal_id, body, clock)
    return appeals.appeal_view(appeal, principal)


@router.post(
    "/appeals/{appeal_id}/resolve",
    operation_id="resolve_review_appeal",
    summary="Uphold (the indicator's new score, or the comment hidden) or reject an appeal "
    "(HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def resolve_appeal(
    appeal_id: uuid.UUID,
    body: AppealResolution,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> AppealOut:
    """For HR admins. `upheld` with the indicator's new score — the indicator keeps its computed
    score beside it and the overall moves by what the change is worth under the result's weights —
    or `rejected`. Audited; the employee is notified."""
    appeal = await appeals.resolve(session, principal, appeal_id, body, clock)
    return appeals.appeal_view(appeal, principal)

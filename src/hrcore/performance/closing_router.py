"""Performance periods over HTTP: the list and one period, its results, close, reopen,
calibration, and the organization's rating policy. HR admins only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.performance import closing, closing_policy, closing_reading
from hrcore.performance.closing_schemas import (
    PERIOD_ID_PATTERN,
    CalibrationIn,
    PerformancePeriodDetailOut,
    PerformancePeriodOut,
    PeriodReopenIn,
    PeriodResultOut,
    RatingPolicyIn,
    RatingPolicyOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["performance"])

PeriodPath = Annotated[
    str,
    Path(pattern=PERIOD_ID_PATTERN, description="The period's name: `2026-11` or `2026-Q4`."),
]


@router.get(
    "/performance-periods",
    operation_id="list_performance_periods",
    summary="Performance periods with scores, newest first (HR admin)",
    response_model=Page[PerformancePeriodOut],
    responses=FORBIDDEN,
)
async def list_performance_periods(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[PerformancePeriodOut]:
    """Every period of the organization that has live scores, by name (its id), newest
    first: open or closed, how many people it scores and how many HR calibrated."""
    return await closing_reading.list_periods(session, principal, page)


@router.get(
    "/performance-periods/{period_id}",
    operation_id="get_performance_period",
    summary="A performance period and its rating distribution against the guideline",
    response_model=PerformancePeriodDetailOut,
    responses=FORBIDDEN | NOT_FOUND,
)
async def get_performance_period(
    period_id: PeriodPath, principal: CurrentPrincipal, session: DbSession
) -> PerformancePeriodDetailOut:
    """For HR admins: the period's state and counts, and per letter the people before and
    after calibration beside the guideline's share (an open period: from its live scores).
    404 when the organization has no score in the period."""
    return await closing_reading.read_period(session, principal, period_id)


@router.get(
    "/performance-periods/{period_id}/results",
    operation_id="list_performance_period_results",
    summary="A closed period's results: computed and calibrated score, rating",
    response_model=Page[PeriodResultOut],
    responses=FORBIDDEN | NOT_FOUND,
)
async def list_performance_period_results(
    period_id: PeriodPath, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[PeriodResultOut]:
    """For HR admins: per employee the frozen overall, the calibrated one beside it with its
    reason, and the rating written (letter, 1–5 score). Empty until the first close."""
    return await closing_reading.period_results(session, principal, period_id, page)


@router.post(
    "/performance-periods/{period_id}/close",
    operation_id="close_performance_period",
    summary="Close a period: freeze its scores and write its performance ratings (HR admin)",
    response_model=PerformancePeriodDetailOut,
    responses=FORBIDDEN | NOT_FOUND | CONFLICT,
)
async def close_performance_period(
    period_id: PeriodPath, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> PerformancePeriodDetailOut:
    """Freezes the period's scores (no recompute changes them; observations inside it are
    refused), keeps each person's result and writes the period's performance ratings by the
    rating policy (a calibration kept from before a reopen applies). Audited; publishes
    `performance.period_closed`. 409 when already closed, 404 without scores."""
    return await closing.close_period(session, principal, period_id, clock)


@router.post(
    "/performance-periods/{period_id}/reopen",
    operation_id="reopen_performance_period",
    summary="Reopen a closed period, with a reason (HR admin)",
    response_model=PerformancePeriodDetailOut,
    responses=FORBIDDEN | NOT_FOUND | CONFLICT,
)
async def reopen_performance_period(
    period_id: PeriodPath,
    body: PeriodReopenIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> PerformancePeriodDetailOut:
    """Scores of the period are recomputed again and its observations accepted; its ratings
    stay until it is closed again, which replaces them. Audited with the reason; 409 when
    the period is open."""
    return await closing.reopen(session, principal, period_id, body, clock)


@router.post(
    "/performance-periods/{period_id}/calibrate",
    operation_id="calibrate_performance_period",
    summary="Calibrate a closed period's results 「绩效校准」, each with a reason (HR admin)",
    response_model=PerformancePeriodDetailOut,
    responses=FORBIDDEN | NOT_FOUND | CONFLICT,
)
async def calibrate_performance_period(
    period_id: PeriodPath,
    body: CalibrationIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> PerformancePeriodDetailOut:
    """Sets each named person's calibrated overall (0–100) with its mandatory reason; the
    computed overall stays beside it and the period's rating follows the calibrated value.
    Audited per person. 409 on an open period; 422 for someone without a result in it."""
    return await closing.calibrate(session, principal, period_id, body, clock)


@router.get(
    "/performance-rating-policy",
    operation_id="get_performance_rating_policy",
    summary="How overall scores become ratings, and the distribution guideline (HR admin)",
    response_model=RatingPolicyOut,
    responses=FORBIDDEN,
)
async def get_performance_rating_policy(
    principal: CurrentPrincipal, session: DbSession, response: Response
) -> RatingPolicyOut:
    """The grace days before the cron closes a period, the lowest overall of each letter
    and the guideline's share of each letter; the defaults until HR replaces them."""
    policy = await closing_policy.get_policy(session, principal)
    set_etag(response, policy.version)
    return policy


@router.put(
    "/performance-rating-policy",
    operation_id="put_performance_rating_policy",
    summary="Replace the rating policy (HR admin); closed periods keep their ratings",
    response_model=RatingPolicyOut,
    responses=FORBIDDEN | STALE,
)
async def put_performance_rating_policy(
    body: RatingPolicyIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> RatingPolicyOut:
    """Guarded by `If-Match` or a body `version`; audited. Applies to the next close or
    calibration."""
    policy = await closing_policy.put_policy(session, principal, body, if_match=if_match)
    set_etag(response, policy.version)
    return policy

"""Incentives' routes: the rules (HR admins), evaluating an ended period, the list with its
payroll export, and granting."""

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
from hrcore.training import incentive_evaluation, incentive_rules, incentives
from hrcore.training.incentive_export import MEDIA_TYPES, ExportFormat, render
from hrcore.training.incentive_models import IncentiveKind, IncentiveStatus
from hrcore.training.incentive_schemas import (
    IncentiveEvaluationIn,
    IncentiveEvaluationOut,
    IncentiveOut,
    IncentiveRulesIn,
    IncentiveRulesOut,
    Period,
)

router = APIRouter(route_class=HrcoreRoute, tags=["training"])

PeriodFilter = Annotated[Period | None, Query(description="Only this quarter or year.")]
KindFilter = Annotated[IncentiveKind | None, Query(description="Only this kind.")]
StatusFilter = Annotated[
    IncentiveStatus | None, Query(description="Only in this status (`owed`: not granted yet).")
]
EmployeeFilter = Annotated[uuid.UUID | None, Query(description="Only this employee's.")]


@router.get(
    "/incentive-rules",
    operation_id="get_incentive_rules",
    summary="The organization's incentive rules (HR admin)",
    responses=FORBIDDEN,
)
async def get_rules(
    principal: CurrentPrincipal, session: DbSession, response: Response
) -> IncentiveRulesOut:
    """For HR admins: the thresholds evaluations apply — the seeds' values (`version` 0) until
    HR replaces them. Its `ETag` serves `If-Match` on the replacement."""
    rules = await incentive_rules.read(session, principal)
    set_etag(response, rules.version)
    return rules


@router.put(
    "/incentive-rules",
    operation_id="replace_incentive_rules",
    summary="Replace the incentive rules (HR admin)",
    responses={**FORBIDDEN, **STALE},
)
async def replace_rules(
    body: IncentiveRulesIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> IncentiveRulesOut:
    """For HR admins. Every threshold at once, each validated (422 naming the field; the cap
    below one step's percent is 422 on `bonus_cap_percent`); guarded by `If-Match` or the body's
    `version`. Periods evaluated already keep their incentives. Audited."""
    rules = await incentive_rules.replace(session, principal, body, if_match=if_match)
    set_etag(response, rules.version)
    return rules


@router.post(
    "/incentives/evaluations",
    operation_id="evaluate_incentives",
    summary="Evaluate an ended quarter or year now (HR admin)",
    status_code=202,
    responses={**FORBIDDEN, **problem(409, "The period is evaluated or queued already")},
)
async def evaluate(
    body: IncentiveEvaluationIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> IncentiveEvaluationOut:
    """For HR admins. Queues the evaluation of a period that has ended in the organization's
    time zone (422 otherwise) — the hourly cron queues each period as it ends, so this is for
    one it has not reached yet; a period evaluated or queued before is 409. The worker writes
    the incentives: a quarter's bonus coefficient (top share), bonus percent, competition and
    benefits eligibility and promotion eligibility (12 months' points and action plans); a
    year's "excellent" requirement, met or not. Audited."""
    evaluation = await incentive_evaluation.request(session, principal, body, clock)
    return IncentiveEvaluationOut.model_validate(evaluation)


@router.get(
    "/incentives",
    operation_id="list_incentives",
    summary="Incentives with their reasons (HR: all; heads: their reach; others: their own)",
    responses=FORBIDDEN,
)
async def list_incentives(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    period: PeriodFilter = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    employee_id: EmployeeFilter = None,
) -> Page[IncentiveOut]:
    """Incentives of evaluated periods, newest period first, cursor-paginated, each with the
    figures that made it. `status=owed` is the report of incentives owed but not granted.
    Integration keys: 403."""
    filters = incentives.IncentiveFilters(period, kind, status, employee_id)
    return await incentives.listed(session, principal, page, filters)


@router.get(
    "/incentives/export",
    operation_id="export_incentives",
    summary="Incentives as CSV or XLSX for payroll",
    response_class=Response,
    responses={
        200: {
            "content": {
                media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for media_type in MEDIA_TYPES.values()
            },
            "description": "The file, one row per incentive.",
        },
        **FORBIDDEN,
    },
)
async def export_incentives(
    principal: CurrentPrincipal,
    session: DbSession,
    format: Annotated[ExportFormat, Query(description="`csv` (default) or `xlsx`.")] = (
        ExportFormat.CSV
    ),
    period: PeriodFilter = None,
    kind: KindFilter = None,
    status: StatusFilter = None,
    employee_id: EmployeeFilter = None,
) -> Response:
    """Every incentive the filters find in the caller's reach (as the list), one statement:
    period, kind, employee, amount, eligibility, status, the points and threshold behind it
    and when it was granted."""
    filters = incentives.IncentiveFilters(period, kind, status, employee_id)
    rows = await incentives.exported(session, principal, filters)
    return Response(
        render(rows, format),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="incentives.{format.value}"'},
    )


@router.post(
    "/incentives/{incentive_id}/grant",
    operation_id="grant_incentive",
    summary="Mark an owed incentive granted (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def grant_incentive(
    incentive_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> IncentiveOut:
    """For HR admins. An owed incentive becomes granted, with who and when; one granted
    already, or an "excellent" requirement not met, is 409. Audited."""
    return await incentives.grant(session, principal, incentive_id, clock)

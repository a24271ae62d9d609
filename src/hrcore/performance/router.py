"""Performance schemes (a template kind), metric observations and live scores over HTTP."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.core.authz import own_employee_id
from hrcore.core.db import DbSession
from hrcore.core.dependencies import Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, validated_json
from hrcore.core.schemas import BoundedDatetime
from hrcore.core.template_routes import Summaries, TemplateRoutes, add_template_routes
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.performance import (
    closing_router,
    goals_router,
    ingestion,
    reading,
    schemes,
    sources_router,
    work_results_router,
)
from hrcore.performance.alerts_router import router as alerts_routes
from hrcore.performance.check_in_router import router as check_in_routes
from hrcore.performance.dashboard_router import router as dashboard_routes
from hrcore.performance.departments_router import router as department_routes
from hrcore.performance.diagnoses_router import router as diagnosis_routes
from hrcore.performance.schemas import (
    EmployeePerformanceOut,
    Key,
    ObservationBatchIn,
    ObservationBatchOut,
    ObservationOut,
    PerformanceSchemeIn,
    PerformanceSchemeOut,
    PerformanceSchemePatch,
    PerformanceSchemeRevisionOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["performance"])

add_template_routes(
    router,
    TemplateRoutes(
        path="/performance-schemes",
        noun="performance_scheme",
        rules=schemes.RULES,
        body=PerformanceSchemeIn,
        patch=PerformanceSchemePatch,
        output=PerformanceSchemeOut,
        revision=PerformanceSchemeRevisionOut,
        principal=CurrentPrincipal,
        summaries=Summaries(
            list="Performance schemes 「绩效方案」 (HR admins and department heads)",
            create="Create a scheme: weighted indicators with targets, formulas and "
            "directions for positions or departments (HR admin)",
            get="One performance scheme",
            update="Replace a scheme; periods already scored keep their revision (HR admin)",
            list_revisions="Every revision of a performance scheme, oldest first",
            get_revision="A performance scheme as it was at one revision",
        ),
        read_responses=FORBIDDEN,
    ),
)


@router.post(
    "/metric-observations",
    operation_id="record_metric_observations",
    summary="Record a batch of metric observations (up to 10,000)",
    response_model=ObservationBatchOut,
    responses=FORBIDDEN,
)
async def record_metric_observations(
    body: ObservationBatchIn, principal: CurrentPrincipal, session: DbSession
) -> Response:
    """For HR admins and integration keys with `metrics:write` (others 403). Each item is
    answered on its own: `recorded`, `corrected` (same source and external id, another value:
    stored as the next revision, the old one kept, audited), `unchanged` (a repeat, ignored)
    or `refused` with the reason (its employee or department not in the organization, a value
    that is not a finite number, an indicator no scheme measures, a second item with its
    source and external id); refused items never stop the others. The touched employees'
    live scores are recomputed in the background."""
    return validated_json(await ingestion.record(session, principal, body))


@router.get(
    "/metric-observations",
    operation_id="list_metric_observations",
    summary="Metric observations, filtered",
    response_model=Page[ObservationOut],
    responses=FORBIDDEN,
)
async def list_metric_observations(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    employee_id: Annotated[uuid.UUID | None, Query(description="Only this employee's.")] = None,
    indicator: Annotated[Key | None, Query(description="Only this indicator's.")] = None,
    observed_from: Annotated[
        BoundedDatetime | None, Query(description="Observed at or after this moment.")
    ] = None,
    observed_before: Annotated[
        BoundedDatetime | None, Query(description="Observed before this moment.")
    ] = None,
) -> Page[ObservationOut]:
    """For HR admins and integration keys with `metrics:write`: every stored revision
    (corrections included, each with its `revision`), oldest first, cursor-paginated."""
    return await reading.observations(
        session,
        principal,
        page,
        employee_id=employee_id,
        indicator=indicator,
        observed_from=observed_from,
        observed_before=observed_before,
    )


@router.get(
    "/employees/{employee_id}/performance",
    operation_id="get_employee_performance",
    summary="An employee's live performance scores, explained",
    response_model=EmployeePerformanceOut,
    responses=NOT_FOUND,
)
async def get_employee_performance(
    employee_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> EmployeePerformanceOut:
    """For whoever may see the employee (404 otherwise; keys need `ratings:read`): the newest
    24 periods, newest first, each with its overall score and per indicator the value, the
    score and what they came from (inputs, target, formula, weight, direction)."""
    return await reading.employee_performance(session, principal, employee_id)


@router.get(
    "/me/performance",
    operation_id="get_my_performance",
    summary="My live performance scores, explained",
    response_model=EmployeePerformanceOut,
    responses=NOT_FOUND,
)
async def get_my_performance(
    principal: CurrentPrincipal, session: DbSession
) -> EmployeePerformanceOut:
    """The caller's own scores, as `/employees/{id}/performance` gives them; 404 for an
    account not linked to an employee."""
    return await reading.employee_performance(session, principal, own_employee_id(principal))


router.include_router(check_in_routes)
router.include_router(closing_router.router)
router.include_router(goals_router.router)
router.include_router(dashboard_routes)
router.include_router(sources_router.router)
router.include_router(work_results_router.router)
router.include_router(alerts_routes)
router.include_router(department_routes)
router.include_router(diagnosis_routes)

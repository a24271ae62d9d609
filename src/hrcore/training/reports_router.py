"""HTTP of training's reports (`/training-reports/…`): JSON, or with `?format=csv|xlsx`
the same figures as a table to download."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.core.db import DbSession
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.training import reports, reports_effect, reports_export
from hrcore.training.reports_schemas import (
    PERIOD_PATTERN,
    TrainingCostReport,
    TrainingCourseEffect,
    TrainingCoursesReport,
    TrainingPointsByCategory,
    TrainingReportFormat,
)

router = APIRouter(route_class=HrcoreRoute, tags=["training"])

Department = Annotated[
    uuid.UUID | None,
    Query(description="Report on this department's subtree (default: all the caller sees)."),
]
Format = Annotated[
    TrainingReportFormat, Query(alias="format", description="json, or a table as csv or xlsx.")
]
READERS = {**FORBIDDEN, **NOT_FOUND}


@router.get(
    "/training-reports/points-by-category",
    operation_id="get_training_points_by_category",
    summary="Points by category against the target weights, per department",
    response_model=TrainingPointsByCategory,
    responses={**reports_export.EXPORTS, **READERS},
)
async def points_by_category(
    principal: CurrentPrincipal,
    session: DbSession,
    period: Annotated[
        str,
        Query(
            pattern=PERIOD_PATTERN,
            description="A year (`2026`), quarter (`2026-Q4`) or month (`2026-11`).",
        ),
    ],
    department_id: Department = None,
    export_format: Format = TrainingReportFormat.JSON,
) -> TrainingPointsByCategory | Response:
    """The period's points of participation, outcome and sharing, each as a share of the
    total against the organization's target weight (30 / 40 / 30 by default) and the gap
    between them: for the subtree as a whole, then for each department by the people it
    holds itself. HR admins read the organization or any department's subtree, department
    heads their own subtree (another department 404); anyone else 403."""
    report = await reports.points_by_category(session, principal, period, department_id)
    if export_format is TrainingReportFormat.JSON:
        return report
    header, rows = reports_export.points_table(report)
    return reports_export.table_response(export_format, f"training-points-{period}", header, rows)


@router.get(
    "/training-reports/courses",
    operation_id="list_training_course_figures",
    summary="Per course: classes, attendance, completion and action plans",
    response_model=TrainingCoursesReport,
    responses={**reports_export.EXPORTS, **READERS},
)
async def course_figures(
    principal: CurrentPrincipal,
    session: DbSession,
    department_id: Department = None,
    export_format: Format = TrainingReportFormat.JSON,
) -> TrainingCoursesReport | Response:
    """Every course with its classes (not cancelled) and, over the people in reach, how many
    enrolled, attended, came late and completed (the completion rate), and their action
    plans: how many, the mean of the scored plans and how many the company adopted. A
    department's report lists only the courses its people took. Readers as for
    points-by-category."""
    report = await reports.courses(session, principal, department_id)
    if export_format is TrainingReportFormat.JSON:
        return report
    header, rows = reports_export.courses_table(report)
    return reports_export.table_response(export_format, "training-courses", header, rows)


@router.get(
    "/training-reports/courses/{course_id}/effect",
    operation_id="get_training_course_effect",
    summary="The training effect of a course: participants' figures before → after",
    response_model=TrainingCourseEffect,
    responses=READERS,
)
async def course_effect(
    course_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    department_id: Department = None,
) -> TrainingCourseEffect:
    """The participants in reach who attended, and their mean change in performance (the
    overall live score of the latest period starting before the course's first class → the
    latest starting since) and in the course's competencies (the newest profile before →
    the newest since), each over the n participants who have both figures. An online course
    counts from each participant's completion. Readers as for points-by-category; a course
    of another organization is 404."""
    return await reports_effect.course_effect(session, principal, course_id, department_id)


@router.get(
    "/training-reports/cost",
    operation_id="get_training_cost",
    summary="Training cost and its return against the performance change, per course",
    response_model=TrainingCostReport,
    responses={**reports_export.EXPORTS, **READERS},
)
async def cost(
    principal: CurrentPrincipal,
    session: DbSession,
    department_id: Department = None,
    export_format: Format = TrainingReportFormat.JSON,
) -> TrainingCostReport | Response:
    """Per course: the fee × participants plus the instructor allowance of its classes
    (shared by the participants in reach when the report covers a department), the
    participants' mean performance change and the cost of one point of it; then the total.
    Readers as for points-by-category."""
    report = await reports_effect.cost(session, principal, department_id)
    if export_format is TrainingReportFormat.JSON:
        return report
    header, rows = reports_export.cost_table(report)
    return reports_export.table_response(export_format, "training-cost", header, rows)

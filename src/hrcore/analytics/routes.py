"""Analytics' routes: each figure from its rollups, and the people behind any figure."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from hrcore.analytics import drill_down, exports_tables, on_time_view, window
from hrcore.analytics.schemas import AnalyticsPersonOut, OnTimeOut
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.core.spreadsheets import DOWNLOAD, SheetFormat
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])

Department = Annotated[
    uuid.UUID | None,
    Query(description="A department subtree; default: the organization (HR) or your own (head)."),
]
Window = Annotated[window.WindowQuery, Depends(window.window_query)]


@router.get(
    "/analytics/on-time",
    operation_id="get_on_time_rates",
    summary="On-time rates of program stages, reviews and mentoring sessions",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_on_time(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    window_query: Window,
    department_id: Department = None,
) -> OnTimeOut:
    """For HR admins and department heads (their subtree; another is 404): tasks of program
    stages, review ratings and mentoring sessions due in the window, done on time, late or
    still overdue, by the assignee's department. Read from rollups the worker keeps current
    (`refreshed_at`); drill down with `/analytics/on-time/people`."""
    return await on_time_view.on_time_rates(session, principal, department_id, window_query, clock)


@router.get(
    "/analytics/{figure}/people",
    operation_id="list_analytics_people",
    summary="The people behind a figure",
    response_model=Page[AnalyticsPersonOut],
    responses={**DOWNLOAD, **FORBIDDEN, **NOT_FOUND},
)
async def list_people(
    figure: str,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    runtime: AppRuntime,
    page: Pagination,
    window_query: Window,
    department_id: Department = None,
    step: Annotated[
        str | None, Query(max_length=40, description="Only this step's people.")
    ] = None,
    dimension: Annotated[
        str | None, Query(max_length=80, description="Only this breakdown (an area, a position…).")
    ] = None,
    export_format: Annotated[
        SheetFormat | None,
        Query(alias="format", description="`csv` or `xlsx`: every row as a file, streamed."),
    ] = None,
) -> Page[AnalyticsPersonOut] | Response:
    """The facts behind `figure` (`on-time`, …) in the caller's scope and window, oldest
    first, each with the person, their department and why they are counted. With `format`,
    every row as CSV or XLSX with headers in the caller's language (a long one: `POST
    /exports`)."""
    if export_format is not None:
        asked = await drill_down.drill(
            session, principal, figure, department_id, window_query, step, dimension, clock
        )
        return exports_tables.people_download(runtime.sessionmaker, principal, asked, export_format)
    return await drill_down.people_behind(
        session, principal, figure, department_id, window_query, step, dimension, page, clock
    )

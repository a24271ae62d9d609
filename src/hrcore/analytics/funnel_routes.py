"""The funnel's and the vacancy fill's routes (drill down with `/analytics/funnel/people`
and `/analytics/vacancy-fill/people`)."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.analytics import funnel_view
from hrcore.analytics.funnel_schemas import FunnelOut, VacancyFillOut
from hrcore.analytics.routes import Department, Window
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])


@router.get(
    "/analytics/funnel",
    operation_id="get_funnel",
    summary="The funnel: pool members, program completions, attainment, appointments",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_funnel(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    window_query: Window,
    department_id: Department = None,
) -> FunnelOut:
    """For HR admins and department heads (their subtree; another is 404): pool members who
    became active, completed a program, met their target model 「达标」 and were promoted in
    the window, each step with its conversion from the one before. Read from rollups the
    worker keeps current (`refreshed_at`); drill down with `/analytics/funnel/people`."""
    return await funnel_view.funnel_steps(session, principal, department_id, window_query, clock)


@router.get(
    "/analytics/vacancy-fill",
    operation_id="get_vacancy_fill",
    summary="Vacancies filled: the internal fill rate and the median time to fill",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_vacancy_fill(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    window_query: Window,
    department_id: Department = None,
) -> VacancyFillOut:
    """For HR admins and department heads (their subtree; another is 404): vacancies filled
    in the window, the share filled from inside (a pool member or a competition applicant)
    and the median days from opening to filling. Drill down with
    `/analytics/vacancy-fill/people` (its `dimension` is the days to fill)."""
    return await funnel_view.vacancies_filled(
        session, principal, department_id, window_query, clock
    )

"""The organization's working calendar 「工作日」: the year as it works it, and its own days."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.calendars import days
from hrcore.calendars.schemas import CalendarDayIn, CalendarDayOut, WorkingYearOut
from hrcore.core.db import DbSession
from hrcore.core.dependencies import Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, problem
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["working calendar"])


@router.get(
    "/working-calendar/days",
    operation_id="list_calendar_days",
    summary="The organization's own days: company holidays and make-up days, by date",
    responses=problem(422, "No calendar for that year"),
)
async def list_calendar_days(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    year: Annotated[int | None, Query(description="Only the days of this year.")] = None,
) -> Page[CalendarDayOut]:
    """Any member of the organization: the days it set itself (company holidays, make-up
    working days, days of a year the official schedule does not cover), by date,
    cursor-paginated; `year` narrows to one year."""
    rows, cursor = await days.list_days(session, principal, year, page)
    return Page(items=[CalendarDayOut.model_validate(row) for row in rows], next_cursor=cursor)


@router.post(
    "/working-calendar/days",
    operation_id="add_calendar_day",
    summary="Set a day the organization works or rests whatever the official schedule says "
    "(HR admin)",
    status_code=201,
    responses={**FORBIDDEN, **CONFLICT},
)
async def add_calendar_day(
    body: CalendarDayIn, principal: CurrentPrincipal, session: DbSession
) -> CalendarDayOut:
    """For HR admins: mark one date as worked or not worked, with its name; it overrides the
    official schedule and weekends for every working-day count of the organization (task
    policies, stage durations, appeal windows) from then on, and open tasks' next reminders
    and escalations move with it at once (their due dates stay). A date already set is 409.
    Audited."""
    return CalendarDayOut.model_validate(await days.add_day(session, principal, body))


@router.delete(
    "/working-calendar/days/{day_id}",
    operation_id="remove_calendar_day",
    summary="Remove one of the organization's own days: the official schedule applies again "
    "(HR admin)",
    status_code=204,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def remove_calendar_day(
    day_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> Response:
    """For HR admins: remove one of the organization's own days (404 for another
    organization's); that date counts as the official schedule or the weekend says again,
    and open tasks' next reminders and escalations move back with it. Audited."""
    await days.remove_day(session, principal, day_id)
    return Response(status_code=204)


@router.get(
    "/working-calendar/{year}",
    operation_id="get_working_year",
    summary="A year as the organization works it: its basis (the official schedule or "
    "weekends only) and every exception to Monday-to-Friday",
    responses=problem(422, "No calendar for that year"),
)
async def get_working_year(
    year: int, principal: CurrentPrincipal, session: DbSession
) -> WorkingYearOut:
    """Any member: one year as the organization works it — `basis` (`official` when the
    maintained schedule covers the year, else `weekends_only`, with a `note` in the reader's
    language), the number of working days, and every date that differs from Monday-to-Friday
    with where that comes from (statutory holiday, make-up working day 调休, the organization's
    own day). A year outside 2000–2100 is 422."""
    return await days.working_year(session, principal, year)

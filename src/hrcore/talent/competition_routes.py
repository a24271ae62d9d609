"""Internal competition 「岗位竞聘」 over HTTP: HR opens a vacancy for it, employees see
the competitions they qualify for and apply or withdraw, HR lists the applications.
Included by the domain's router after its other routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.talent import applications, competitions, vacancies
from hrcore.talent.competition_schemas import (
    CompetitionIn,
    OpenCompetitionOut,
    VacancyApplicationIn,
    VacancyApplicationOut,
)
from hrcore.talent.models import VacancyApplicationStatus
from hrcore.talent.schemas import VacancyOut

routes = APIRouter(route_class=HrcoreRoute, tags=["succession"])


@routes.post(
    "/vacancies/{vacancy_id}/competition",
    operation_id="open_vacancy_competition",
    summary="Open a vacancy for internal competition with its rules and closing time (HR admin)",
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **STALE,
        **problem(422, "Invalid rules, or `closes_at` not later than now"),
    },
)
async def open_competition(
    vacancy_id: uuid.UUID,
    body: CompetitionIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    if_match: IfMatch = None,
) -> VacancyOut:
    """For HR admins. Opens an open vacancy for internal competition 「岗位竞聘」: employees
    who meet `rules` (the talent screening rules; `training_points` with `min_points` 100
    is the next-level competition) see it in `/me/open-vacancies` and apply until
    `closes_at`. A vacancy that is filled, cancelled or a competition already answers 409.
    Honours `If-Match` or a body `version`; audited."""
    vacancy = await competitions.open_competition(
        session, principal, vacancy_id, body, clock, if_match=if_match
    )
    [view] = await vacancies.vacancy_views(session, principal.org_id, [vacancy])
    return view


@routes.get(
    "/me/open-vacancies",
    operation_id="list_my_open_vacancies",
    summary="Internal competitions taking applications whose rules I meet",
    responses=FORBIDDEN,
)
async def my_open_vacancies(
    principal: CurrentPrincipal, session: DbSession, page: Pagination, clock: AppClock
) -> Page[OpenCompetitionOut]:
    """The vacancies open for internal competition, still taking applications, whose every
    rule the caller meets — closing soonest first, each rule with what was found for the
    caller and why it passes, and the caller's own application if any. Cursor-paginated;
    empty for an account without an employee record; integration keys 403."""
    items, cursor = await competitions.open_for_me(session, principal, page, clock)
    return Page(items=items, next_cursor=cursor)


@routes.post(
    "/vacancies/{vacancy_id}/applications",
    operation_id="apply_to_vacancy",
    summary="Apply to a vacancy's internal competition (the employee themself)",
    status_code=201,
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "The competition closed, the vacancy is not open, or I applied already"),
        **problem(422, "A rule of the competition is not met: each failing rule is named"),
    },
)
async def apply(
    vacancy_id: uuid.UUID,
    body: VacancyApplicationIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> VacancyApplicationOut:
    """The caller applies to the vacancy's internal competition, with an optional statement.
    The competition's rules are evaluated for them now: any rule not met answers 422 with
    one error per failing rule (what was found, what is needed) and nothing is written.
    After `closes_at`, or once the vacancy is filled or cancelled, 409; an open application
    already 409 (a withdrawn one reopens). A vacancy that is no competition 404. The
    application joins the vacancy's ranked candidates. Audited."""
    application = await applications.apply(session, principal, vacancy_id, body, clock)
    [view] = await applications.application_views(session, principal.org_id, [application])
    return view


@routes.get(
    "/vacancies/{vacancy_id}/applications",
    operation_id="list_vacancy_applications",
    summary="A vacancy's competition applications (HR: all; department heads: their reach)",
    responses=NOT_FOUND,
)
async def list_applications(
    vacancy_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[
        VacancyApplicationStatus | None, Query(description="Only applications in this status.")
    ] = None,
) -> Page[VacancyApplicationOut]:
    """The applications to the vacancy's internal competition, oldest first, each with the
    rules as found when the employee applied. HR admins see all; department heads over the
    vacancy those of employees in their reach; anyone else 404. Their ranking is in
    `/vacancies/{id}/candidates`. Cursor-paginated."""
    items, cursor = await applications.list_applications(
        session, principal, vacancy_id, page, status=status
    )
    return Page(items=items, next_cursor=cursor)


@routes.post(
    "/vacancies/{vacancy_id}/applications/{application_id}/withdraw",
    operation_id="withdraw_vacancy_application",
    summary="Withdraw my application to an internal competition",
    responses={**FORBIDDEN, **NOT_FOUND, **problem(409, "The application is not open")},
)
async def withdraw(
    vacancy_id: uuid.UUID,
    application_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> VacancyApplicationOut:
    """The applicant withdraws their own open application (anyone else's answers 404); one
    already withdrawn, appointed or closed answers 409. They may apply again while the
    competition takes applications. Audited."""
    application = await applications.withdraw(session, principal, vacancy_id, application_id, clock)
    [view] = await applications.application_views(session, principal.org_id, [application])
    return view

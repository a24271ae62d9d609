"""Talent pools (rules, screening preview, members, 9-box, measures) and succession
(vacancies, ranked candidates, appointment, the caller's own ranking); internal competition
in `competition_routes`, included last."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.core.schemas import BoundedDate
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.talent import (
    appointment,
    bands,
    candidates,
    competition_routes,
    history,
    measures,
    membership,
    pools,
    screening,
    vacancies,
)
from hrcore.talent import nine_box as nine_boxes
from hrcore.talent.models import MemberStatus, Readiness, VacancyStatus
from hrcore.talent.schemas import (
    AppointmentIn,
    CandidateOut,
    MemberChangeOut,
    MemberOut,
    MemberPatch,
    MyRankingOut,
    NineBoxOut,
    Nomination,
    PoolMeasuresOut,
    ScreenRequest,
    ScreenResult,
    TalentPoolIn,
    TalentPoolOut,
    TalentPoolPatch,
    VacancyCancelIn,
    VacancyIn,
    VacancyOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["talent pools"])


@router.get("/talent-pools", operation_id="list_talent_pools", summary="Talent pools")
async def list_pools(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    active: Annotated[bool | None, Query(description="Only open (true) or closed pools.")] = None,
) -> Page[TalentPoolOut]:
    """Talent pool definitions — target position or family, screening rules, open or closed —
    cursor-paginated. Every user of the organization reads them (an integration key needs
    `org:read`); who is in a pool is a separate, narrower read."""
    rows, cursor = await pools.list_pools(session, principal, page, active=active)
    return Page(items=await pools.pool_views(session, rows), next_cursor=cursor)


@router.post(
    "/talent-pools",
    operation_id="create_talent_pool",
    summary="Create a talent pool with its screening rules (HR admin)",
    status_code=201,
    responses={**FORBIDDEN, **problem(409, "The name is taken")},
)
async def create_pool(
    body: TalentPoolIn, principal: CurrentPrincipal, session: DbSession, response: Response
) -> TalentPoolOut:
    """For HR admins. Creates a talent pool for a target position or a family of positions, with its
    screening rules as typed criteria (unknown fields, kinds or wrong types answer 422); the name
    must be unique (409). Audited."""
    pool = await pools.create_pool(session, principal, body)
    set_etag(response, pool.version)
    [view] = await pools.pool_views(session, [pool])
    return view


@router.get(
    "/talent-pools/measures",
    operation_id="get_talent_pool_measures",
    summary="Promotion rate, attrition, share of vacancies filled from pools, time to fill (HR)",
    responses={**FORBIDDEN, **NOT_FOUND, **problem(422, "Bad period")},
)
async def get_measures(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    pool_id: Annotated[
        uuid.UUID | None, Query(description="One pool; all pools of the organization if absent.")
    ] = None,
    period_from: Annotated[
        BoundedDate | None,
        Query(alias="from", description="First day; default `to` − 365 days."),
    ] = None,
    period_to: Annotated[
        BoundedDate | None,
        Query(
            alias="to",
            description="Last day (inclusive); default today. At most ten years after `from`.",
        ),
    ] = None,
) -> PoolMeasuresOut:
    """For HR admins: over a period in the organization's time zone (default the 365 days up to
    today; `from` after `to` is 422), the members active in it, how many were appointed or left,
    promotion and attrition rates, vacancies filled, the share filled from pools and the median days
    to fill; for one pool or all."""
    return await measures.measures(
        session,
        principal,
        clock,
        pool_id=pool_id,
        period_from=period_from,
        period_to=period_to,
    )


@router.get(
    "/talent-pools/{pool_id}",
    operation_id="get_talent_pool",
    summary="One talent pool",
    responses=NOT_FOUND,
)
async def get_pool(
    pool_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> TalentPoolOut:
    """One talent pool definition, for any user of the organization (a key needs `org:read`). Its
    `ETag` serves `If-None-Match` polling and `If-Match` on the update."""
    pool = await pools.get_pool(session, principal, pool_id)
    set_etag(response, pool.version)
    [view] = await pools.pool_views(session, [pool])
    return view


@router.patch(
    "/talent-pools/{pool_id}",
    operation_id="update_talent_pool",
    summary="Change a talent pool or its rules (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def update_pool(
    pool_id: uuid.UUID,
    body: TalentPoolPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> TalentPoolOut:
    """For HR admins. Changes a pool's name, target, rules or open state (only the fields sent).
    Guarded by `If-Match` or a body `version` (412/409 when stale); audited."""
    pool = await pools.update_pool(session, principal, pool_id, body, if_match=if_match)
    set_etag(response, pool.version)
    [view] = await pools.pool_views(session, [pool])
    return view


@router.post(
    "/talent-pools/{pool_id}/screen",
    operation_id="screen_talent_pool",
    summary="Preview who the rules find, with each rule's value and verdict (writes nothing)",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def screen(
    pool_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    body: ScreenRequest | None = None,
) -> ScreenResult:
    """HR admins and department heads preview who the pool's rules (or `rules` sent in the body,
    before saving them) find among the active employees in their scope: each candidate with every
    rule's value and verdict, in one query. `only_passing: false` lists everyone in scope. Writes
    nothing; screening only advises."""
    return await screening.screen(session, principal, pool_id, body or ScreenRequest(), clock)


@router.get(
    "/talent-pools/{pool_id}/members",
    operation_id="list_talent_pool_members",
    summary="Members I may see (HR: all; department heads: their reach; others: themself)",
    responses=NOT_FOUND,
)
async def list_members(
    pool_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    clock: AppClock,
    status: Annotated[
        MemberStatus | None, Query(description="Only members in this status.")
    ] = None,
    readiness: Annotated[
        Readiness | None, Query(description="Only members with this readiness.")
    ] = None,
    sort: Annotated[
        Literal["readiness"] | None,
        Query(
            description="`readiness`: the nominated and active members (or those of `status`), "
            "ready now first, then 1–2 years, 3+ years, not assessed; "
            "within each band by the vacancy ranking's score, each member with `ranking` "
            "(band rank, score, factors). Default: in the order of nomination."
        ),
    ] = None,
) -> Page[MemberOut]:
    """The pool's members with their status, readiness and current 9-box placement,
    cursor-paginated: HR admins see all, department heads those in their reach, other employees only
    themselves; filter by `status` and `readiness`. `sort=readiness` ranks within each readiness
    band by the vacancy ranking's explained score (ranks for HR and department heads; an employee
    sees their own score and factors, no rank)."""
    if sort == "readiness":
        items, next_cursor = await bands.members_by_readiness(
            session, principal, pool_id, page, clock, status=status, readiness=readiness
        )
        return Page(items=items, next_cursor=next_cursor)
    rows, cursor = await membership.list_members(
        session, principal, pool_id, page, status=status, readiness=readiness
    )
    return Page(
        items=await membership.member_views(session, principal.org_id, rows), next_cursor=cursor
    )


@router.post(
    "/talent-pools/{pool_id}/members",
    operation_id="nominate_talent_pool_member",
    summary="Nominate an employee (HR; department heads in their subtree; anyone themself)",
    status_code=201,
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "Already a member, or the pool is closed"),
    },
)
async def nominate(
    pool_id: uuid.UUID,
    body: Nomination,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> MemberOut:
    """Nominates an employee to the pool with a reason: HR admins anyone in the organization,
    department heads anyone in their reach, any employee themself (someone outside reach is 404).
    Already a member or a closed pool: 409; a removed, graduated or departed member's membership
    reopens. Audited."""
    member = await membership.nominate(session, principal, pool_id, body, clock)
    set_etag(response, member.version)
    [view] = await membership.member_views(session, principal.org_id, [member])
    return view


@router.patch(
    "/talent-pools/{pool_id}/members/{member_id}",
    operation_id="update_talent_pool_member",
    summary="Approve or reject a nomination, graduate or remove; readiness; 9-box placement "
    "(HR admin, with a reason)",
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def update_member(
    pool_id: uuid.UUID,
    member_id: uuid.UUID,
    body: MemberPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
    if_match: IfMatch = None,
) -> MemberOut:
    """For HR admins, with a mandatory reason: approve (`nominated → active`), graduate or remove a
    member, set readiness (`ready_now`, `one_to_two_years`, `three_plus_years`) or a 9-box placement
    (performance × potential). Every placement is kept as history. Guarded by `If-Match` or a body
    `version`; every change audited with its reason."""
    member = await membership.update_member(
        session, principal, pool_id, member_id, body, clock, if_match=if_match
    )
    set_etag(response, member.version)
    [view] = await membership.member_views(session, principal.org_id, [member])
    return view


@router.get(
    "/talent-pools/{pool_id}/members/{member_id}/history",
    operation_id="list_talent_pool_member_history",
    summary="A member's status, readiness and 9-box changes, oldest first (who sees the member)",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def member_history(
    pool_id: uuid.UUID,
    member_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
) -> Page[MemberChangeOut]:
    """For whoever sees the member (HR admins, department heads in reach, the employee; not
    integration keys): every change of its status, readiness and 9-box placement, oldest
    first, with the reason, when and from where (`hr`, `dept_head`, `self`,
    `program`, `system`), cursor-paginated."""
    items, cursor = await history.member_history(session, principal, pool_id, member_id, page)
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/talent-pools/{pool_id}/nine-box",
    operation_id="get_talent_pool_nine_box",
    summary="The 9-box of the pool's nominated and active members in my reach",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def nine_box(
    pool_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> NineBoxOut:
    """For HR admins and department heads: the nine cells (high potential first) with the current
    placements of the pool's nominated and active members in the caller's reach, and who is not
    placed yet."""
    return await nine_boxes.nine_box(session, principal, pool_id)


# --- succession ---------------------------------------------------------------------------


@router.get(
    "/vacancies",
    operation_id="list_vacancies",
    summary="Vacancies (HR: all; department heads: their subtree's), newest first",
    tags=["succession"],
    responses=FORBIDDEN,
)
async def list_vacancies(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[VacancyStatus | None, Query(description="Only in this status.")] = None,
    position_id: Annotated[uuid.UUID | None, Query(description="Only this position's.")] = None,
) -> Page[VacancyOut]:
    """Vacancies, newest first, cursor-paginated: HR admins see all, department heads those in their
    subtree, others 403; filter by `status` or `position_id`. Vacancies also open automatically when
    the holder of a management post leaves or is promoted."""
    rows, cursor = await vacancies.list_vacancies(
        session, principal, page, status=status, position_id=position_id
    )
    return Page(
        items=await vacancies.vacancy_views(session, principal.org_id, rows), next_cursor=cursor
    )


@router.post(
    "/vacancies",
    operation_id="create_vacancy",
    summary="Open a vacancy on a position by hand (HR admin)",
    tags=["succession"],
    status_code=201,
    responses={
        **FORBIDDEN,
        **problem(409, "The position has an open vacancy"),
    },
)
async def create_vacancy(
    body: VacancyIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> VacancyOut:
    """For HR admins (department heads 403). Opens a vacancy on a position, in the position's
    department unless `department_id` is given; unknown position or department 422; a position with
    an open vacancy 409. Audited."""
    vacancy = await vacancies.create_vacancy(session, principal, body, clock)
    [view] = await vacancies.vacancy_views(session, principal.org_id, [vacancy])
    return view


@router.get(
    "/vacancies/{vacancy_id}",
    operation_id="get_vacancy",
    summary="One vacancy, with its appointment once filled",
    tags=["succession"],
    responses=NOT_FOUND,
)
async def get_vacancy(
    vacancy_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> VacancyOut:
    """One vacancy with its reason, state and, once filled, the appointment with the candidate entry
    as it was ranked then. HR admins, or department heads over its department; anyone else 404."""
    vacancy = await vacancies.get_vacancy(session, principal, vacancy_id)
    [view] = await vacancies.vacancy_views(session, principal.org_id, [vacancy])
    return view


@router.post(
    "/vacancies/{vacancy_id}/cancel",
    operation_id="cancel_vacancy",
    summary="Cancel an open vacancy: the post is abolished or was opened by mistake (HR admin)",
    tags=["succession"],
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def cancel_vacancy(
    vacancy_id: uuid.UUID,
    body: VacancyCancelIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    if_match: IfMatch = None,
) -> VacancyOut:
    """For HR admins. Cancels an open vacancy (409 otherwise) with a reason — the post is abolished
    or it was opened by mistake; it ranks nobody any more and the position may get a new vacancy.
    Honours `If-Match` or a body `version`; audited."""
    vacancy = await vacancies.cancel_vacancy(
        session, principal, vacancy_id, body, clock, if_match=if_match
    )
    [view] = await vacancies.vacancy_views(session, principal.org_id, [vacancy])
    return view


@router.get(
    "/vacancies/{vacancy_id}/candidates",
    operation_id="list_vacancy_candidates",
    summary="Active members of the pools targeting the position (and a competition's "
    "applicants), ranked, with each factor",
    tags=["succession"],
    responses=NOT_FOUND,
)
async def list_candidates(
    vacancy_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    clock: AppClock,
) -> Page[CandidateOut]:
    """The active members of the pools targeting the vacancy's position (or its job family) and,
    when it is open for internal competition, its open applications, one entry per employee,
    ranked by an explained score: per factor (readiness, review score and
    recommendation, 9-box, time in pool, program completion, competency match against the
    position's model) its weight, value, points and why; the competency match is not counted,
    and says why, without a model or an assessment. Cursor-paginated, for HR admins and
    department heads over the vacancy (who see the candidates in their reach with their overall
    rank); `eligible` means ready now, or an applicant who met the competition's rules."""
    items, cursor = await candidates.list_candidates(session, principal, vacancy_id, page, clock)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/vacancies/{vacancy_id}/appoint",
    operation_id="appoint_to_vacancy",
    summary="Appoint: promotion event, vacancy filled, membership appointed (HR admin)",
    tags=["succession"],
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        202: {
            "description": "The override awaits its approval (the organization's chain for "
            "`talent.appointment_override`): the vacancy stays open, `awaiting_approval` names it",
            "model": VacancyOut,
        },
        **problem(409, "The vacancy is filled or cancelled, or an appointment awaits approval"),
        **problem(422, "Not eligible and no `override_reason`"),
    },
)
async def appoint(
    vacancy_id: uuid.UUID,
    body: AppointmentIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> VacancyOut:
    """For HR admins. Appoints an employee to an open vacancy: records a promotion employment event
    (from which contracts drafts the amendment, with `pay_terms_ref` as the new pay band), fills
    the vacancy, marks the membership appointed and keeps the candidate entry as ranked at that
    moment. The post and the manager (`manager_id`) change on the effective date: at once when it
    has come, else by the hourly job on that date. The appointee's other memberships and programs
    in progress end as graduated, their program tasks are cancelled, and they are told (again
    when a later-dated move takes effect). An employee who is not an eligible candidate needs
    `override_reason` (422 without it); a filled or cancelled vacancy 409. All or nothing;
    audited. When the organization has a chain for `talent.appointment_override`, an appointment
    that needs an override answers 202: the vacancy stays open, `awaiting_approval` names the
    approval, and the appointment is made when its chain completes (409 for another appointment
    meanwhile)."""
    vacancy = await appointment.appoint(session, principal, vacancy_id, body, clock)
    [view] = await vacancies.vacancy_views(session, principal.org_id, [vacancy])
    if view.awaiting_approval is not None:
        response.status_code = 202
    return view


@router.get(
    "/me/vacancy-rankings",
    operation_id="list_my_vacancy_rankings",
    summary="Why I rank where I do for each open vacancy I am a candidate for (mine only)",
    tags=["succession"],
)
async def my_rankings(
    principal: CurrentPrincipal, session: DbSession, page: Pagination, clock: AppClock
) -> Page[MyRankingOut]:
    """The caller's own explanation (PIPL Art. 24): for every open vacancy they are a candidate for,
    their score, readiness, eligibility and each factor — never another candidate nor their rank.
    Cursor-paginated."""
    items, cursor = await candidates.my_rankings(session, principal, page, clock)
    return Page(items=items, next_cursor=cursor)


router.include_router(competition_routes.routes)

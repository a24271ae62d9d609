"""Talent pools: rules, screening preview, members and the 9-box."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.errors import Problem
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.talent import service
from hrcore.talent.models import MemberStatus
from hrcore.talent.schemas import (
    MemberOut,
    MemberPatch,
    NineBoxOut,
    Nomination,
    ScreenRequest,
    ScreenResult,
    TalentPoolIn,
    TalentPoolOut,
    TalentPoolPatch,
)

router = APIRouter(route_class=HrcoreRoute, tags=["talent pools"])

Responses = dict[int | str, dict[str, Any]]
_FORBIDDEN: Responses = {403: {"model": Problem, "description": "Not allowed to do this"}}
_NOT_FOUND: Responses = {404: {"model": Problem, "description": "Not found in your reach"}}
_STALE: Responses = {
    409: {"model": Problem, "description": "Stale `version`, or not possible in this state"},
    412: {"model": Problem, "description": "Stale `If-Match`"},
}


@router.get("/talent-pools", operation_id="list_talent_pools", summary="Talent pools")
async def list_pools(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    active: Annotated[bool | None, Query(description="Only open (true) or closed pools.")] = None,
) -> Page[TalentPoolOut]:
    rows, cursor = await service.list_pools(session, principal, page, active=active)
    return Page(items=await service.pool_views(session, rows), next_cursor=cursor)


@router.post(
    "/talent-pools",
    operation_id="create_talent_pool",
    summary="Create a talent pool with its screening rules (HR admin)",
    status_code=201,
    responses={**_FORBIDDEN, 409: {"model": Problem, "description": "The name is taken"}},
)
async def create_pool(
    body: TalentPoolIn, principal: CurrentPrincipal, session: DbSession, response: Response
) -> TalentPoolOut:
    pool = await service.create_pool(session, principal, body)
    set_etag(response, pool.version)
    [view] = await service.pool_views(session, [pool])
    return view


@router.get(
    "/talent-pools/{pool_id}",
    operation_id="get_talent_pool",
    summary="One talent pool",
    responses=_NOT_FOUND,
)
async def get_pool(
    pool_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> TalentPoolOut:
    pool = await service.get_pool(session, principal, pool_id)
    set_etag(response, pool.version)
    [view] = await service.pool_views(session, [pool])
    return view


@router.patch(
    "/talent-pools/{pool_id}",
    operation_id="update_talent_pool",
    summary="Change a talent pool or its rules (HR admin)",
    responses={**_FORBIDDEN, **_NOT_FOUND, **_STALE},
)
async def update_pool(
    pool_id: uuid.UUID,
    body: TalentPoolPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> TalentPoolOut:
    pool = await service.update_pool(session, principal, pool_id, body, if_match=if_match)
    set_etag(response, pool.version)
    [view] = await service.pool_views(session, [pool])
    return view


@router.post(
    "/talent-pools/{pool_id}/screen",
    operation_id="screen_talent_pool",
    summary="Preview who the rules find, with each rule's value and verdict (writes nothing)",
    responses={**_FORBIDDEN, **_NOT_FOUND},
)
async def screen(
    pool_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    body: ScreenRequest | None = None,
) -> ScreenResult:
    return await service.screen(session, principal, pool_id, body or ScreenRequest(), clock)


@router.get(
    "/talent-pools/{pool_id}/members",
    operation_id="list_talent_pool_members",
    summary="Members I may see (HR: all; department heads: their reach; others: themself)",
    responses=_NOT_FOUND,
)
async def list_members(
    pool_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[
        MemberStatus | None, Query(description="Only members in this status.")
    ] = None,
) -> Page[MemberOut]:
    rows, cursor = await service.list_members(session, principal, pool_id, page, status=status)
    return Page(
        items=await service.member_views(session, principal.org_id, rows), next_cursor=cursor
    )


@router.post(
    "/talent-pools/{pool_id}/members",
    operation_id="nominate_talent_pool_member",
    summary="Nominate an employee (HR; department heads in their subtree; anyone themself)",
    status_code=201,
    responses={
        **_FORBIDDEN,
        **_NOT_FOUND,
        409: {"model": Problem, "description": "Already a member, or the pool is closed"},
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
    member = await service.nominate(session, principal, pool_id, body, clock)
    set_etag(response, member.version)
    [view] = await service.member_views(session, principal.org_id, [member])
    return view


@router.patch(
    "/talent-pools/{pool_id}/members/{member_id}",
    operation_id="update_talent_pool_member",
    summary="Approve, graduate or remove; readiness; 9-box placement (HR admin, with a reason)",
    responses={**_FORBIDDEN, **_NOT_FOUND, **_STALE},
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
    member = await service.update_member(
        session, principal, pool_id, member_id, body, clock, if_match=if_match
    )
    set_etag(response, member.version)
    [view] = await service.member_views(session, principal.org_id, [member])
    return view


@router.get(
    "/talent-pools/{pool_id}/nine-box",
    operation_id="get_talent_pool_nine_box",
    summary="The 9-box of the pool's nominated and active members in my reach",
    responses={**_FORBIDDEN, **_NOT_FOUND},
)
async def nine_box(
    pool_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> NineBoxOut:
    return await service.nine_box(session, principal, pool_id)

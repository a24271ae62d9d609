"""Privacy requests' routes (`/privacy-requests`) and the organization's privacy deadlines
(`/privacy-settings`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, STALE
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.privacy import requests, requests_settings
from hrcore.privacy.requests_schemas import (
    PrivacyRequestIn,
    PrivacyRequestOut,
    PrivacyRequestStatus,
    PrivacyResolution,
    PrivacySettingsIn,
    PrivacySettingsOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])

StatusFilter = Annotated[PrivacyRequestStatus | None, Query(description="Only in this status.")]


@router.post(
    "/privacy-requests",
    operation_id="file_privacy_request",
    summary="Ask to correct, delete or copy my personal information, or object to its processing",
    status_code=status.HTTP_201_CREATED,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def file_request(
    body: PrivacyRequestIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> PrivacyRequestOut:
    """The caller's request about their own data (404 for an account not linked to an
    employee; integration keys 403). Due within the organization's deadline in working days
    (`/privacy-settings`, 15 by default) on its work calendar; it becomes a confidential task
    for HR (`privacy.request`, reminded and escalated as every task) and every HR admin is
    told in the inbox. Audited."""
    return await requests.file_request(session, principal, body, clock)


@router.get(
    "/privacy-requests",
    operation_id="list_privacy_requests",
    summary="Privacy requests (HR: all; others: their own)",
    responses=FORBIDDEN,
)
async def list_requests(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: StatusFilter = None,
) -> Page[PrivacyRequestOut]:
    """Newest first, cursor-paginated: HR admins read the organization's, anyone else their
    own. Integration keys: 403."""
    return await requests.list_requests(session, principal, status, page)


@router.get(
    "/privacy-requests/{request_id}",
    operation_id="get_privacy_request",
    summary="One privacy request",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_request(
    request_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> PrivacyRequestOut:
    """HR admins and the person who asked; 404 for anyone else."""
    return await requests.get_request(session, principal, request_id)


@router.post(
    "/privacy-requests/{request_id}/resolve",
    operation_id="resolve_privacy_request",
    summary="Resolve a privacy request: done, or refused with the reason (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def resolve(
    request_id: uuid.UUID,
    body: PrivacyResolution,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> PrivacyRequestOut:
    """For HR admins (the person who asked: 403; anyone else 404). An open request only
    (409); `refused` needs its `reason` (422) — e.g. records the law requires to keep. A
    deletion under a legal hold is not done (409 with the hold's reason). Completes HR's
    task and tells the person in the inbox. Audited."""
    return await requests.resolve(session, principal, request_id, body, clock)


@router.get(
    "/privacy-settings",
    operation_id="get_privacy_settings",
    summary="The organization's privacy deadlines (HR admin)",
    responses=FORBIDDEN,
)
async def get_settings(
    principal: CurrentPrincipal, session: DbSession, response: Response
) -> PrivacySettingsOut:
    """For HR admins: working days to answer a privacy request and days an own-data export
    stays downloadable — the defaults (15 and 7, `version` 0) until HR sets them. Its `ETag`
    serves `If-Match` on the replacement."""
    found = await requests_settings.read(session, principal)
    set_etag(response, found.version)
    return found


@router.put(
    "/privacy-settings",
    operation_id="replace_privacy_settings",
    summary="Replace the organization's privacy deadlines (HR admin)",
    responses={**FORBIDDEN, **STALE},
)
async def replace_settings(
    body: PrivacySettingsIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> PrivacySettingsOut:
    """For HR admins signed in as users. Both deadlines at once (a request's deadline at most
    15 working days, as the law allows); requests already made keep their due date, exports
    already built their expiry. Audited."""
    found = await requests_settings.replace(session, principal, body, if_match=if_match)
    set_etag(response, found.version)
    return found

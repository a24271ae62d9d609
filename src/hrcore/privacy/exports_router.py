"""Own-data exports' routes (`/me/data-exports`): start, list, status, download."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.pdf import content_disposition
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.privacy import exports
from hrcore.privacy.exports_schemas import DataExportFormat, DataExportOut

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])

FormatQuery = Annotated[
    DataExportFormat, Query(description="`json` (machine-readable) or `pdf` (readable).")
]


@router.post(
    "/me/data-exports",
    operation_id="start_my_data_export",
    summary="Export everything hrcore holds about me",
    status_code=status.HTTP_202_ACCEPTED,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def start(principal: CurrentPrincipal, session: DbSession, clock: AppClock) -> DataExportOut:
    """The caller's own data (404 for an account without an employee record; integration
    keys 403): the worker gathers the panoramic profile as they see it and every section a
    domain keeps about them (review results without raters, goals, check-ins, competencies,
    mentoring, points, contracts, tasks, consents, privacy requests), as JSON and a PDF in
    the caller's language, and tells them in the inbox. One pending export at a time (409).
    Audited."""
    return await exports.start(session, principal, clock)


@router.get(
    "/me/data-exports",
    operation_id="list_my_data_exports",
    summary="My data exports",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_exports(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[DataExportOut]:
    """The caller's exports, newest first, with their status and expiry."""
    return await exports.list_exports(session, principal, page)


@router.get(
    "/me/data-exports/{export_id}",
    operation_id="get_my_data_export",
    summary="One of my data exports",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_export(
    export_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> DataExportOut:
    """The caller's own export only: 404 for anyone else's, HR included."""
    return DataExportOut.model_validate(await exports.own_export(session, principal, export_id))


@router.get(
    "/me/data-exports/{export_id}/download",
    operation_id="download_my_data_export",
    summary="Download one of my data exports",
    response_class=Response,
    responses={
        200: {
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "The export as JSON or PDF.",
        },
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "The export is not ready"),
        **problem(410, "The export expired"),
    },
)
async def download(
    export_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    runtime: AppRuntime,
    format: FormatQuery = DataExportFormat.JSON,
) -> Response:
    """The caller's own export only (404 for anyone else's, HR included), once ready (409
    before) and until it expires (410 after; the organization's `export_link_days`, 7 by
    default). Audited."""
    content, media, name = await exports.download(
        session, principal, export_id, format, clock, runtime.settings
    )
    return Response(
        content,
        media_type=media,
        headers={
            "Content-Disposition": content_disposition(name, name),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )

"""Exports' routes (`/exports`): request one, list mine, its status, download it."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from hrcore.analytics import exports
from hrcore.analytics.exports_schemas import SpreadsheetExportIn, SpreadsheetExportOut
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.pdf import content_disposition
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, problem
from hrcore.core.spreadsheets import MEDIA_TYPES, SheetFormat
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])


@router.post(
    "/exports",
    operation_id="request_export",
    summary="Export a list as CSV or XLSX, built in the worker",
    status_code=status.HTTP_202_ACCEPTED,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def request_export(
    body: SpreadsheetExportIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> SpreadsheetExportOut:
    """A list's rows (`analytics_people`: a figure's drill-down, with its filters) as CSV
    or XLSX, for lists too long to stream at once. Checked now as the list would be: a
    department beyond the caller's reach or an unknown figure 404, a reader of no analytics
    403, a bad step or window 422. The worker writes it in the caller's scope and language
    (headers too); poll `/exports/{id}`, then download it. Integration keys 403. Audited."""
    return await exports.request(session, principal, body, clock)


@router.get(
    "/exports",
    operation_id="list_my_exports",
    summary="My exports",
    responses=FORBIDDEN,
)
async def list_exports(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[SpreadsheetExportOut]:
    """The exports the caller asked for, newest first, with their status and expiry."""
    return await exports.list_mine(session, principal, page)


@router.get(
    "/exports/{export_id}",
    operation_id="get_my_export",
    summary="One of my exports",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_export(
    export_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> SpreadsheetExportOut:
    """The caller's own export only: 404 for anyone else's, HR included."""
    return SpreadsheetExportOut.model_validate(
        await exports.own_export(session, principal, export_id)
    )


@router.get(
    "/exports/{export_id}/download",
    operation_id="download_my_export",
    summary="Download one of my exports",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                MEDIA_TYPES[SheetFormat.XLSX]: {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "The export's file.",
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
) -> Response:
    """The caller's own export only (404 for anyone else's, HR included), once ready (409
    before) and until it expires (410 after; seven days). Audited."""
    content, media, name = await exports.download(
        session, principal, export_id, clock, runtime.settings
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

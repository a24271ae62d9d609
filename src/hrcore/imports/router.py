"""Bulk imports over HTTP."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppRuntime
from hrcore.core.http import HrcoreRoute
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.imports import employees, service
from hrcore.imports.schemas import ImportOut

router = APIRouter(route_class=HrcoreRoute, tags=["imports"])

FORMAT = """CSV (UTF-8 or GB18030) or XLSX, first sheet, header row first. Columns:
`employee_number`, `full_name`, `department` (code, or path of names from the top such as
`Headquarters/Sales/East`), `hire_date` (YYYY-MM-DD) — required; `email`, `phone`,
`position_code`, `manager_number` (in the file or already employed), `status`
(active | on_leave | exited), and any `rating:<period>` columns (`rating:2024` → A–D or 1–5).
Every row is checked; if any row fails, nothing is imported and every error is listed.
Files with more rows than HRCORE_IMPORT_INLINE_MAX_ROWS are imported in the background
(202): poll the import for progress."""


@router.post(
    "/imports/employees",
    operation_id="import_employees",
    summary="Import employees from CSV or XLSX (HR admin)",
    description=FORMAT,
    status_code=status.HTTP_201_CREATED,
    responses={202: {"model": ImportOut, "description": "Queued: large file"}},
)
async def import_employees(
    file: Annotated[UploadFile, File(description="The CSV or XLSX file.")],
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
    response: Response,
) -> ImportOut:
    job = await service.start(
        session,
        principal,
        kind=employees.EMPLOYEES.kind,
        filename=file.filename or "upload",
        content=await file.read(),
        inline_max_rows=runtime.settings.import_inline_max_rows,
        clock=runtime.clock,
    )
    if job.status == "queued":
        response.status_code = status.HTTP_202_ACCEPTED
    response.headers["Location"] = f"/api/v1/imports/{job.id}"
    return ImportOut.model_validate(job)


@router.get(
    "/imports/{import_id}",
    operation_id="get_import",
    summary="An import: status, progress and row errors",
)
async def get_import(
    import_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, runtime: AppRuntime
) -> ImportOut:
    """For HR admins (anyone else gets 404): an import's status, rows processed and every row
    error. Poll it after a 202: an import whose worker stopped answering is marked failed rather
    than left running."""
    stall = timedelta(minutes=runtime.settings.import_stall_minutes)
    job = await service.get(session, principal, import_id, clock=runtime.clock, stall=stall)
    return ImportOut.model_validate(job)

"""Observations from sources other than the batch endpoint, over HTTP: CSV/XLSX files
through the imports flow."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppRuntime
from hrcore.core.http import HrcoreRoute
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.imports import api as imports
from hrcore.performance import observation_import

router = APIRouter(route_class=HrcoreRoute, tags=["performance"])

OBSERVATIONS_FORMAT = """CSV (UTF-8 or GB18030) or XLSX, first sheet, header row first, one
row per observation. Columns: `indicator`, `value`, `observed_at` (YYYY-MM-DD or an ISO 8601
moment; without a zone, the organization's local time), `external_id` — required; exactly
one of `employee_number` and `department` (code, or path of names such as `Sales/East`) per
row; `source` (`import` when left out). Each row is checked as `POST /metric-observations`
checks an item, with the same reasons; if any row fails, nothing is written and every error
is listed. A row already stored is left as it is, a changed value is a correction (the next
revision, audited); `created_rows` counts the rows recorded or corrected. Files with more
rows than HRCORE_IMPORT_INLINE_MAX_ROWS are imported in the background (202): poll
`/imports/{id}`."""


@router.post(
    "/imports/metric-observations",
    operation_id="import_metric_observations",
    summary="Import metric observations from CSV or XLSX (HR admin)",
    description=OBSERVATIONS_FORMAT,
    status_code=status.HTTP_201_CREATED,
    tags=["imports"],
    responses={202: {"model": imports.ImportOut, "description": "Queued: large file"}},
)
async def import_metric_observations(
    file: Annotated[UploadFile, File(description="The CSV or XLSX file.")],
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
    response: Response,
) -> imports.ImportOut:
    """HR admins: observations checked and written through the import flow every import kind
    shares and the batch endpoint's use case (see the format above)."""
    job = await imports.start(
        session,
        principal,
        runtime,
        kind=observation_import.KIND,
        filename=file.filename or "upload",
        content=await file.read(),
    )
    if job.status == "queued":
        response.status_code = status.HTTP_202_ACCEPTED
    response.headers["Location"] = f"/api/v1/imports/{job.id}"
    return job

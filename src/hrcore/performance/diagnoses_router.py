"""Diagnoses over HTTP: `/diagnoses`, `/diagnoses/{id}` (JSON or PDF) and
`/diagnoses/{id}/resolve`."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response

from hrcore.core import pdf
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, Pagination
from hrcore.core.http import HrcoreRoute, prefers_over_json
from hrcore.core.i18n import _
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.performance import diagnoses
from hrcore.performance.diagnoses_schemas import DiagnosisOut, DiagnosisResolveIn

router = APIRouter(route_class=HrcoreRoute, tags=["performance"])
PDF = "application/pdf"


@router.get(
    "/diagnoses",
    operation_id="list_diagnoses",
    summary="Diagnoses 「根因分析」 of departments below target, newest first",
    response_model=Page[DiagnosisOut],
    responses=FORBIDDEN,
)
async def list_diagnoses(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[
        Literal["open", "resolved"] | None, Query(description="Only open or resolved ones.")
    ] = None,
) -> Page[DiagnosisOut]:
    """For HR admins and keys with `ratings:read` (every department) and department heads
    (theirs and those under it); other users 403."""
    return await diagnoses.listed(session, principal, page, status)


@router.get(
    "/diagnoses/{diagnosis_id}",
    operation_id="get_diagnosis",
    summary="A diagnosis with its bundle, as JSON or (Accept: application/pdf) a PDF",
    response_model=DiagnosisOut,
    responses=NOT_FOUND
    | {200: {"content": {PDF: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def get_diagnosis(
    diagnosis_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
    accept: Annotated[str | None, Header()] = None,
) -> DiagnosisOut | Response:
    """For HR admins, `ratings:read` keys and the heads of the department or above (404
    otherwise): the indicator's series against target, the department's other indicators
    and its team's mean scores, and once resolved the root cause and the action plan.
    `Accept: application/pdf` renders the same content as a PDF (`core.pdf`)."""
    view = await diagnoses.diagnosis(session, principal, diagnosis_id)
    if not prefers_over_json(accept, PDF):
        return view
    content = await asyncio.to_thread(
        pdf.render_pdf,
        diagnoses.bundle_text(view),
        font_path=pdf.font_path(runtime.settings),
        title=str(
            _(
                "Diagnosis: {department}, {indicator}",
                department=view.department.name,
                indicator=view.indicator_name,
            )
        ),
        created_at=view.opened_at,
    )
    return Response(
        content,
        media_type=PDF,
        headers={
            "Content-Disposition": pdf.content_disposition(
                f"{view.department.name}-{view.indicator}.pdf", f"diagnosis-{view.id}.pdf"
            )
        },
    )


@router.post(
    "/diagnoses/{diagnosis_id}/resolve",
    operation_id="resolve_diagnosis",
    summary="Record the root cause and the action plan of a diagnosis",
    response_model=DiagnosisOut,
    responses=NOT_FOUND | CONFLICT,
)
async def resolve_diagnosis(
    diagnosis_id: uuid.UUID,
    body: DiagnosisResolveIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> DiagnosisOut:
    """For the heads of the department or above and HR admins: the root cause (`market`,
    `resources`, `team_capability`, `process`, `other`, and the text) and the action plan,
    each item a task (for its `assignee_employee_id`, by default the caller); the head's
    diagnosis task is done. 409 when already resolved; audited."""
    return await diagnoses.resolve(session, principal, diagnosis_id, body, clock)

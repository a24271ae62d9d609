"""Competencies over HTTP: the library, the models per position, evidence, profiles, gaps,
the heat map; stretch assignments' (`stretch_routes`) and development plans' (`plan_router`)
routes follow them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Query, Response, UploadFile, status

from hrcore.competencies import (
    evidence,
    gaps,
    heatmap,
    library,
    library_import,
    plan_router,
    position_models,
    profiles,
    stretch_routes,
)
from hrcore.competencies.schemas import (
    CompetencyGapsOut,
    CompetencyIn,
    CompetencyModelIn,
    CompetencyModelOut,
    CompetencyOut,
    CompetencyPatch,
    CompetencyProfileOut,
    CompetencyRevisionOut,
    EvidenceIn,
    EvidenceOut,
    HeatmapOut,
)
from hrcore.core.authz import own_employee_id
from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.core.template_routes import Summaries, TemplateRoutes, add_template_routes
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.imports import api as imports

router = APIRouter(route_class=HrcoreRoute, tags=["competencies"])

add_template_routes(
    router,
    TemplateRoutes(
        path="/competencies",
        noun="competency",
        rules=library.RULES,
        body=CompetencyIn,
        patch=CompetencyPatch,
        output=CompetencyOut,
        revision=CompetencyRevisionOut,
        principal=CurrentPrincipal,
        summaries=Summaries(
            list="The organization's competency library",
            create="Add a competency: category, description, levels with behavioural "
            "indicators (HR admin)",
            get="One competency with its levels",
            update="Replace a competency's content as a new revision (HR admin)",
            list_revisions="Every revision of a competency, oldest first",
            get_revision="A competency as it was at one revision",
        ),
        descriptions={
            "list": "Every member of the organization: its competencies at their current "
            "revision (category, description, levels 1..N with behavioural indicators), "
            "cursor-paginated.",
            "get": "Every member of the organization: one competency at its current revision; "
            "another organization's is 404. Its `ETag` serves `If-Match` on the update.",
        },
    ),
)

LIBRARY_FORMAT = """CSV (UTF-8 or GB18030) or XLSX, first sheet, header row first, one row
per level of a competency. Columns: `name`, `category` (management | professional |
general), `level` (1, 2, … without gaps, at most 10), `level_name` — required;
`description`, `indicators` (behavioural indicators, several separated by line breaks or
semicolons). The rows of one name make one competency; its category and description may be
given on any of its rows but must not differ. A name the library has is revised (a new
revision; unchanged content writes nothing), a new one created; `created_rows` counts the
competencies written. Every row is checked; if any fails, nothing is written and every error
is listed. Files with more rows than HRCORE_IMPORT_INLINE_MAX_ROWS are imported in the
background (202): poll `/imports/{id}`."""


@router.post(
    "/imports/competencies",
    operation_id="import_competencies",
    summary="Import the competency library from CSV or XLSX (HR admin)",
    description=LIBRARY_FORMAT,
    status_code=status.HTTP_201_CREATED,
    tags=["imports"],
    responses={202: {"model": imports.ImportOut, "description": "Queued: large file"}},
)
async def import_competencies(
    file: Annotated[UploadFile, File(description="The CSV or XLSX file.")],
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
    response: Response,
) -> imports.ImportOut:
    """HR admins: the library's competencies, one row per level, checked and written through
    the import flow every import kind shares (see the format above)."""
    job = await imports.start(
        session,
        principal,
        runtime,
        kind=library_import.KIND,
        filename=file.filename or "upload",
        content=await file.read(),
    )
    if job.status == "queued":
        response.status_code = status.HTTP_202_ACCEPTED
    response.headers["Location"] = f"/api/v1/imports/{job.id}"
    return job


DepartmentVariant = Annotated[
    uuid.UUID | None,
    Query(description="The department's variant of the model; leave out for the general one."),
]


@router.get(
    "/positions/{position_id}/competency-model",
    operation_id="get_competency_model",
    summary="What a position needs: a required level and a weight per competency",
    response_model=CompetencyModelOut,
    responses=NOT_FOUND,
)
async def get_competency_model(
    position_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    department_id: DepartmentVariant = None,
    version: Annotated[
        int | None,
        Query(ge=1, le=2**31 - 1, description="An earlier version; the newest if left out."),
    ] = None,
) -> CompetencyModelOut:
    """Every member of the organization. With `department_id`, that department's variant
    when it has one, else the position's general model (`department_id` null in the answer
    says which). The newest version unless `version` names another; 404 for a position or
    department of another organization and for a position without a model. `ETag` is the
    version, for `If-Match` on the replacement."""
    model = await position_models.read_model(
        session, principal, position_id, department_id, version
    )
    set_etag(response, model.version)
    return model


@router.put(
    "/positions/{position_id}/competency-model",
    operation_id="replace_competency_model",
    summary="Save a position's competency model as its next version (HR admin)",
    response_model=CompetencyModelOut,
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def replace_competency_model(
    position_id: uuid.UUID,
    body: CompetencyModelIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    department_id: DepartmentVariant = None,
    if_match: IfMatch = None,
) -> CompetencyModelOut:
    """For HR admins: the whole list of competencies, each with a required level within its
    levels and a weight (weights sum to 100; 422 naming the field), saved as the next version
    of the position's general model or of one department's variant; earlier versions stay
    readable with `?version=`. A competency, position or department of another organization
    is 404; a stale `If-Match` 412, a stale body `version` 409. Audited."""
    model = await position_models.replace_model(
        session, principal, position_id, department_id, body, if_match=if_match
    )
    set_etag(response, model.version)
    return model


@router.delete(
    "/positions/{position_id}/competency-model",
    operation_id="delete_competency_model_version",
    summary="Delete one version of a position's competency model unless it is in use (HR admin)",
    status_code=204,
    responses={**FORBIDDEN, **NOT_FOUND, **problem(409, "The version is in use")},
)
async def delete_competency_model_version(
    position_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    version: Annotated[int, Query(ge=1, le=2**31 - 1, description="The version to delete.")],
    department_id: DepartmentVariant = None,
) -> None:
    """An extension beside the binding paths, for HR admins: deletes one version of the
    position's general model or of a department's variant. 409 naming every use while
    something goes by it — a talent pool aiming at the position uses the newest version — and
    404 for a version, position or department the organization does not have. Deleting the
    newest version makes the one before it current. Audited."""
    await position_models.delete_version(session, principal, position_id, department_id, version)


@router.post(
    "/competency-evidence",
    operation_id="record_competency_assessment",
    summary="Record a manual competency assessment with a note (HR, managers, department heads)",
    status_code=201,
    response_model=EvidenceOut,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def record_competency_assessment(
    body: EvidenceIn, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> EvidenceOut:
    """HR admins assess anyone; a manager or department head only the people in their reach
    (404 outside it, 403 on oneself). The value (0–10) and its note become evidence of kind
    `manual`; the employee's profile is recomputed in the background. A competency of another
    organization is 404; an `observed_at` in the future 422. Audited."""
    return await evidence.assess(session, principal, body, clock)


@router.get(
    "/employees/{employee_id}/competency-profile",
    operation_id="get_competency_profile",
    summary="An employee's competency profile 「能力画像」, explained, with its history",
    response_model=CompetencyProfileOut,
    responses=NOT_FOUND,
)
async def get_competency_profile(
    employee_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, runtime: AppRuntime
) -> CompetencyProfileOut:
    """For whoever may see the employee (themself, their managers, department head, HR; 404
    otherwise): 0–10 per competency as last recomputed from the evidence, each with the
    evidence behind it, the weight each counted with and how many sources, and the history of
    recomputes that changed a figure (newest first). Empty before any evidence."""
    return await profiles.read_profile(session, principal, employee_id, runtime.settings)


@router.get(
    "/me/competency-profile",
    operation_id="get_my_competency_profile",
    summary="My competency profile 「能力画像」, explained, with its history",
    response_model=CompetencyProfileOut,
    responses=NOT_FOUND,
)
async def get_my_competency_profile(
    principal: CurrentPrincipal, session: DbSession, runtime: AppRuntime
) -> CompetencyProfileOut:
    """The caller's own profile, as `/employees/{id}/competency-profile` gives it; 404 for an
    account not linked to an employee."""
    return await profiles.read_profile(
        session, principal, own_employee_id(principal), runtime.settings
    )


@router.get(
    "/employees/{employee_id}/competency-gaps",
    operation_id="get_competency_gaps",
    summary="An employee against a position's competency model: gaps and attainment 「达标」",
    response_model=CompetencyGapsOut,
    responses={**NOT_FOUND, **problem(422, "The employee has no position")},
)
async def get_competency_gaps(
    employee_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    position_id: Annotated[
        uuid.UUID | None,
        Query(description="The position to compare with; the employee's own if left out."),
    ] = None,
) -> CompetencyGapsOut:
    """For whoever may see the employee (404 otherwise): per competency of the position's
    model (the variant of the employee's department when there is one) the required level, on
    the profile's 0–10 scale, the current score, the gap and whether it is met; `attained`
    「达标」 when every required level is met, `match` the weighted share met, and the model
    version it was measured against. 422 when the employee has no position and none is named;
    404 for another organization's position or one without a model."""
    return await gaps.gaps(session, principal, employee_id, position_id)


@router.get(
    "/departments/{department_id}/competency-heatmap",
    operation_id="get_competency_heatmap",
    summary="A department's competency heat map 「能力热力图」: competency × people in scope",
    response_model=HeatmapOut,
    responses=NOT_FOUND,
)
async def get_competency_heatmap(
    department_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    position_id: Annotated[
        uuid.UUID | None,
        Query(description="Measure everyone against this position; each their own if left out."),
    ] = None,
    include_subdepartments: Annotated[
        bool, Query(description="Also the people of the departments below it.")
    ] = False,
) -> HeatmapOut:
    """HR admins any department; a department head those in their scope; a manager the people
    of theirs in it; 404 otherwise and for another organization's department. Rows are the
    active people (paged, by name), each measured against their own position's model — or
    `position_id`'s — in their department's variant when there is one, as the gap analysis
    does: per competency the required level on the 0–10 scale, the current score, the gap and
    whether it is met. The columns give, over everyone in scope, the mean score and the share
    who meet it. 404 for a named position of another organization or without a model."""
    return await heatmap.heatmap(
        session,
        principal,
        department_id,
        position_id=position_id,
        include_subdepartments=include_subdepartments,
        page=page,
    )


router.include_router(stretch_routes.routes)
router.include_router(plan_router.router)

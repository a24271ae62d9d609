"""Competencies over HTTP: the library, the models per position, evidence, profiles and
gaps; development plans' routes (`plan_router`) follow them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.competencies import evidence, gaps, library, plan_router, position_models, profiles
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
)
from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.core.template_routes import Summaries, TemplateRoutes, add_template_routes
from hrcore.identity.dependencies import CurrentPrincipal

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
    employee_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> CompetencyProfileOut:
    """For whoever may see the employee (themself, their managers, department head, HR; 404
    otherwise): 0–10 per competency as last recomputed from the evidence, each with the
    evidence behind it, the weight each counted with and how many sources, and the history of
    recomputes that changed a figure (newest first). Empty before any evidence."""
    return await profiles.read_profile(session, principal, employee_id)


@router.get(
    "/me/competency-profile",
    operation_id="get_my_competency_profile",
    summary="My competency profile 「能力画像」, explained, with its history",
    response_model=CompetencyProfileOut,
    responses=NOT_FOUND,
)
async def get_my_competency_profile(
    principal: CurrentPrincipal, session: DbSession
) -> CompetencyProfileOut:
    """The caller's own profile, as `/employees/{id}/competency-profile` gives it; 404 for an
    account not linked to an employee."""
    return await profiles.read_profile(session, principal, profiles.own_employee(principal))


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


router.include_router(plan_router.router)

"""`GET /training-needs`: the needs analysis 「培训需求分析」 of a department or a person."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from hrcore.core.db import DbSession
from hrcore.core.dependencies import Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, validated_json
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.training import needs
from hrcore.training.needs_schemas import TrainingNeedsOut

router = APIRouter(route_class=HrcoreRoute)


@router.get(
    "/training-needs",
    operation_id="get_training_needs",
    summary="Training needs 「培训需求分析」 of a department or a person, with evidence, courses",
    response_model=TrainingNeedsOut,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_training_needs(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    department_id: Annotated[
        uuid.UUID | None,
        Query(description="Analyse this department and the departments below it."),
    ] = None,
    employee_id: Annotated[uuid.UUID | None, Query(description="Analyse this person.")] = None,
    review_threshold: Annotated[
        int, Query(ge=1, le=100, description="A review item scored under this (0–100) is a need.")
    ] = needs.DEFAULTS.review,
    common_min_people: Annotated[
        int,
        Query(ge=2, le=100_000, description="A competency this many people share is common."),
    ] = needs.DEFAULTS.min_people,
    common_min_percent: Annotated[
        int,
        Query(
            ge=1,
            le=100,
            description="…or this share (percent) of the people analysed, at least two.",
        ),
    ] = needs.DEFAULTS.min_percent,
) -> Response:
    """Needs drawn from data, per competency: requirements of the person's position's
    competency model not met, items of their newest published review result that name a
    competency and scored under `review_threshold` (the published figure, never a rater's
    answer), and requirements of the model of the position their career plan aims at. Each
    need has its evidence (source, value and threshold on 0–100), its people and the active
    courses tagged with the competency — never proposed to someone who passed the course.

    Name exactly one of `department_id` (its subtree's active people; HR admins any, a
    department head one in their scope: 403 for others, 404 outside the scope, for an
    unknown department or another organization's) and `employee_id` (HR, the person's
    managers and department head, the person: 404 otherwise); both or neither is 422. In a
    department a competency shared by `common_min_people` people, or by
    `common_min_percent` % of them (at least two), is one common need with its count and
    average score; common needs come first (most people first), then individual ones.
    Paged over the needs."""
    analysed = await needs.analyse(
        session,
        principal,
        department_id=department_id,
        employee_id=employee_id,
        thresholds=needs.Thresholds(review_threshold, common_min_people, common_min_percent),
        page=page,
    )
    return validated_json(analysed)

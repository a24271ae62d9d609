"""Mentor suggestions for a mentee in a program (`/mentoring-programs/{id}/mentor-suggestions`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from hrcore.core.db import DbSession
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.mentoring import suggestions
from hrcore.mentoring.suggestion_schemas import MentorSuggestionsOut

router = APIRouter(route_class=HrcoreRoute, tags=["mentoring"])


@router.get(
    "/mentoring-programs/{program_id}/mentor-suggestions",
    operation_id="suggest_mentors",
    summary="The program's mentors ranked for a mentee, explained",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def suggest_mentors(
    program_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    mentee_id: Annotated[uuid.UUID, Query(description="The employee to find a mentor for.")],
    limit: Annotated[int, Query(ge=1, le=100, description="How many mentors to show.")] = 20,
    available_only: Annotated[
        bool, Query(description="Leave out mentors at capacity (else they rank last).")
    ] = False,
) -> MentorSuggestionsOut:
    """For HR admins and whoever has the mentee in reach but the mentee (their manager, the
    department head): 404 otherwise, 403 for integration keys. The program's qualifying mentors
    (never the mentee, never a flagged mentor) scored by the program's `suggestion_weights`: their
    strengths on the mentee's competency gaps, closeness in the department tree and room left;
    each term's share and score shown, full mentors last. A mentee not active or outside the
    program's departments is 422."""
    return await suggestions.suggest(
        session,
        principal,
        program_id,
        mentee_id,
        limit=limit,
        available_only=available_only,
    )

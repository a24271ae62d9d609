"""HTTP of a mentor's effectiveness."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from hrcore.core.db import DbSession
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.mentoring import effectiveness_reading
from hrcore.mentoring.effectiveness_schemas import MentorEffectivenessOut

router = APIRouter(route_class=HrcoreRoute, tags=["mentoring"])


@router.get(
    "/mentors/{mentor_id}/effectiveness",
    operation_id="get_mentor_effectiveness",
    summary="A mentor's effectiveness score, explained",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_effectiveness(
    mentor_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> MentorEffectivenessOut:
    """For the mentor, their manager and HR admins (anyone else 404; integration keys 403). The
    score (0–100) as the worker last computed it — after a session, a survey answer, a pairing's
    end, and nightly — with each part's value, 0–100 score, weight, contribution and what it was
    counted over, and the pairings behind it (gains, goals reached, promotion). Survey figures
    only pooled over at least the anonymity threshold of mentees; the mentor does not see
    whether a mentee is a high performer."""
    return await effectiveness_reading.mentor_effectiveness(session, principal, mentor_id)

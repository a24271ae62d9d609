"""Published results' peer figures for the domains that turn them into data of their own
(performance's "teamwork" indicator).

Publication announces itself (`RESULT_PUBLISHED`, `core.events`, ids only) so a listener
above reviews reacts in the worker without reviews knowing it. What the listener reads is
the stored result, never an answer: per indicator, the peer group's mean score (0–100) and
how many peers rated it, and only where at least `threshold` peers did — the aggregation
already left smaller groups out, the check keeps a single peer's answer out even if the
threshold was lower when the cycle was aggregated.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.reviews import repository
from hrcore.reviews.models import ReviewTemplate

RESULT_PUBLISHED = "review_result.published"
"""Emitted when HR publishes a result; payload `result_id`, `published_by` (the HR user)."""

PEER = "peer"


@dataclass(frozen=True)
class PeerFigure:
    score: float
    raters: int


@dataclass(frozen=True)
class PeerRatings:
    """A published result's peer figures by form indicator key (those below the threshold
    left out)."""

    result_id: uuid.UUID
    employee_id: uuid.UUID
    template_id: uuid.UUID
    published_at: datetime
    indicators: dict[str, PeerFigure]


async def published_peer_ratings(
    session: AsyncSession, org_id: uuid.UUID, result_id: uuid.UUID, *, threshold: int
) -> PeerRatings | None:
    """The result's peer figures, or None when it is not (or no longer) published."""
    result = await repository.result_by_id(session, org_id, result_id)
    if result is None or result.status != "published" or result.published_at is None:
        return None
    cycle = await repository.cycle_by_id(session, org_id, result.cycle_id)
    assert cycle is not None, "a result's cycle outlives it"
    shown = {}
    for key, figure in result.scores.get("indicators", {}).items():
        peers = figure.get("groups", {}).get(PEER)
        if peers is not None and peers["raters"] >= threshold:
            shown[key] = PeerFigure(float(peers["score"]), int(peers["raters"]))
    return PeerRatings(result.id, result.employee_id, cycle.template_id, result.published_at, shown)


async def template_indicator_keys(
    session: AsyncSession, org_id: uuid.UUID, template_id: uuid.UUID
) -> set[str] | None:
    """The indicator keys of a review form's current revision (None: no such form in the
    organization)."""
    template = await session.get(ReviewTemplate, template_id)
    if template is None or template.org_id != org_id:
        return None
    return {indicator["key"] for indicator in template.indicators}

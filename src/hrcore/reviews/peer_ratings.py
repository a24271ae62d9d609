"""Published results' figures for the domains that turn them into data of their own:
peer figures (performance's "teamwork" indicator) and the low-scoring items that name a
competency (training's needs analysis).

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

from hrcore.core.schemas import Ref
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


@dataclass(frozen=True)
class LowItem:
    """An indicator of an employee's newest published result that names a competency and
    scored under the threshold asked for: the result's stored figure (0–100), what the
    employee reads of it, never a rater's answer."""

    employee_id: uuid.UUID
    result_id: uuid.UUID
    cycle: Ref
    name: str
    competency_id: uuid.UUID
    score: float


async def low_published_items(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: list[uuid.UUID], *, below: float
) -> list[LowItem]:
    """For many employees at once, in one statement: the items of each one's newest
    published result scored under `below`."""
    rows = await repository.low_published_items(session, org_id, employee_ids, below)
    return [
        LowItem(
            employee_id=row["employee_id"],
            result_id=row["result_id"],
            cycle=Ref(id=row["cycle_id"], name=row["cycle_name"]),
            name=row["name"],
            competency_id=row["competency_id"],
            score=row["score"],
        )
        for row in rows
    ]

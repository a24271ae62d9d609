"""Peer ratings from published reviews as observations 「360 互评 → 团队协作」.

A scheme's indicator may name a review form and some of its indicators
(`source: {"kind": "review_peer_rating", …}`, revisioned with the scheme). Reviews announces
each publication (`reviews.api.RESULT_PUBLISHED`); here, in the worker, the result's peer
figures become one observation per mapped indicator through `ingestion.ingest` — the one
path every observation takes, so idempotency, corrections, audit and the live-score
recompute are ingestion's. The value is the peers' mean score (0–100) over the mapped form
indicators that at least the anonymity threshold of peers rated (reviews leaves the others
out; none left: no observation), observed when the result was published, source `review`,
external id `<result id>:<indicator key>` so a repeat is `unchanged` and a changed figure a
correction. Recorded by the HR admin who published the result.
"""

from __future__ import annotations

import uuid
from statistics import fmean

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Role
from hrcore.performance import ingestion
from hrcore.performance.models import PERFORMANCE_SCHEMES
from hrcore.performance.schemas import ObservationBatchOut, ObservationIn
from hrcore.reviews import api as reviews

SOURCE = "review"
KIND = "review_peer_rating"
JOB = "performance.record_review_peer_ratings"


async def _mapped(
    session: AsyncSession, org_id: uuid.UUID, template_id: uuid.UUID
) -> dict[str, list[str]]:
    """Per performance indicator key: the form's indicator keys it averages (the schemes'
    current revisions, by name; the first scheme mapping a key decides it)."""
    mapped: dict[str, list[str]] = {}
    schemes = (await session.scalars(PERFORMANCE_SCHEMES.current(org_id))).all()
    for scheme in sorted(schemes, key=lambda s: s.name):
        for indicator in scheme.indicators:
            source = indicator.get("source") or {}
            if source.get("kind") == KIND and source["review_template_id"] == str(template_id):
                mapped.setdefault(indicator["key"], source["template_indicator_keys"])
    return mapped


async def record_peer_ratings(
    session: AsyncSession,
    org_id: uuid.UUID,
    result_id: uuid.UUID,
    published_by: uuid.UUID,
    *,
    threshold: int,
) -> ObservationBatchOut | None:
    """The published result's observations (None: unpublished, or nothing mapped or shown)."""
    ratings = await reviews.published_peer_ratings(session, org_id, result_id, threshold=threshold)
    if ratings is None:
        return None
    items = []
    for key, form_keys in (await _mapped(session, org_id, ratings.template_id)).items():
        shown = [ratings.indicators[k].score for k in form_keys if k in ratings.indicators]
        if not shown:
            continue
        items.append(
            ObservationIn(
                employee_id=ratings.employee_id,
                indicator=key,
                value=round(fmean(shown), 2),
                observed_at=ratings.published_at,
                source=SOURCE,
                external_id=f"{ratings.result_id}:{key}",
            )
        )
    if not items:
        return None
    publisher = Principal(
        kind="user", id=published_by, org_id=org_id, roles=frozenset({Role.HR_ADMIN})
    )
    return await ingestion.ingest(session, publisher, items)

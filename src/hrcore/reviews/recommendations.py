"""What should happen next for the employee: promote, continue development or re-assess
next cycle, with the reason its author gives — set by the supervisor chain, the department
head or HR (never oneself), and read by later domains (talent pools, vacancy rankings).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.concurrency import check_version
from hrcore.reviews import access, repository
from hrcore.reviews.models import ReviewResult
from hrcore.reviews.schemas import RecommendationIn


async def recommend(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID, body: RecommendationIn
) -> ReviewResult:
    """The supervisor (or anyone up the chain, the department head) or HR recommends."""
    result = await access.readable_result(session, principal, result_id, for_update=True)
    await access.require_reviewer(session, principal, result.employee_id)
    check_version(result.version, if_match=None, body_version=body.version)
    before = {"recommendation": result.recommendation, "reason": result.recommendation_reason}
    result.recommendation, result.recommended_by = body.recommendation, principal.id
    result.recommendation_reason = body.reason
    await session.flush()
    audit.record(
        session,
        principal,
        "review_result.recommended",
        "review_result",
        result.id,
        org_id=result.org_id,
        before=before,
        after={"recommendation": body.recommendation, "reason": body.reason},
    )
    return result


async def latest_recommendation(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> tuple[str | None, float | None, datetime | None]:
    """For later domains (pools, vacancies): the latest result's recommendation, score and
    publication time."""
    result = await repository.latest_result_of(session, org_id, employee_id)
    if result is None:
        return None, None, None
    score = result.adjusted_overall if result.adjusted_overall is not None else result.overall
    return result.recommendation, float(score) if score is not None else None, result.published_at


async def latest_published_recommendations(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str | None, float | None, datetime | None]]:
    """`latest_recommendation` for many employees in one query, published results only:
    what other domains show the employee (vacancy rankings) must be what they may see."""
    results = await repository.latest_published_results(session, org_id, employee_ids)
    return {result.employee_id: _recommendation_of(result) for result in results}


def _recommendation_of(result: ReviewResult) -> tuple[str | None, float | None, datetime | None]:
    score = result.adjusted_overall if result.adjusted_overall is not None else result.overall
    return result.recommendation, float(score) if score is not None else None, result.published_at

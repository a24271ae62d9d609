"""Reviews' section of a person's own-data export (`core.personal_data`): the published
results about them — scores and the comments as the result shows them, unattributed, never
a rater or a raw answer — and their appeals."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.reviews.aggregation import shown_comments
from hrcore.reviews.models import ReviewAppeal, ReviewCycle, ReviewResult


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


async def results_about(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(ReviewResult, ReviewCycle.name)
        .join(ReviewCycle, ReviewCycle.id == ReviewResult.cycle_id)
        .where(
            ReviewResult.org_id == org_id,
            ReviewResult.employee_id == employee_id,
            ReviewResult.status == "published",
        )
        .order_by(ReviewResult.published_at, ReviewResult.id)
    )
    appeals = await session.scalars(
        select(ReviewAppeal).where(
            ReviewAppeal.org_id == org_id, ReviewAppeal.employee_id == employee_id
        )
    )
    by_result: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for appeal in appeals:
        by_result.setdefault(appeal.result_id, []).append(
            {
                "indicator": appeal.indicator_key,
                "reason": appeal.reason,
                "status": appeal.status,
                "reply": appeal.reply,
                "resolution": appeal.resolution,
            }
        )
    return [
        {
            "cycle": name,
            "published_at": result.published_at.isoformat() if result.published_at else None,
            "overall": _number(result.overall),
            "adjusted_overall": _number(result.adjusted_overall),
            "indicators": {
                key: _number(figure.get("score"))
                for key, figure in result.scores.get("indicators", {}).items()
            },
            "comments": [text for _id, text in shown_comments(result)],
            "appeals": by_result.get(result.id, []),
        }
        for result, name in rows
    ]

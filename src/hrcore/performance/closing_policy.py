"""The rating policy 「评级规则」: how a period's 0–100 overall becomes the rating that people's
`performance_ratings` keeps, and the distribution guideline calibration is read against.

`performance_ratings` holds a letter (A–D) and/or a score on the 1–5 scale; screening
averages the score (a letter alone counts A 5, B 4, C 3, D 2) and counts streaks of letters.
A close writes both: the letter by the policy's floors on the overall, the score
`1 + overall × 4 / 100` (0 → 1.00, 50 → 3.00, 100 → 5.00), so ranking by score keeps the
order of the overall. Each organization may replace the defaults (`PUT
/performance-rating-policy`, HR admins, audited).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.performance.closing_models import PerformanceRatingPolicy
from hrcore.performance.closing_schemas import RatingPolicy, RatingPolicyIn, RatingPolicyOut

LETTERS = ("A", "B", "C", "D")
DEFAULT = RatingPolicy.model_validate(
    {
        "grace_days": 5,
        "letters": {"A": 90, "B": 70, "C": 50},
        "guideline": {"A": 20, "B": 70, "C": 10, "D": 0},
    }
)
"""A 20 % / B 70 % / C 10 % (the seeds' guideline); the cron closes five days after a period."""


def letter_of(overall: float, policy: RatingPolicy) -> str:
    """The letter an overall earns: the best letter whose floor it reaches."""
    floors = policy.letters
    for letter, floor in (("A", floors.A), ("B", floors.B), ("C", floors.C)):
        if overall >= floor:
            return letter
    return "D"


def rating_score(overall: float) -> float:
    """The overall on the ratings' 1–5 scale, to two decimals."""
    return float(round(Decimal(1) + Decimal(str(overall)) * 4 / 100, 2))


async def _row(session: AsyncSession, org_id: object) -> PerformanceRatingPolicy | None:
    return await session.scalar(
        select(PerformanceRatingPolicy).where(PerformanceRatingPolicy.org_id == org_id)
    )


async def effective(session: AsyncSession, org_id: object) -> RatingPolicy:
    """The organization's policy, or the defaults."""
    row = await _row(session, org_id)
    return RatingPolicy.model_validate(row.content) if row else DEFAULT


async def get_policy(session: AsyncSession, principal: Principal) -> RatingPolicyOut:
    require_hr_admin(principal)
    row = await _row(session, principal.org_id)
    policy = RatingPolicy.model_validate(row.content) if row else DEFAULT
    return RatingPolicyOut(**policy.model_dump(), version=row.version if row else 0)


async def put_policy(
    session: AsyncSession, principal: Principal, body: RatingPolicyIn, *, if_match: str | None
) -> RatingPolicyOut:
    """Replace the policy; closed periods keep the ratings they wrote."""
    require_hr_admin(principal)
    row = await _row(session, principal.org_id)
    check_version(row.version if row else 0, if_match=if_match, body_version=body.version)
    content = RatingPolicy.model_validate(body.model_dump(exclude={"version"})).model_dump(
        mode="json"
    )
    before = row.content if row else None
    if row is None:
        row = PerformanceRatingPolicy(org_id=principal.org_id, content=content)
        session.add(row)
    else:
        row.content = content
    await session.flush()
    audit.record(
        session,
        principal,
        "performance_rating_policy.updated",
        "performance_rating_policy",
        row.id,
        org_id=principal.org_id,
        before=before,
        after=content,
    )
    return RatingPolicyOut(**content, version=row.version)

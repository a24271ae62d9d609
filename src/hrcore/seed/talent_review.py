"""The demo's talent review meeting 「人才盘点」: an open session over the sales subtree, its
people proposed where talent's 9-box placed them, and one move with its reason, so the
session, its placements and its report show something at once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.talent_review import add_participants
from hrcore.analytics.talent_review_models import (
    TalentReviewMove,
    TalentReviewPlacement,
    TalentReviewSession,
)
from hrcore.core.clock import Clock
from hrcore.people import api as people
from hrcore.seed.company import Company


async def add_talent_review(session: AsyncSession, company: Company, clock: Clock) -> None:
    sales = company.departments["SALES"]
    review = TalentReviewSession(
        org_id=company.org_id,
        name="2026 年度销售人才盘点 Sales talent review",
        department_id=sales.id,
        status="open",
        revision=2,
    )
    session.add(review)
    await session.flush()
    employee_ids = await people.active_employees_in_subtree(session, company.org_id, sales.id)
    await add_participants(session, review, employee_ids)
    placement = await session.scalar(
        select(TalentReviewPlacement)
        .where(
            TalentReviewPlacement.session_id == review.id,
            TalentReviewPlacement.performance.is_(None),
        )
        .order_by(TalentReviewPlacement.id)
        .limit(1)
    )
    assert placement is not None
    placement.performance, placement.potential = "high", "high"
    session.add(
        TalentReviewMove(
            org_id=company.org_id,
            session_id=review.id,
            placement_id=placement.id,
            employee_id=placement.employee_id,
            to_performance="high",
            to_potential="high",
            reason="华东大客户拓展成绩突出 Won the east-region key accounts",
            moved_at=clock.now(),
        )
    )

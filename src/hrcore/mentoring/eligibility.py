"""Eligibility: a program's rules as people's screening criteria, evaluated in SQL by the
compiler talent pools use (`people.screen`), for one employee or a program's mentors at once;
nothing is written.

Tenure is found in years (what the compiler measures) and passes at `min_months / 12`. The
review rating is reviews' (above people): its figures are read through `reviews.api` in one
statement and handed to the compiler as a `GivenFigureCriterion`, so the screen stays one."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.mentoring.schemas import (
    MentorCertificateRule,
    MentorReviewRatingRule,
    MentorRuleCheck,
    MentorTopPerformanceRule,
    Rule,
)
from hrcore.people import api as people
from hrcore.reviews import api as reviews

MONTHS_PER_YEAR = 12
Ratings = tuple[tuple[uuid.UUID, float], ...]


def as_criterion(rule: Rule, ratings: Ratings = ()) -> people.ScreeningCriterion:
    """The program's rule as the criterion people evaluates (`ratings`: the employees'
    latest published review overall, for a review-rating rule)."""
    if isinstance(rule, MentorTopPerformanceRule):
        return people.TopRatingsCriterion(letter=rule.letter, count=rule.periods)
    if isinstance(rule, MentorCertificateRule):
        return people.CertificationCriterion(name=rule.name)
    if isinstance(rule, MentorReviewRatingRule):
        return people.GivenFigureCriterion(figures=ratings, minimum=rule.min_overall)
    return people.TenureCriterion(min_years=rule.min_months / MONTHS_PER_YEAR)


async def _ratings(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID], rules: list[Rule]
) -> Ratings:
    if not any(isinstance(rule, MentorReviewRatingRule) for rule in rules):
        return ()
    found = await reviews.latest_published_recommendations(session, org_id, employee_ids)
    return tuple(
        (employee_id, score) for employee_id, (_, score, _) in found.items() if score is not None
    )


def _plain(value: Any) -> float | str | None:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return float(value)
    return value if value is None or isinstance(value, str) else str(value)


async def evaluate_many(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    rules: list[Rule],
    clock: Clock,
) -> dict[uuid.UUID, list[MentorRuleCheck]]:
    """Each rule's value and pass/fail for each employee, in order; active employees only
    (the screen covers only those). Two statements, a third with a review-rating rule."""
    if not employee_ids:
        return {}
    ratings = await _ratings(session, org_id, employee_ids, rules)
    screened = await people.screen(
        session,
        org_id,
        [as_criterion(rule, ratings) for rule in rules],
        today=await people.org_today(session, org_id, clock),
        among_ids=list(employee_ids),
        only_passing=False,
        limit=len(employee_ids),
    )
    return {
        employee.employee_id: [
            MentorRuleCheck(kind=rule.kind, value=_plain(found.value), passed=found.passed)
            for rule, found in zip(rules, employee.criteria, strict=True)
        ]
        for employee in screened.employees
    }


async def evaluate(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    rules: list[Rule],
    clock: Clock,
) -> list[MentorRuleCheck] | None:
    """Each rule's value and pass/fail for the employee, in order; `None` when they are not
    an active employee."""
    checks = await evaluate_many(session, org_id, [employee_id], rules, clock)
    return checks.get(employee_id)

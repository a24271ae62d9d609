"""Eligibility: a program's rules evaluated in SQL, for one employee or a program's mentors
at once; nothing is written.

Rules people's screening compiler evaluates (`top_performance`, `tenure`, `certificate`,
`review_rating`) go to it as people's criteria (`people.screen`, the compiler talent pools
use) in one statement. The review rating is reviews' (above people): its figures are read
through `reviews.api` in one statement and handed to the compiler as a
`GivenFigureCriterion`. Rules that read mentoring's own tables (`former_mentees_gain`: the
stored effectiveness of the employees' completed pairings) are evaluated by mentoring's
statement, one per rule for all the employees, and merged into the same checks in the
program's order.

Tenure is found in years (what the compiler measures) and passes at `min_months / 12`.
For many employees where only failures matter, `eligibility_bulk.failing` answers pass/fail
alone."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.mentoring import effectiveness_repository
from hrcore.mentoring.schemas import (
    MentorCertificateRule,
    MentorFormerMenteesGainRule,
    MentorReviewRatingRule,
    MentorRuleCheck,
    MentorTopPerformanceRule,
    Rule,
)
from hrcore.people import api as people
from hrcore.reviews import api as reviews

MONTHS_PER_YEAR = 12
Ratings = tuple[tuple[uuid.UUID, float], ...]


def as_criterion(rule: Rule, ratings: Ratings = ()) -> people.ScreeningCriterion | None:
    """The program's rule as the criterion people evaluates (`ratings`: the employees'
    latest published review overall, for a review-rating rule); `None` for mentoring's own."""
    if isinstance(rule, MentorFormerMenteesGainRule):
        return None
    if isinstance(rule, MentorTopPerformanceRule):
        return people.TopRatingsCriterion(letter=rule.letter, count=rule.periods)
    if isinstance(rule, MentorCertificateRule):
        return people.CertificationCriterion(name=rule.name)
    if isinstance(rule, MentorReviewRatingRule):
        return people.GivenFigureCriterion(figures=ratings, minimum=rule.min_overall)
    return people.TenureCriterion(min_years=rule.min_months / MONTHS_PER_YEAR)


async def ratings_of(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> Ratings:
    """The employees' latest published review overall (those with one), for a
    review-rating rule."""
    found = await reviews.latest_published_recommendations(session, org_id, employee_ids)
    return tuple(
        (employee_id, score) for employee_id, (_, score, _) in found.items() if score is not None
    )


def _plain(value: Any) -> float | str | None:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return float(value)
    return value if value is None or isinstance(value, str) else str(value)


async def _own_checks(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID], rule: Rule
) -> dict[uuid.UUID, MentorRuleCheck]:
    assert isinstance(rule, MentorFormerMenteesGainRule)
    found = await effectiveness_repository.former_mentees_with_gain(
        session, org_id, employee_ids, rule.min_gain_percent
    )
    return {
        employee_id: MentorRuleCheck(
            kind=rule.kind,
            value=float(found.get(employee_id, 0)),
            passed=found.get(employee_id, 0) >= rule.min_mentees,
        )
        for employee_id in employee_ids
    }


async def evaluate_many(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    rules: list[Rule],
    clock: Clock,
) -> dict[uuid.UUID, list[MentorRuleCheck]]:
    """Each rule's value and pass/fail for each employee, in order; active employees only
    (the screen covers only those). Two statements, one more with a review-rating rule and
    one per rule of mentoring's own."""
    if not employee_ids:
        return {}
    ratings: Ratings = ()
    if any(isinstance(rule, MentorReviewRatingRule) for rule in rules):
        ratings = await ratings_of(session, org_id, employee_ids)
    criteria = [(rule, as_criterion(rule, ratings)) for rule in rules]
    screened = await people.screen(
        session,
        org_id,
        [criterion for _, criterion in criteria if criterion is not None],
        today=await people.org_today(session, org_id, clock),
        among_ids=list(employee_ids),
        only_passing=False,
        limit=len(employee_ids),
    )
    active = [employee.employee_id for employee in screened.employees]
    own = {
        index: await _own_checks(session, org_id, active, rule)
        for index, (rule, criterion) in enumerate(criteria)
        if criterion is None
    }
    checks: dict[uuid.UUID, list[MentorRuleCheck]] = {}
    for employee in screened.employees:
        found = iter(employee.criteria)
        employee_checks = []
        for index, (rule, criterion) in enumerate(criteria):
            if criterion is None:
                employee_checks.append(own[index][employee.employee_id])
                continue
            row = next(found)
            employee_checks.append(
                MentorRuleCheck(kind=rule.kind, value=_plain(row.value), passed=row.passed)
            )
        checks[employee.employee_id] = employee_checks
    return checks


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

"""Eligibility: a program's rules evaluated in SQL for one employee; nothing is written.

Rules people's screening compiler evaluates (`top_performance`, `tenure`) go to it as
people's criteria (`people.screen`, the compiler talent pools use) in one statement; rules
that read mentoring's own tables (`former_mentees_gain`: the stored effectiveness of the
employee's completed pairings) are evaluated by mentoring's statement, one each, and merged
into the same checks in the program's order.

Tenure is found in years (what the compiler measures) and passes at `min_months / 12`."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.mentoring import effectiveness_repository
from hrcore.mentoring.schemas import (
    MentorFormerMenteesGainRule,
    MentorRuleCheck,
    MentorTopPerformanceRule,
    Rule,
)
from hrcore.people import api as people

MONTHS_PER_YEAR = 12


def as_criterion(rule: Rule) -> people.ScreeningCriterion | None:
    """The program's rule as the criterion people evaluates; `None` for mentoring's own."""
    if isinstance(rule, MentorFormerMenteesGainRule):
        return None
    if isinstance(rule, MentorTopPerformanceRule):
        return people.TopRatingsCriterion(letter=rule.letter, count=rule.periods)
    return people.TenureCriterion(min_years=rule.min_months / MONTHS_PER_YEAR)


def _plain(value: Any) -> float | str | None:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return float(value)
    return value if value is None or isinstance(value, str) else str(value)


async def _own_check(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, rule: Rule
) -> MentorRuleCheck:
    assert isinstance(rule, MentorFormerMenteesGainRule)
    found = await effectiveness_repository.former_mentees_with_gain(
        session, org_id, employee_id, rule.min_gain_percent
    )
    return MentorRuleCheck(kind=rule.kind, value=float(found), passed=found >= rule.min_mentees)


async def evaluate(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    rules: list[Rule],
    clock: Clock,
) -> list[MentorRuleCheck] | None:
    """Each rule's value and pass/fail for the employee, in order; `None` when they are not
    an active employee (the screen covers only those). Two statements, and one per rule of
    mentoring's own."""
    criteria = [(rule, as_criterion(rule)) for rule in rules]
    screened = await people.screen(
        session,
        org_id,
        [criterion for _, criterion in criteria if criterion is not None],
        today=await people.org_today(session, org_id, clock),
        among_ids=[employee_id],
        only_passing=False,
        limit=1,
    )
    if not screened.employees:
        return None
    [employee] = screened.employees
    found = iter(employee.criteria)
    checks = []
    for rule, criterion in criteria:
        if criterion is None:
            checks.append(await _own_check(session, org_id, employee_id, rule))
            continue
        row = next(found)
        checks.append(MentorRuleCheck(kind=rule.kind, value=_plain(row.value), passed=row.passed))
    return checks

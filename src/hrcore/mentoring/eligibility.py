"""Eligibility: a program's rules as people's screening criteria, evaluated in SQL by the
compiler talent pools use (`people.screen`), for one employee; nothing is written.

Tenure is found in years (what the compiler measures) and passes at `min_months / 12`."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.mentoring.schemas import MentorRuleCheck, MentorTopPerformanceRule, Rule
from hrcore.people import api as people

MONTHS_PER_YEAR = 12


def as_criterion(rule: Rule) -> people.ScreeningCriterion:
    """The program's rule as the criterion people evaluates."""
    if isinstance(rule, MentorTopPerformanceRule):
        return people.TopRatingsCriterion(letter=rule.letter, count=rule.periods)
    return people.TenureCriterion(min_years=rule.min_months / MONTHS_PER_YEAR)


def _plain(value: Any) -> float | str | None:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return float(value)
    return value if value is None or isinstance(value, str) else str(value)


async def evaluate(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    rules: list[Rule],
    clock: Clock,
) -> list[MentorRuleCheck] | None:
    """Each rule's value and pass/fail for the employee, in order; `None` when they are not
    an active employee (the screen covers only those). Two statements."""
    screened = await people.screen(
        session,
        org_id,
        [as_criterion(rule) for rule in rules],
        today=await people.org_today(session, org_id, clock),
        among_ids=[employee_id],
        only_passing=False,
        limit=1,
    )
    if not screened.employees:
        return None
    [employee] = screened.employees
    return [
        MentorRuleCheck(kind=rule.kind, value=_plain(found.value), passed=found.passed)
        for rule, found in zip(rules, employee.criteria, strict=True)
    ]

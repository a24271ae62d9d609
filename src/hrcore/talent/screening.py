"""Screening a pool: its rules, as people's screening criteria, run by people in one SQL
statement over the organization's active employees (`people.screen`), for HR admins and
department heads (over their reach). Nothing is written; screening only advises.

Talent keeps what a pool means: who may screen, the pool's rules, and the answer's shape.
Percentiles are ranked over the whole organization (or department) before the caller's
reach is applied, so a department head sees the same "top 15%" as HR, only fewer people.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.talent import access
from hrcore.talent.schemas import (
    RULES,
    CareerPlanRule,
    ConsecutiveTopRatingsRule,
    CriterionResult,
    ManagementExperienceRule,
    PerformancePercentileRule,
    Rule,
    ScreenCandidate,
    ScreenRequest,
    ScreenResult,
    TrainingPointsRule,
)


async def screen(
    session: AsyncSession,
    principal: Principal,
    pool_id: uuid.UUID,
    body: ScreenRequest,
    clock: Clock,
) -> ScreenResult:
    """Evaluate the rules over the organization in the database; writes nothing."""
    access.require_screener(principal)
    pool = await access.readable_pool(session, principal, pool_id)
    rules = body.rules if body.rules is not None else RULES.validate_python(pool.rules)
    today = await people.org_today(session, principal.org_id, clock)
    screened = await people.screen(
        session,
        principal.org_id,
        [as_criterion(rule) for rule in rules],
        today=today,
        among_ids=await people.visible_employee_ids(session, principal),
        only_passing=body.only_passing,
        limit=body.limit,
    )
    found = [employee.employee_id for employee in screened.employees]
    note_reads(principal, found, DataClass.EVALUATION, "talent_pool_screening")
    departments = await org.department_refs(
        session, principal.org_id, [employee.department_id for employee in screened.employees]
    )
    return ScreenResult(
        evaluated=screened.evaluated,
        rules=rules,
        candidates=[
            _candidate(employee, departments[employee.department_id], rules)
            for employee in screened.employees
        ],
    )


def as_criterion(rule: Rule) -> people.ScreeningCriterion:
    """The pool's rule as the criterion people evaluates."""
    if isinstance(rule, PerformancePercentileRule):
        return people.PercentileCriterion(
            periods=rule.periods, top_percent=rule.top_percent, scope=rule.scope
        )
    if isinstance(rule, ConsecutiveTopRatingsRule):
        return people.TopRatingsCriterion(letter=rule.letter, count=rule.count)
    if isinstance(rule, ManagementExperienceRule):
        return people.ManagementCriterion(min_events=rule.min_events)
    if isinstance(rule, CareerPlanRule):
        return people.CareerPlanCriterion(aspiration=rule.aspiration)
    if isinstance(rule, TrainingPointsRule):
        return people.TrainingPointsCriterion(
            min_points=rule.min_points, min_plan_percent=rule.min_plan_completion_percent
        )
    return people.TenureCriterion(min_years=rule.min_years)


def plain_value(value: Any) -> float | str | None:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return float(value)
    return value if value is None or isinstance(value, str) else str(value)


def _candidate(
    employee: people.ScreenedEmployee, department: Ref, rules: Sequence[Rule]
) -> ScreenCandidate:
    return ScreenCandidate(
        employee=Ref(id=employee.employee_id, name=employee.full_name),
        department_id=employee.department_id,
        department=department,
        passed=employee.passed,
        criteria=[
            CriterionResult(kind=rule.kind, value=plain_value(found.value), passed=found.passed)
            for rule, found in zip(rules, employee.criteria, strict=True)
        ],
    )

"""Screening a pool: its rules compiled to one SQL query over the organization's active
employees, run for HR admins and department heads (over their reach). Nothing is written;
screening only advises.

Each rule becomes a value column (what was found) and a pass column, joined from the
per-employee figures people owns (`people.screening_facts`). Percentiles are ranked over the
whole organization (or department) before the caller's scope is applied, so a department
head sees the same "top 15%" as HR, only fewer people. Nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    Numeric,
    Select,
    and_,
    cast,
    false,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import among
from hrcore.core.schemas import Ref
from hrcore.people import api as people
from hrcore.talent import access, repository
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
    TenureRule,
)

DAYS_PER_YEAR = Decimal("365.25")


@dataclass(frozen=True)
class Criterion:
    value: ColumnElement[Any]
    passed: ColumnElement[bool]
    joined: Subquery | None = None


@dataclass(frozen=True)
class Screen:
    """The compiled query: columns `employee_id, full_name, department_id, passed`, then
    `v{i}` and `p{i}` (value and pass) per rule in order."""

    statement: Select[Any]
    population: Subquery
    employees: Select[Any]
    """The population's `employee_id`s alone: every rule joins at most one row per employee,
    so counting these counts the statement's rows without evaluating the rules."""


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
    compiled = compile_rules(people.screening_facts(principal.org_id), rules, today=today)
    population = compiled.population
    statement = compiled.statement
    in_scope = compiled.employees
    scope = await people.visible_employee_ids(session, principal)
    if scope is not None:
        statement = statement.where(among(population.c.employee_id, scope))
        in_scope = in_scope.where(among(population.c.employee_id, scope))
    evaluated = await repository.count(session, in_scope)
    if body.only_passing:
        statement = statement.where(statement.selected_columns.passed)
    order: list[Any] = [population.c.full_name, population.c.employee_id]
    if rules and rules[0].kind == "performance_percentile":
        order.insert(0, statement.selected_columns.v0.asc().nulls_last())
    rows = (await session.execute(statement.order_by(*order).limit(body.limit))).all()
    return ScreenResult(
        evaluated=evaluated,
        rules=rules,
        candidates=[_candidate(row, rules) for row in rows],
    )


def _plain(value: Any) -> float | str | None:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return float(value)
    return value if value is None or isinstance(value, str) else str(value)


def _candidate(row: Any, rules: Sequence[Rule]) -> ScreenCandidate:
    return ScreenCandidate(
        employee=Ref(id=row.employee_id, name=row.full_name),
        department_id=row.department_id,
        passed=bool(row.passed),
        criteria=[
            CriterionResult(
                kind=rule.kind,
                value=_plain(getattr(row, f"v{index}")),
                passed=bool(getattr(row, f"p{index}")),
            )
            for index, rule in enumerate(rules)
        ],
    )


def compile_rules(facts: people.ScreeningFacts, rules: Sequence[Rule], *, today: date) -> Screen:
    population = facts.population.subquery("population")
    criteria = [
        _criterion(facts, population, rule, f"r{index}", today) for index, rule in enumerate(rules)
    ]
    passed = and_(true(), *(criterion.passed for criterion in criteria))
    statement = select(
        population.c.employee_id,
        population.c.full_name,
        population.c.department_id,
        passed.label("passed"),
        *(criterion.value.label(f"v{i}") for i, criterion in enumerate(criteria)),
        *(criterion.passed.label(f"p{i}") for i, criterion in enumerate(criteria)),
    ).select_from(population)
    for criterion in criteria:
        if criterion.joined is not None:
            statement = statement.outerjoin(
                criterion.joined,
                criterion.joined.c.employee_id == population.c.employee_id,
            )
    return Screen(
        statement=statement,
        population=population,
        employees=select(population.c.employee_id),
    )


def _criterion(
    facts: people.ScreeningFacts, population: Subquery, rule: Rule, name: str, today: date
) -> Criterion:
    if isinstance(rule, PerformancePercentileRule):
        return _percentile(facts, rule, name)
    if isinstance(rule, ConsecutiveTopRatingsRule):
        return _at_least(facts.rating_streaks(rule.letter).subquery(name), rule.count)
    if isinstance(rule, ManagementExperienceRule):
        return _at_least(facts.team_lead_counts.subquery(name), rule.min_events)
    if isinstance(rule, CareerPlanRule):
        plans = facts.career_aspirations.subquery(name)
        return Criterion(
            value=plans.c.value,
            passed=func.coalesce(plans.c.value == rule.aspiration, false()),
            joined=plans,
        )
    return _tenure(population, rule, today)


def _at_least(figures: Subquery, minimum: int) -> Criterion:
    value = func.coalesce(figures.c.value, 0)
    return Criterion(value=value, passed=value >= minimum, joined=figures)


def _percentile(
    facts: people.ScreeningFacts, rule: PerformancePercentileRule, name: str
) -> Criterion:
    """Top share by mean rating: the fraction of rated colleagues scoring at least as well.

    That is `cume_dist()` over the scores best first, computed as `(n - rank + 1) / n` with
    the rank worst first: cume_dist looks ahead through every tie, and with few distinct
    means (thousands of ties) over a partition spilled to disk that took 0.8 s at 100,000
    employees. Equal, as NULLs sort first descending and last ascending.
    """
    scores = facts.average_scores(rule.periods).subquery(f"{name}_scores")
    rated = facts.population.subquery(f"{name}_rated")
    partition = [rated.c.department_id] if rule.scope == "department" else None
    rated_count = func.count().over(partition_by=partition)
    worst_first = func.rank().over(partition_by=partition, order_by=scores.c.value.asc())
    top_share = cast(rated_count - worst_first + 1, Float) / rated_count
    ranked = (
        select(rated.c.employee_id, (top_share * 100).label("value"))
        .select_from(rated.join(scores, scores.c.employee_id == rated.c.employee_id))
        .subquery(name)
    )
    return Criterion(
        value=func.round(cast(ranked.c.value, Numeric), 1),
        passed=func.coalesce(ranked.c.value <= rule.top_percent, false()),
        joined=ranked,
    )


def _tenure(population: Subquery, rule: TenureRule, today: date) -> Criterion:
    days = cast(literal(today, Date) - population.c.hire_date, Numeric)
    years = days / literal(DAYS_PER_YEAR, Numeric)
    return Criterion(value=func.round(years, 1), passed=years >= rule.min_years)

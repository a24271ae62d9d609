"""Screening: a talent pool's criteria compiled to one SQL statement over the organization's
active employees and run here, where the tables are. Talent hands in plain criteria and gets
plain rows back (the named query of docs/architecture.md, "Between domains"); no SQL crosses.

Each criterion becomes a value column (what was found) and a pass column, joined from
per-employee figures (`screening_queries`). Percentiles are ranked over the whole organization (or
department) before `among_ids` narrows the rows, so a department head sees the same
"top 15%" as HR, only fewer people. Nothing is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import Date, Float, Numeric, Select, and_, cast, false, func, literal, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from hrcore.core.db import among
from hrcore.people import screening_queries

DAYS_PER_YEAR = Decimal("365.25")


@dataclass(frozen=True)
class PercentileCriterion:
    """Among the top `top_percent` % by mean rating over the `periods` latest periods."""

    periods: int
    top_percent: float
    scope: Literal["organization", "department"] = "organization"


@dataclass(frozen=True)
class TopRatingsCriterion:
    """At least `count` latest lettered ratings in a row of `letter` or better."""

    letter: str
    count: int


@dataclass(frozen=True)
class ManagementCriterion:
    """At least `min_events` employment events that put the employee at the head of a team."""

    min_events: int


@dataclass(frozen=True)
class CareerPlanCriterion:
    """A submitted career plan with this aspiration."""

    aspiration: str


@dataclass(frozen=True)
class TenureCriterion:
    """At least `min_years` since the hire date."""

    min_years: float


@dataclass(frozen=True)
class CertificationCriterion:
    """A certification named `name` (any case) on the growth profile, not expired by today;
    the value found is the latest date one was obtained (None when not recorded)."""

    name: str


@dataclass(frozen=True)
class GivenFigureCriterion:
    """A figure of each employee that the caller read from a domain above people through its
    api (`figures`: employee and value; absent for those without one), at least `minimum`.
    Compiled like any other criterion, so the statement stays one."""

    figures: tuple[tuple[uuid.UUID, float], ...]
    minimum: float


@dataclass(frozen=True)
class TrainingPointsCriterion:
    """At least `min_points` training points over the last 12 months (to today's month), and
    with `min_plan_percent` that share of the action plans due in them scored (no plan due:
    not met). The value found is the points."""

    min_points: int
    min_plan_percent: float | None = None


ScreeningCriterion = (
    PercentileCriterion
    | TopRatingsCriterion
    | ManagementCriterion
    | CareerPlanCriterion
    | TenureCriterion
    | CertificationCriterion
    | GivenFigureCriterion
    | TrainingPointsCriterion
)


@dataclass(frozen=True)
class CriterionRow:
    value: Any
    """What was found: a number (Decimal or int), a string or `None`."""
    passed: bool


@dataclass(frozen=True)
class ScreenedEmployee:
    employee_id: uuid.UUID
    full_name: str
    department_id: uuid.UUID
    passed: bool
    criteria: list[CriterionRow]
    """One per criterion, in the order given."""


@dataclass(frozen=True)
class ScreenRows:
    evaluated: int
    """Active employees in reach, whether they pass or not."""
    employees: list[ScreenedEmployee]


@dataclass(frozen=True)
class CompiledCriterion:
    value: ColumnElement[Any]
    passed: ColumnElement[bool]
    joined: Subquery | None = None


async def screen(
    session: AsyncSession,
    org_id: uuid.UUID,
    criteria: Sequence[ScreeningCriterion],
    *,
    today: date,
    among_ids: list[uuid.UUID] | None,
    only_passing: bool,
    limit: int,
) -> ScreenRows:
    """The organization's active employees against `criteria`, narrowed to `among_ids`
    (`None`: everyone): the evaluated count, then up to `limit` rows, best percentile first
    when the first criterion is one, else by name. Two statements."""
    population, compiled = compile_criteria(org_id, criteria, today)
    statement = joined_statement(population, compiled)
    # Every criterion joins at most one row per employee, so counting the population's ids
    # counts the statement's rows without evaluating the criteria.
    in_scope: Select[Any] = select(population.c.employee_id)
    if among_ids is not None:
        statement = statement.where(among(population.c.employee_id, among_ids))
        in_scope = in_scope.where(among(population.c.employee_id, among_ids))
    evaluated = await session.scalar(select(func.count()).select_from(in_scope.subquery()))
    if only_passing:
        statement = statement.where(statement.selected_columns.passed)
    order: list[Any] = [population.c.full_name, population.c.employee_id]
    if criteria and isinstance(criteria[0], PercentileCriterion):
        order.insert(0, statement.selected_columns.v0.asc().nulls_last())
    rows = (await session.execute(statement.order_by(*order).limit(limit))).all()
    return ScreenRows(
        evaluated=int(evaluated or 0),
        employees=[_employee(row, len(compiled)) for row in rows],
    )


def compile_criteria(
    org_id: uuid.UUID, criteria: Sequence[ScreeningCriterion], today: date
) -> tuple[Subquery, list[CompiledCriterion]]:
    """The active population and each criterion's value and pass columns over it; what
    `screen` and the bulk pass/fail answer (`screening_failures`) select from."""
    active = screening_queries.active_population(org_id)
    population = active.subquery("population")
    return population, [
        _criterion(org_id, active, population, criterion, f"r{index}", today)
        for index, criterion in enumerate(criteria)
    ]


def _employee(row: Any, criteria: int) -> ScreenedEmployee:
    return ScreenedEmployee(
        employee_id=row.employee_id,
        full_name=row.full_name,
        department_id=row.department_id,
        passed=bool(row.passed),
        criteria=[
            CriterionRow(value=getattr(row, f"v{i}"), passed=bool(getattr(row, f"p{i}")))
            for i in range(criteria)
        ],
    )


def joined_statement(population: Subquery, compiled: Sequence[CompiledCriterion]) -> Select[Any]:
    """Columns `employee_id, full_name, department_id, passed`, then `v{i}` and `p{i}`
    (value and pass) per criterion in order."""
    passed = and_(true(), *(criterion.passed for criterion in compiled))
    statement = select(
        population.c.employee_id,
        population.c.full_name,
        population.c.department_id,
        passed.label("passed"),
        *(criterion.value.label(f"v{i}") for i, criterion in enumerate(compiled)),
        *(criterion.passed.label(f"p{i}") for i, criterion in enumerate(compiled)),
    ).select_from(population)
    for criterion in compiled:
        if criterion.joined is not None:
            statement = statement.outerjoin(
                criterion.joined,
                criterion.joined.c.employee_id == population.c.employee_id,
            )
    return statement


def _criterion(
    org_id: uuid.UUID,
    active: Select[Any],
    population: Subquery,
    criterion: ScreeningCriterion,
    name: str,
    today: date,
) -> CompiledCriterion:
    if isinstance(criterion, PercentileCriterion):
        return _percentile(org_id, active, criterion, name)
    if isinstance(criterion, TopRatingsCriterion):
        streaks = screening_queries.rating_streaks(org_id, criterion.letter).subquery(name)
        return _at_least(streaks, criterion.count)
    if isinstance(criterion, ManagementCriterion):
        counts = screening_queries.team_lead_counts(org_id).subquery(name)
        return _at_least(counts, criterion.min_events)
    if isinstance(criterion, CareerPlanCriterion):
        plans = screening_queries.career_aspirations(org_id).subquery(name)
        return CompiledCriterion(
            value=plans.c.value,
            passed=func.coalesce(plans.c.value == criterion.aspiration, false()),
            joined=plans,
        )
    if isinstance(
        criterion, CertificationCriterion | GivenFigureCriterion | TrainingPointsCriterion
    ):
        return _held(org_id, criterion, name, today)
    return _tenure(population, criterion, today)


def _held(
    org_id: uuid.UUID,
    criterion: CertificationCriterion | GivenFigureCriterion | TrainingPointsCriterion,
    name: str,
    today: date,
) -> CompiledCriterion:
    """A certificate held (its latest date as the value), training points held, or a given
    figure at the minimum."""
    if isinstance(criterion, TrainingPointsCriterion):
        return _training_points(org_id, criterion, name, today)
    if isinstance(criterion, CertificationCriterion):
        held = screening_queries.certifications(org_id, criterion.name, today).subquery(name)
        return CompiledCriterion(
            value=held.c.value, passed=held.c.employee_id.is_not(None), joined=held
        )
    given = screening_queries.given_figures(criterion.figures).subquery(name)
    return CompiledCriterion(
        value=given.c.value,
        passed=func.coalesce(given.c.value >= criterion.minimum, false()),
        joined=given,
    )


def _training_points(
    org_id: uuid.UUID, criterion: TrainingPointsCriterion, name: str, today: date
) -> CompiledCriterion:
    figures = screening_queries.training_points(org_id, today).subquery(name)
    value = func.coalesce(figures.c.value, 0)
    passed = value >= criterion.min_points
    if criterion.min_plan_percent is not None:
        passed = and_(
            passed, func.coalesce(figures.c.plan_percent >= criterion.min_plan_percent, false())
        )
    return CompiledCriterion(value=value, passed=passed, joined=figures)


def _at_least(figures: Subquery, minimum: int) -> CompiledCriterion:
    value = func.coalesce(figures.c.value, 0)
    return CompiledCriterion(value=value, passed=value >= minimum, joined=figures)


def _percentile(
    org_id: uuid.UUID, active: Select[Any], criterion: PercentileCriterion, name: str
) -> CompiledCriterion:
    """Top share by mean rating: the fraction of rated colleagues scoring at least as well.

    That is `cume_dist()` over the scores best first, computed as `(n - rank + 1) / n` with
    the rank worst first: cume_dist looks ahead through every tie, and with few distinct
    means (thousands of ties) over a partition spilled to disk that took 0.8 s at 100,000
    employees. Equal, as NULLs sort first descending and last ascending.
    """
    scores = screening_queries.average_scores(org_id, criterion.periods).subquery(f"{name}_scores")
    rated = active.subquery(f"{name}_rated")
    partition = [rated.c.department_id] if criterion.scope == "department" else None
    rated_count = func.count().over(partition_by=partition)
    worst_first = func.rank().over(partition_by=partition, order_by=scores.c.value.asc())
    top_share = cast(rated_count - worst_first + 1, Float) / rated_count
    ranked = (
        select(rated.c.employee_id, (top_share * 100).label("value"))
        .select_from(rated.join(scores, scores.c.employee_id == rated.c.employee_id))
        .subquery(name)
    )
    return CompiledCriterion(
        value=func.round(cast(ranked.c.value, Numeric), 1),
        passed=func.coalesce(ranked.c.value <= criterion.top_percent, false()),
        joined=ranked,
    )


def _tenure(population: Subquery, criterion: TenureCriterion, today: date) -> CompiledCriterion:
    days = cast(literal(today, Date) - population.c.hire_date, Numeric)
    years = days / literal(DAYS_PER_YEAR, Numeric)
    return CompiledCriterion(value=func.round(years, 1), passed=years >= criterion.min_years)

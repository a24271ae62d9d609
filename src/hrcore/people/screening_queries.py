"""The per-employee figures screening ranks and filters on, as sub-selects `people.screen`
composes into one statement (kept apart from `repository`: queries of one purpose).

Training's points and action plans are read here as bare tables of the columns needed
(people sits below training and never imports it; docs/architecture.md lists this join).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    Date,
    DateTime,
    Float,
    Integer,
    Interval,
    Select,
    String,
    Uuid,
    any_,
    case,
    cast,
    column,
    func,
    literal,
    or_,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import JSONB

from hrcore.people.models import Employee, EmploymentEvent, GrowthProfile, PerformanceRating

LETTER_SCORES = {"A": 5, "B": 4, "C": 3, "D": 2}
"""A letter-only rating counts as this score on the 1–5 scale when averaging."""

POINTS_BALANCES = table(
    "points_balances",
    column("org_id", Uuid()),
    column("period", String()),
    column("employee_id", Uuid()),
    column("total", Integer()),
)
"""Training's balances per employee and period (`2026-11`: a month in the org's zone)."""
ACTION_PLANS = table(
    "training_action_plans",
    column("org_id", Uuid()),
    column("employee_id", Uuid()),
    column("status", String()),
    column("created_at", DateTime(timezone=True)),
)
PLAN_DUE_DAYS = 30
"""Training's action plans are due 30 days after the course (docs/training.md)."""


def active_population(org_id: uuid.UUID) -> Select[Any]:
    statement: Select[Any] = select(
        Employee.id.label("employee_id"),
        Employee.full_name,
        Employee.department_id,
        Employee.hire_date,
    ).where(Employee.org_id == org_id, Employee.status == "active")  # type: ignore[assignment]
    return statement


def latest_periods(org_id: uuid.UUID, periods: int) -> Select[Any]:
    """The organization's `periods` latest rating periods, newest first.

    A loose index scan (one index probe per period, through `ix_performance_ratings_org_period`):
    grouping every rating to find three distinct periods read all 300,000 at 100,000 employees.
    The CTE is written where it is used, so several rules can each have theirs.
    """
    ratings = PerformanceRating.__table__
    newest = (
        select(func.max(ratings.c.period).label("period"))
        .where(ratings.c.org_id == org_id)
        .cte("rating_periods", recursive=True, nesting=True)
    )
    older = (
        select(func.max(ratings.c.period))
        .where(ratings.c.org_id == org_id, ratings.c.period < newest.c.period)
        .scalar_subquery()
    )
    walk = newest.union_all(select(older).where(newest.c.period.is_not(None)))
    return select(walk.c.period).where(walk.c.period.is_not(None)).limit(periods)


def average_scores(org_id: uuid.UUID, periods: int) -> Select[Any]:
    """(employee_id, value): the mean rating over the organization's `periods` latest periods.

    In double precision: a ranking key, where numeric's exact sums only cost time.
    """
    letter_score = case(
        *((PerformanceRating.letter == letter, score) for letter, score in LETTER_SCORES.items())
    )
    value = func.coalesce(cast(PerformanceRating.score, Float), letter_score)
    recent = func.array(latest_periods(org_id, periods).scalar_subquery())
    return (
        select(PerformanceRating.employee_id, func.avg(value).label("value"))
        .where(PerformanceRating.org_id == org_id, PerformanceRating.period == any_(recent))
        .group_by(PerformanceRating.employee_id)
    )


def rating_streaks(org_id: uuid.UUID, letter: str) -> Select[Any]:
    """(employee_id, value): how many of the latest lettered ratings in a row are `letter` or
    better (A is best).

    That is the count of ratings after the last one worse than `letter`: numbered oldest
    first, in the order of the (org, employee, period) unique index, so nothing is sorted.
    """
    numbered = (
        select(
            PerformanceRating.employee_id,
            PerformanceRating.letter,
            func.row_number()
            .over(partition_by=PerformanceRating.employee_id, order_by=PerformanceRating.period)
            .label("position"),
        )
        .where(PerformanceRating.org_id == org_id, PerformanceRating.letter.is_not(None))
        .subquery()
    )
    last_miss = func.max(numbered.c.position).filter(numbered.c.letter > letter)
    return select(
        numbered.c.employee_id, (func.count() - func.coalesce(last_miss, 0)).label("value")
    ).group_by(numbered.c.employee_id)


def team_lead_counts(org_id: uuid.UUID) -> Select[Any]:
    """(employee_id, value): employment events that put the employee at the head of a team."""
    statement: Select[Any] = (
        select(EmploymentEvent.employee_id, func.count().label("value"))  # type: ignore[assignment]
        .where(
            EmploymentEvent.org_id == org_id,
            EmploymentEvent.leads_team.is_(True),
            EmploymentEvent.withdrawn_at.is_(None),
        )
        .group_by(EmploymentEvent.employee_id)
    )
    return statement


def career_aspirations(org_id: uuid.UUID) -> Select[Any]:
    """(employee_id, value): the aspiration of each submitted career plan."""
    return select(
        GrowthProfile.employee_id,
        GrowthProfile.career_plan["aspiration"].astext.label("value"),
    ).where(GrowthProfile.org_id == org_id, GrowthProfile.submitted_at.is_not(None))


def certifications(org_id: uuid.UUID, name: str, today: date) -> Select[Any]:
    """(employee_id, value): employees whose growth profile holds a certification named
    `name` (any case) not expired by `today`, with the latest date one was obtained."""
    held = func.jsonb_array_elements(GrowthProfile.certifications).table_valued(
        column("value", JSONB)
    )
    expires = cast(held.c.value["expires_on"].astext, Date)
    obtained = cast(held.c.value["obtained_on"].astext, Date)
    statement: Select[Any] = (
        select(GrowthProfile.employee_id, func.max(obtained).label("value"))  # type: ignore[assignment]
        .select_from(GrowthProfile)
        .join(held, literal(True))
        .where(
            GrowthProfile.org_id == org_id,
            func.lower(held.c.value["name"].astext) == name.casefold(),
            or_(expires.is_(None), expires >= today),
        )
        .group_by(GrowthProfile.employee_id)
    )
    return statement


def given_figures(figures: tuple[tuple[uuid.UUID, float], ...]) -> Select[Any]:
    """(employee_id, value): the figures a caller found, as two arrays unnested side by side
    (two parameters however many employees)."""
    ids = [employee_id for employee_id, _ in figures]
    values = [value for _, value in figures]
    return select(
        func.unnest(literal(ids, ARRAY(Uuid()))).label("employee_id"),
        func.unnest(literal(values, ARRAY(Float()))).label("value"),
    )


def last_twelve_months(today: date) -> list[str]:
    """The 12 months (`YYYY-MM`) that end with today's."""
    last = today.year * 12 + today.month - 1
    return [f"{month // 12}-{month % 12 + 1:02d}" for month in range(last - 11, last + 1)]


def training_points(org_id: uuid.UUID, today: date) -> Select[Any]:
    """(employee_id, value, plan_percent): training points of the last 12 months (from the
    monthly balances) and the share of action plans scored among those created in those months
    that are due by today or scored already (None when none is)."""
    months = last_twelve_months(today)
    since = date(int(months[0][:4]), int(months[0][5:]), 1)
    balances = POINTS_BALANCES.c
    points = (
        select(balances.employee_id, func.sum(balances.total).label("value"))
        .where(balances.org_id == org_id, balances.period == any_(literal(months, ARRAY(String()))))
        .group_by(balances.employee_id)
        .subquery("training_points")
    )
    plan = ACTION_PLANS.c
    due = cast(literal(today, Date), DateTime(timezone=True)) - cast(
        literal(f"{PLAN_DUE_DAYS} days"), Interval()
    )
    counted = (
        select(
            plan.employee_id,
            func.count().filter(plan.status == "scored").label("scored"),
            func.count().label("due"),
        )
        .where(
            plan.org_id == org_id,
            plan.created_at >= cast(literal(since, Date), DateTime(timezone=True)),
            or_(plan.status == "scored", plan.created_at <= due),
        )
        .group_by(plan.employee_id)
        .subquery("training_plans")
    )
    percent = cast(counted.c.scored, Float) * 100 / func.nullif(counted.c.due, 0)
    return select(points.c.employee_id, points.c.value, percent.label("plan_percent")).outerjoin(
        counted, counted.c.employee_id == points.c.employee_id
    )

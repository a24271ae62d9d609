"""Progress of key results and goals: pure, so the reads and the tests share it.

A key result goes from `start` to `target` (either way: a target below the start is a
reduction); its progress is `core.scoring`'s linear formula read in that direction, 0 at the
start and 100 at the target, clamped to 0–100 (beyond the target is 100, behind the start
0). A goal's progress is the weighted mean of its key results' (`core.scoring.weighted_mean`),
a key result measured by nothing yet counting 0.

An indicator's value for a goal's period comes from the figures of the live scores: the
period's own figure when the scheme's period is the goal's, else (a quarter goal over monthly
scores) the months' figures combined by the indicator's aggregation — sums added, means and
rates weighted by their observations (exactly what the quarter's observations would give),
`last` the newest month's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from hrcore.core.scoring import Formula, formula_score, weighted_mean
from hrcore.performance.periods import period_of


class Figure(NamedTuple):
    """One period's value of an indicator and how many observations made it."""

    period: str
    value: float
    observations: int


def is_quarter(period: str) -> bool:
    return period[5] == "Q"


def months_of(period: str) -> list[str]:
    """The months a goal's period spans (`2026-Q4`: October to December)."""
    if not is_quarter(period):
        return [period]
    first = 3 * int(period[6]) - 2
    return [f"{period[:4]}-{month:02d}" for month in range(first, first + 3)]


def score_periods(period: str) -> list[str]:
    """The score periods that can make a goal's period: itself, and a quarter's months."""
    return [period, *months_of(period)] if is_quarter(period) else [period]


def bounds(period: str) -> tuple[date, date]:
    """The first day of a goal's period and the day after it."""
    first = months_of(period)[0]
    _, starts, ends = period_of(first, "quarter" if is_quarter(period) else "month")
    return starts, ends


def within(child: str, parent: str) -> bool:
    """Whether a goal of period `child` may align to one of `parent` (the same period, or a
    month of the parent's quarter)."""
    return child == parent or child in months_of(parent)


def combine(aggregation: str, figures: Sequence[Figure]) -> float:
    """One value from several periods' figures (oldest first, never empty)."""
    if aggregation == "sum":
        return sum(f.value for f in figures)
    if aggregation == "last":
        return figures[-1].value
    counted = sum(f.observations for f in figures)
    return sum(f.value * f.observations for f in figures) / counted if counted else 0.0


def goal_value(period: str, aggregation: str, figures: Sequence[Figure]) -> float | None:
    """The indicator's value for the goal's period, from the figures of its score periods."""
    own = [f for f in figures if f.period == period]
    if own:
        return own[0].value
    months = sorted((f for f in figures if f.period != period), key=lambda f: f.period)
    return combine(aggregation, months) if months else None


def key_result_progress(start: float, target: float, current: float | None) -> float:
    """0–100: how far `current` went from `start` to `target` (0 when nothing is measured)."""
    if current is None:
        return 0.0
    formula = Formula(kind="linear", floor=start, direction="higher" if target > start else "lower")
    return round(formula_score(formula, target=target, actual=current), 2)


def goal_progress(key_results: Sequence[Mapping[str, Any]]) -> float | None:
    """The weighted mean of the key results' progress (None for a goal without any)."""
    mean = weighted_mean(
        {str(k["id"]): k["progress"] for k in key_results},
        {str(k["id"]): k["weight"] for k in key_results},
    )
    return None if mean is None else round(mean, 2)

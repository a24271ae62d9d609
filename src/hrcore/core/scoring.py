"""Weighted scoring shared by every domain that turns evidence into a figure.

Two parts, both pure:

- **Formulas** turn a quantitative result (target, actual) into a 0–100 score. They are data
  (`Formula`), chosen from a small safe set — never evaluated code. Each reads its result in
  a `direction`: most results are better higher (output), some lower (response time).
- **Aggregation** combines 0–100 ratings given by raters in groups (relationships: self,
  supervisor, peers…) into one score per item (indicator, competency) and an overall score.
  Within a group, raters count equally; groups are weighted, then items are weighted. A group
  or item nobody rated is left out and the remaining weights are renormalised, so a missing
  rater never drags a score to zero. Every figure carries how many raters are behind it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

# --- formulas -----------------------------------------------------------------------------


Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class Band:
    """Actuals at or above `at_least` score `score` (the highest matching band wins); when
    lower is better, actuals at or below it do."""

    at_least: float
    score: float


@dataclass(frozen=True)
class Formula:
    """`ratio`: actual / target × 100, capped at `cap`. `linear`: 0 at `floor`, 100 at the
    target, straight in between, capped at `cap`. `banded`: the score of the highest band
    reached (0 below every band).

    With `direction="lower"` the same formulas read a result that is better lower: `ratio`
    is target / actual × 100 (an actual of 0 or less scores the cap), `linear` runs from 0 at
    `floor` (the worst value, above the target) to 100 at the target, and a band is reached
    at or below its threshold."""

    kind: Literal["ratio", "linear", "banded"]
    cap: float = 100.0
    floor: float = 0.0
    bands: Sequence[Band] = ()
    direction: Direction = "higher"


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def formula_score(formula: Formula, *, target: float, actual: float) -> float:
    """The 0–100 score of `actual` against `target` (never outside 0..min(cap, 100))."""
    cap = _clamp(formula.cap, 0.0, 100.0)
    if formula.direction == "lower":
        return _clamp(_lower_is_better(formula, target=target, actual=actual, cap=cap), 0.0, cap)
    if formula.kind == "ratio":
        raw = 0.0 if target <= 0 else actual / target * 100
    elif formula.kind == "linear":
        span = target - formula.floor
        raw = 0.0 if span <= 0 else (actual - formula.floor) / span * 100
    else:
        reached = [band.score for band in formula.bands if actual >= band.at_least]
        raw = max(reached) if reached else 0.0
    return _clamp(raw, 0.0, cap)


def _lower_is_better(formula: Formula, *, target: float, actual: float, cap: float) -> float:
    """The raw score of a result that is better lower (clamped by the caller)."""
    if formula.kind == "ratio":
        if target <= 0:
            return 0.0
        return cap if actual <= 0 else target / actual * 100
    if formula.kind == "linear":
        span = formula.floor - target
        return 0.0 if span <= 0 else (formula.floor - actual) / span * 100
    reached = [band.score for band in formula.bands if actual <= band.at_least]
    return max(reached) if reached else 0.0


def scale_score(value: float, *, low: float, high: float) -> float:
    """A rating on a `low`..`high` scale as 0–100."""
    if high <= low:
        raise ValueError("the scale must go up")
    return _clamp((value - low) / (high - low) * 100, 0.0, 100.0)


# --- aggregation --------------------------------------------------------------------------


class Rating(NamedTuple):
    """One rater's 0–100 score on one item, in one group (a tuple: a large cycle makes
    millions of them)."""

    rater: str
    group: str
    item: str
    score: float


@dataclass(frozen=True)
class Figure:
    score: float
    raters: int


@dataclass(frozen=True)
class ItemScore:
    score: float
    raters: int
    groups: dict[str, Figure]


@dataclass(frozen=True)
class Aggregate:
    overall: float | None
    raters: int
    items: dict[str, ItemScore]


def weighted_mean(values: Mapping[str, float], weights: Mapping[str, float]) -> float | None:
    """Mean of `values` by `weights`, over the keys present in both with a positive weight."""
    used = {key: weights[key] for key in values if weights.get(key, 0) > 0}
    total = sum(used.values())
    if total <= 0:
        return None
    return sum(values[key] * weight for key, weight in used.items()) / total


def weighted_mean_sql(value: str, weight: str) -> str:
    """`weighted_mean` as a PostgreSQL aggregate expression over a group's rows (null where
    no weight is positive), for figures computed where their inputs are: the same float8
    products and sums, so each figure is the one `weighted_mean` gives, to the last bit,
    when the rows arrive in the order the caller would hand `weighted_mean` its values (a
    grouped aggregate over a sorted subquery adds them in its order; the sort once for all
    groups costs a fraction of an `ORDER BY` inside each aggregate). PostgreSQL refuses a
    product that underflows where Python rounds it to 0: the caller keeps values and
    weights clear of that (its weights at 0 or above ~1e-150). `value` and `weight` are the
    caller's own column expressions, never input."""
    positive = f"FILTER (WHERE {weight} > 0)"
    return f"(sum({value} * {weight}) {positive} / sum({weight}) {positive})"


def aggregate(
    ratings: Iterable[Rating],
    *,
    item_weights: Mapping[str, float],
    group_weights: Mapping[str, float],
) -> Aggregate:
    """Combine ratings: group means, weighted across groups per item, weighted across items.

    Ratings on items or groups without a positive weight are ignored. Scores stay in 0–100.
    One pass over the ratings with running sums per (item, group): linear in the ratings.
    """
    sums: dict[str, dict[str, list[float]]] = defaultdict(dict)
    raters_by_item: dict[str, set[str]] = defaultdict(set)
    raters_by_cell: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rater, group, item, value in ratings:
        if item_weights.get(item, 0) <= 0 or group_weights.get(group, 0) <= 0:
            continue
        cell = sums[item].setdefault(group, [0.0, 0.0])
        cell[0] += _clamp(value, 0.0, 100.0)
        cell[1] += 1
        raters_by_cell[item, group].add(rater)
        raters_by_item[item].add(rater)
    items: dict[str, ItemScore] = {}
    for item in item_weights:
        groups = {
            group: Figure(total / count, len(raters_by_cell[item, group]))
            for group, (total, count) in sums.get(item, {}).items()
        }
        score = weighted_mean({g: f.score for g, f in groups.items()}, group_weights)
        if score is not None:
            items[item] = ItemScore(score, len(raters_by_item[item]), groups)
    overall = weighted_mean({item: s.score for item, s in items.items()}, item_weights)
    everyone = set().union(*raters_by_item.values()) if raters_by_item else set()
    return Aggregate(overall=overall, raters=len(everyone), items=items)

"""How vacancy candidates are scored: pure rules over facts `candidates` gathers.

Every factor turns one fact into points from 0 to 100 and explains itself; the score is the
weighted sum of the points, `Σ weight × points / 100`, so it lies between 0 and 100 when the
weights sum to 100. Missing data earns 0 points and says so. The weights and point tables
are data (`RankingPolicy`); `docs/talent.md` documents the defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from hrcore.core.i18n import N_, Text, _, _n
from hrcore.talent.models import Readiness

READINESS_ORDER = {
    Readiness.READY_NOW.value: 0,
    Readiness.ONE_TO_TWO_YEARS.value: 1,
    Readiness.THREE_PLUS_YEARS.value: 2,
}
"""Tie-break after the score: ready now first, then 1–2 years, 3+ years, not assessed."""


class RankingPolicy(BaseModel):
    """The weights of the factors and the points each fact earns."""

    model_config = ConfigDict(frozen=True)

    weights: dict[str, float] = Field(
        default_factory=lambda: {
            "readiness": 30.0,
            "review_score": 20.0,
            "review_recommendation": 10.0,
            "nine_box": 20.0,
            "time_in_pool": 5.0,
            "program_completion": 15.0,
        }
    )
    readiness_points: dict[str, float] = Field(
        default_factory=lambda: {
            Readiness.READY_NOW.value: 100.0,
            Readiness.ONE_TO_TWO_YEARS.value: 60.0,
            Readiness.THREE_PLUS_YEARS.value: 20.0,
        }
    )
    recommendation_points: dict[str, float] = Field(
        default_factory=lambda: {
            "promote": 100.0,
            "continue_development": 50.0,
            "reassess_next_cycle": 0.0,
        }
    )
    nine_box_level_points: dict[str, float] = Field(
        default_factory=lambda: {"low": 0.0, "medium": 50.0, "high": 100.0}
    )
    full_time_in_pool_days: int = Field(
        default=730, description="Days in the pool that earn the full 100 points."
    )


DEFAULT_POLICY = RankingPolicy()


@dataclass(frozen=True)
class ProgramProgress:
    """The candidate's latest started program of the pool: its run, stages done and in all."""

    run_name: str
    completed: bool
    stages: int
    completed_stages: int


@dataclass(frozen=True)
class CandidateFacts:
    """What the ranking looks at for one active pool member."""

    readiness: str | None
    review_score: float | None
    recommendation: str | None
    performance: str | None
    potential: str | None
    days_in_pool: int
    program: ProgramProgress | None = None


@dataclass(frozen=True)
class FactorResult:
    factor: str
    weight: float
    value: str | float | None
    points: float
    contribution: float
    explanation: Text


Evaluation = tuple[str | float | None, float, Text]
"""A factor's finding: the value found, its points (0–100) and why, in the reader's language
(the employee's own right to an explanation)."""

LABELS = {
    "ready_now": N_("ready now"),
    "one_to_two_years": N_("one to two years"),
    "three_plus_years": N_("three plus years"),
    "promote": N_("promote"),
    "continue_development": N_("continue development"),
    "reassess_next_cycle": N_("reassess next cycle"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
}
"""What the machine values in explanations read as; the `value` field keeps the code."""


def _label(code: str) -> Text:
    return _(LABELS[code]) if code in LABELS else Text("{code}", params={"code": code})


def _readiness(facts: CandidateFacts, policy: RankingPolicy) -> Evaluation:
    if facts.readiness is None:
        return None, 0.0, _("readiness not assessed yet")
    points = policy.readiness_points.get(facts.readiness, 0.0)
    return facts.readiness, points, _("readiness {label}", label=_label(facts.readiness))


def _review_score(facts: CandidateFacts, policy: RankingPolicy) -> Evaluation:
    if facts.review_score is None:
        return None, 0.0, _("no published review result")
    score = max(0.0, min(100.0, facts.review_score))
    return (
        facts.review_score,
        score,
        _("latest published review scored {score}", score=f"{facts.review_score:g}"),
    )


def _recommendation(facts: CandidateFacts, policy: RankingPolicy) -> Evaluation:
    if facts.recommendation is None:
        return None, 0.0, _("no recommendation on the latest published review")
    points = policy.recommendation_points.get(facts.recommendation, 0.0)
    label = _label(facts.recommendation)
    return facts.recommendation, points, _("latest review recommends: {label}", label=label)


def _nine_box(facts: CandidateFacts, policy: RankingPolicy) -> Evaluation:
    if facts.performance is None or facts.potential is None:
        return None, 0.0, _("not placed on the 9-box")
    levels = policy.nine_box_level_points
    points = (levels.get(facts.performance, 0.0) + levels.get(facts.potential, 0.0)) / 2
    value = f"{facts.performance} performance, {facts.potential} potential"
    why = _(
        "9-box: {performance} performance, {potential} potential",
        performance=_label(facts.performance),
        potential=_label(facts.potential),
    )
    return value, points, why


def _time_in_pool(facts: CandidateFacts, policy: RankingPolicy) -> Evaluation:
    days = max(0, facts.days_in_pool)
    points = min(days, policy.full_time_in_pool_days) * 100 / policy.full_time_in_pool_days
    why = _n("{count} day as an active pool member", "{count} days as an active pool member", days)
    return float(days), points, why


def _program_completion(facts: CandidateFacts, policy: RankingPolicy) -> Evaluation:
    program = facts.program
    if program is None or program.stages == 0:
        return None, 0.0, _("no development program of this pool started")
    value = f"{program.completed_stages} of {program.stages} stages"
    if program.completed:
        return value, 100.0, _("completed the program {program}", program=program.run_name)
    points = program.completed_stages * 100 / program.stages
    why = _(
        "{done} of {stages} stages done in the program {program}",
        done=program.completed_stages,
        stages=program.stages,
        program=program.run_name,
    )
    return value, points, why


@dataclass(frozen=True)
class Factor:
    name: str
    evaluate: Callable[[CandidateFacts, RankingPolicy], Evaluation]


FACTORS: tuple[Factor, ...] = (
    Factor("readiness", _readiness),
    Factor("review_score", _review_score),
    Factor("review_recommendation", _recommendation),
    Factor("nine_box", _nine_box),
    Factor("time_in_pool", _time_in_pool),
    Factor("program_completion", _program_completion),
)
"""The factors in the order explanations list them."""


def explain(facts: CandidateFacts, policy: RankingPolicy = DEFAULT_POLICY) -> list[FactorResult]:
    """Every factor's value, points, weighted contribution and reason."""
    results = []
    for factor in FACTORS:
        value, points, explanation = factor.evaluate(facts, policy)
        weight = policy.weights.get(factor.name, 0.0)
        results.append(
            FactorResult(
                factor=factor.name,
                weight=weight,
                value=value,
                points=round(points, 2),
                contribution=round(weight * points / 100, 2),
                explanation=explanation,
            )
        )
    return results


def total(results: list[FactorResult]) -> float:
    return round(sum(result.contribution for result in results), 2)


def readiness_rank(readiness: str | None) -> int:
    return READINESS_ORDER.get(readiness or "", len(READINESS_ORDER))

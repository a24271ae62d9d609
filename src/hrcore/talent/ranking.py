"""How vacancy candidates are scored: pure rules over facts `candidates` gathers.

Every factor turns one fact into points from 0 to 100 and explains itself; the score is the
weighted sum of the points, `Σ weight × points / 100`, with the weights of the factors that
count scaled to sum to 100, so it lies between 0 and 100. Missing data earns 0 points and
says so — except the competency match, which cannot be measured without a competency model
for the position or an assessed competency of it: it is then not counted (its weight goes
to the others, proportionally) and says why, rather than scoring a silent 0. The weights
and point tables are data (`RankingPolicy`); `docs/talent.md` documents the defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hrcore.competencies import api as competencies
from hrcore.core.i18n import N_, Lines, Text, _, _n
from hrcore.talent.models import Readiness

READINESS_ORDER = {
    Readiness.READY_NOW.value: 0,
    Readiness.ONE_TO_TWO_YEARS.value: 1,
    Readiness.THREE_PLUS_YEARS.value: 2,
}
"""Tie-break after the score: ready now first, then 1–2 years, 3+ years, not assessed."""


class RankingPolicy(BaseModel):
    """The weights of the factors and the points each fact earns. Weights are relative: the
    factors that count share 100 in proportion to theirs."""

    model_config = ConfigDict(frozen=True)

    weights: dict[str, float] = Field(
        default_factory=lambda: {
            "readiness": 30.0,
            "review_score": 20.0,
            "review_recommendation": 10.0,
            "nine_box": 20.0,
            "time_in_pool": 5.0,
            "program_completion": 15.0,
            "competency_match": 25.0,
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
    competency_gaps_explained: int = Field(
        default=3, description="How many of the largest competency gaps an explanation names."
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
    competency: competencies.Match | None = None
    """The candidate against the position's competency model; None: no model to measure
    against (the position has none, or a family pool names no position)."""


@dataclass(frozen=True)
class FactorResult:
    factor: str
    weight: float
    value: str | float | None
    points: float | None
    contribution: float
    explanation: Text
    competencies: dict[str, Any] | None = None


Evaluation = tuple[str | float | None, float | None, Text]
"""A factor's finding: the value found, its points (0–100; None: the factor cannot be
measured and is not counted) and why, in the reader's language (the employee's own right to
an explanation)."""

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


NOT_COUNTED = N_("the other factors' weights are scaled to sum to 100")


def _competency_match(facts: CandidateFacts, policy: RankingPolicy) -> Evaluation:
    fit = facts.competency
    if fit is None:
        why = _(
            "not counted: no competency model for the position; {scaled}", scaled=_(NOT_COUNTED)
        )
        return None, None, why
    if not fit.assessed:
        why = _(
            "not counted: no competency of the position's model assessed yet; {scaled}",
            scaled=_(NOT_COUNTED),
        )
        return None, None, why
    fields = {"match": f"{fit.match:g}", "version": fit.model_version}
    if fit.attained:
        why = _("competency match {match}% (model version {version}): every level met", **fields)
        return fit.match, fit.match, why
    gaps = Lines(
        [
            _(
                "{name} {current} of {required}",
                name=line.name,
                current=f"{line.current or 0.0:g}",
                required=f"{line.required:g}",
            )
            for line in fit.largest_gaps(policy.competency_gaps_explained)
        ],
        separator=N_(", "),
    )
    why = _(
        "competency match {match}% (model version {version}); largest gaps: {gaps}",
        gaps=gaps,
        **fields,
    )
    return fit.match, fit.match, why


def _competency_detail(facts: CandidateFacts, policy: RankingPolicy) -> dict[str, Any] | None:
    """The competency match behind the factor: what a reader needs to act on it."""
    fit = facts.competency
    if fit is None:
        return None
    return {
        "model_version": fit.model_version,
        "department_id": fit.department_id,
        "profile_computed_at": fit.profile_computed_at,
        "match": fit.match,
        "attained": fit.attained,
        "largest_gaps": [
            {
                "competency_id": line.competency_id,
                "competency": {"id": line.competency_id, "name": line.name},
                "weight": line.weight,
                "required": line.required,
                "current": line.current,
                "gap": line.gap,
            }
            for line in fit.largest_gaps(policy.competency_gaps_explained)
        ],
    }


@dataclass(frozen=True)
class Factor:
    name: str
    evaluate: Callable[[CandidateFacts, RankingPolicy], Evaluation]
    detail: Callable[[CandidateFacts, RankingPolicy], dict[str, Any] | None] | None = None


FACTORS: tuple[Factor, ...] = (
    Factor("readiness", _readiness),
    Factor("review_score", _review_score),
    Factor("review_recommendation", _recommendation),
    Factor("nine_box", _nine_box),
    Factor("time_in_pool", _time_in_pool),
    Factor("program_completion", _program_completion),
    Factor("competency_match", _competency_match, _competency_detail),
)
"""The factors in the order explanations list them."""


def explain(facts: CandidateFacts, policy: RankingPolicy = DEFAULT_POLICY) -> list[FactorResult]:
    """Every factor's value, points, weighted contribution and reason; the weight each
    counted with is its share of the counted factors' weights (0 when not counted)."""
    found = [(factor, factor.evaluate(facts, policy)) for factor in FACTORS]
    counted = sum(
        policy.weights.get(factor.name, 0.0)
        for factor, (_v, points, _w) in found
        if points is not None
    )
    results = []
    for factor, (value, points, explanation) in found:
        weight = 0.0
        if points is not None and counted:
            weight = policy.weights.get(factor.name, 0.0) * 100 / counted
        detail = factor.detail(facts, policy) if factor.detail and points is not None else None
        results.append(
            FactorResult(
                factor=factor.name,
                weight=round(weight, 2),
                value=value,
                points=None if points is None else round(points, 2),
                contribution=round(weight * (points or 0.0) / 100, 2),
                explanation=explanation,
                competencies=detail,
            )
        )
    return results


def total(results: list[FactorResult]) -> float:
    return round(sum(result.contribution for result in results), 2)


def readiness_rank(readiness: str | None) -> int:
    return READINESS_ORDER.get(readiness or "", len(READINESS_ORDER))

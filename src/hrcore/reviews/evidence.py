"""Review results as competency evidence: an indicator that names a competency of the
library says something about it.

When a result is published — and again when an upheld appeal rescores one of its
indicators — each competency its indicators name gets one piece of evidence (source kind
`review`, source id the result, observed when it was published): the mean of those
indicators' scores scaled from 0–100 to 0–10, weighted as the result weighted them, with a
note naming the cycle and each indicator's value and share. Only the stored, aggregated
figures are used: anonymous groups below the threshold were left out at aggregation and no
rater is ever named. Recording the result again replaces its evidence
(`competencies.replace_source_evidence`), so a republish or a correction never doubles it.

A cycle another domain records as evidence of its own (programs' supervisor evaluations:
`EvidenceOwner`) is left to it, so one rating never counts twice; reviews announces
`RESULTS_SCORED` when such results are computed or corrected.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core import events, scoring
from hrcore.reviews import repository
from hrcore.reviews.models import ReviewCycle, ReviewResult
from hrcore.reviews.schemas import INDICATORS

REVIEW = "review"
RESULTS_SCORED = "review_results.scored"
"""A cycle naming competencies has results computed (aggregation) or one corrected (an
upheld appeal): `cycle_id`."""

OwnsCycle = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[bool]]
_OWNERS: list[OwnsCycle] = []


@dataclass(frozen=True)
class EvidenceOwner:
    """A domain's declaration (a `core.registry.Hook`): `owns(session, org_id, cycle_id)`
    says whether it records that cycle's results as evidence itself."""

    owns: OwnsCycle

    def install(self) -> None:
        if self.owns not in _OWNERS:
            _OWNERS.append(self.owns)


@dataclass(frozen=True)
class ResultEvidence:
    """What one result says about the employee's competencies (`competencies.SourceValue`s)."""

    result_id: uuid.UUID
    employee_id: uuid.UUID
    values: tuple[competencies.SourceValue, ...]


def names_competencies(form: dict[str, Any]) -> bool:
    """Whether any indicator of a cycle's form names a competency."""
    return any(i.get("competency_id") for i in form["indicators"])


def competency_values(cycle: ReviewCycle, result: ReviewResult) -> list[competencies.SourceValue]:
    """Per competency the result's indicators name: their weighted mean scaled to 0–10,
    explained (an indicator nobody rated has no figure and says nothing)."""
    figures = result.scores.get("indicators", {})
    by_competency: dict[uuid.UUID, list[tuple[str, float, float]]] = defaultdict(list)
    for indicator in INDICATORS.validate_python(cycle.form["indicators"]):
        figure = figures.get(indicator.key)
        if indicator.competency_id is None or figure is None:
            continue
        by_competency[indicator.competency_id].append(
            (indicator.name, float(figure["score"]) / 10, float(figure.get("weight", 1.0)))
        )
    values = []
    for competency_id, items in by_competency.items():
        mean = scoring.weighted_mean(
            {str(n): v for n, (_name, v, _w) in enumerate(items)},
            {str(n): w for n, (_name, _v, w) in enumerate(items)},
        )
        if mean is None:
            continue
        total = sum(weight for _name, _value, weight in items)
        parts = ", ".join(f"{name} {v:.1f} ({w / total:.0%})" for name, v, w in items)
        values.append(
            competencies.SourceValue(competency_id, round(mean, 2), f"{cycle.name}: {parts}")
        )
    return values


async def _owned(session: AsyncSession, cycle: ReviewCycle) -> bool:
    return any([await owns(session, cycle.org_id, cycle.id) for owns in _OWNERS])


async def record_result(
    session: AsyncSession, cycle: ReviewCycle, result: ReviewResult, observed_at: datetime
) -> list[dict[str, Any]] | None:
    """Record (or replace) a published result's evidence in the caller's transaction and
    say what was recorded, for the audit; a form naming no competency, or a cycle another
    domain owns, records nothing (None)."""
    if not names_competencies(cycle.form) or await _owned(session, cycle):
        return None
    values = competency_values(cycle, result)
    await competencies.replace_source_evidence(
        session,
        result.org_id,
        employee_id=result.employee_id,
        source_kind=REVIEW,
        source_id=result.id,
        observed_at=observed_at,
        values=values,
    )
    return [{"competency_id": str(v.competency_id), "value": v.value} for v in values]


def announce_scored(session: AsyncSession, cycle: ReviewCycle) -> None:
    """Tell the owners of a cycle's evidence that its results were computed or corrected
    (only cycles whose form names a competency, the only ones with evidence to record)."""
    if not names_competencies(cycle.form):
        return
    events.emit(session, RESULTS_SCORED, {"cycle_id": str(cycle.id)}, org_id=cycle.org_id)


async def cycle_evidence(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID
) -> list[ResultEvidence]:
    """What each computed result of a cycle says about competencies, for the domain that
    owns the cycle's evidence; two statements (none but the cycle's for a form naming no
    competency)."""
    cycle = await repository.cycle_by_id(session, org_id, cycle_id)
    if cycle is None or not names_competencies(cycle.form):
        return []
    results = await repository.results_of_cycle(session, org_id, cycle_id)
    return [
        ResultEvidence(result.id, result.employee_id, tuple(competency_values(cycle, result)))
        for result in results
    ]

"""Review results as competency evidence: an indicator that names a competency of the
library says something about it.

When a result is published — and again when an upheld appeal rescores one of its
indicators — each competency its indicators name gets one piece of evidence (source id the
result, observed when it was published): the mean of those indicators' scores scaled from
0–100 to 0–10, weighted as the result weighted them, with a note naming the cycle and each
indicator's value and share. Publication is the moment because it is when the employee may
see the figures; only the stored, aggregated figures are used (anonymous groups below the
threshold were left out at aggregation) and no rater is ever named. Recording the result
again replaces its evidence (`competencies.replace_source_evidence`), so a republish or a
correction never doubles it.

The source kind is `review`, unless a domain that runs cycles of its own names another for
them (`EvidenceKind`: programs' supervisor evaluations are `program_evaluation`).
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
from hrcore.core import scoring
from hrcore.reviews.models import ReviewCycle, ReviewResult
from hrcore.reviews.schemas import INDICATORS

REVIEW = "review"

KindOf = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[str | None]]
_KINDS: list[KindOf] = []


@dataclass(frozen=True)
class EvidenceKind:
    """A domain's declaration (a `core.registry.Hook`): `kind_of(session, org_id, cycle_id)`
    names the source kind of a cycle it runs (None: not its cycle)."""

    kind_of: KindOf

    def install(self) -> None:
        if self.kind_of not in _KINDS:
            _KINDS.append(self.kind_of)


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


async def _source_kind(session: AsyncSession, cycle: ReviewCycle) -> str:
    """The kind the domain running the cycle names, else `review`."""
    for kind_of in _KINDS:
        kind = await kind_of(session, cycle.org_id, cycle.id)
        if kind is not None:
            return kind
    return REVIEW


async def record_result(
    session: AsyncSession, cycle: ReviewCycle, result: ReviewResult, observed_at: datetime
) -> dict[str, Any] | None:
    """Record (or replace) a published result's evidence in the caller's transaction and
    say what was recorded, for the audit; a form naming no competency records nothing
    (None)."""
    if not names_competencies(cycle.form):
        return None
    kind = await _source_kind(session, cycle)
    values = competency_values(cycle, result)
    await competencies.replace_source_evidence(
        session,
        result.org_id,
        employee_id=result.employee_id,
        source_kind=kind,
        source_id=result.id,
        observed_at=observed_at,
        values=values,
    )
    return {
        "source_kind": kind,
        "values": [{"competency_id": str(v.competency_id), "value": v.value} for v in values],
    }

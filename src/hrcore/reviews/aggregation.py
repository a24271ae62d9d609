"""Aggregation (the worker's `reviews.aggregate`, queued once when a cycle closes): each
participant's result computed with `core.scoring` and stored idempotently, one per
participant, in batches.

Qualitative ratings and quantitative formulas become 0–100 scores; raters count equally
within a relationship, relationships are weighted, indicators by kind weight × indicator
weight (the most specific department override wins); whatever nobody rated is left out and
the remaining weights renormalised.

Anonymity is a property of the stored result, not of a view: a peer or subordinate group
with fewer answers than the threshold is left out of every figure (scores, rater counts,
comments) and only the fact that it was withheld is recorded. Every reader reads that
result; only HR's audited raw access (`oversight`) sees individual answers.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import scoring
from hrcore.core.db import insert_new
from hrcore.org import api as org
from hrcore.reviews import repository
from hrcore.reviews.models import ANONYMOUS, ReviewCycle, ReviewParticipant, ReviewResult
from hrcore.reviews.schemas import INDICATORS, Indicator, KindWeights

AGGREGATE_JOB = "reviews.aggregate"
RESULT_BATCH = 1000
Scorer = Callable[[dict[str, Any]], float | None]


def _kind_weights(form: dict[str, Any], path: str | None, paths: dict[str, str]) -> KindWeights:
    """The most specific department override covering `path`, else the form's weights."""
    best: tuple[int, dict[str, Any]] | None = None
    for override in form.get("department_overrides", []):
        prefix = paths.get(str(override["department_id"]))
        if path and prefix and path.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), override["kind_weights"])
    return KindWeights.model_validate(best[1] if best else form["kind_weights"])


def _item_weights(indicators: Sequence[Indicator], kinds: KindWeights) -> dict[str, float]:
    share = {"quantitative": kinds.quantitative, "qualitative": kinds.qualitative}
    return {i.key: share[i.kind] * i.weight / 100 for i in indicators}


def _scorer(indicator: Indicator) -> Scorer:
    """How a stored answer to `indicator` becomes a 0–100 score (built once per cycle; the
    answers were checked against the form when saved)."""
    if indicator.kind == "qualitative":
        low, high = (indicator.scale.min, indicator.scale.max) if indicator.scale else (1, 5)

        def rated(answer: dict[str, Any]) -> float | None:
            value = answer.get("score")
            return None if value is None else scoring.scale_score(value, low=low, high=high)

        return rated
    spec, target = indicator.formula, indicator.target or 0
    if spec is None:
        return lambda answer: None
    formula = scoring.Formula(
        kind=spec.kind,
        cap=spec.cap,
        floor=spec.floor,
        bands=tuple(scoring.Band(b.at_least, b.score) for b in spec.bands),
    )

    def measured(answer: dict[str, Any]) -> float | None:
        actual = answer.get("actual")
        if actual is None:
            return None
        return scoring.formula_score(formula, target=target, actual=actual)

    return measured


def _withheld(answered: Sequence[Any], threshold: int) -> list[str]:
    """The anonymous groups with fewer than `threshold` answers, none included: listing only
    groups that answered would tell a reader that somebody did."""
    counts = Counter(row.relationship for row in answered if row.relationship in ANONYMOUS)
    return sorted(group for group in ANONYMOUS if counts[group] < threshold)


def _anonymous_cells_shown(ratings: list[scoring.Rating], threshold: int) -> list[scoring.Rating]:
    """Drop an anonymous group's ratings of an indicator fewer than `threshold` of its raters
    rated (answers may be partial: three peers answered, one rated leadership)."""
    cells = Counter((r.group, r.item) for r in ratings if r.group in ANONYMOUS)
    return [r for r in ratings if r.group not in ANONYMOUS or cells[r.group, r.item] >= threshold]


def _result_row(
    cycle: ReviewCycle,
    member: ReviewParticipant,
    answered: Sequence[Any],
    scorers: dict[str, Scorer],
    weights: dict[str, float],
    threshold: int,
) -> dict[str, Any]:
    """One participant's result as every reader but the raw-answer auditor will see it."""
    withheld = _withheld(answered, threshold)
    ratings, comments = [], defaultdict(list)
    for row in answered:
        if row.relationship in withheld:
            continue
        rater = str(row.rater_employee_id)
        for key, answer in row.answers.items():
            scorer = scorers.get(key)
            value = scorer(answer) if scorer is not None else None
            if value is not None:
                ratings.append(scoring.Rating(rater, row.relationship, key, value))
            if answer.get("comment"):
                comments[row.relationship].append(answer["comment"])
        if row.comment:
            comments[row.relationship].append(row.comment)
    result = scoring.aggregate(
        _anonymous_cells_shown(ratings, threshold),
        item_weights=weights,
        group_weights=cycle.relationship_weights,
    )
    return {
        "org_id": cycle.org_id,
        "cycle_id": cycle.id,
        "participant_id": member.id,
        "employee_id": member.employee_id,
        "overall": round(Decimal(result.overall), 2) if result.overall is not None else None,
        "scores": {
            "raters": result.raters,
            "indicators": {
                key: {
                    "score": s.score,
                    "weight": weights[key],
                    "raters": s.raters,
                    "groups": {
                        g: {"score": f.score, "raters": f.raters} for g, f in s.groups.items()
                    },
                }
                for key, s in result.items.items()
            },
            "withheld": withheld,
        },
        "comments": dict(comments),
        "adjustments": [],
        "status": "computed",
        "version": 1,
    }


async def aggregate_cycle(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID, *, threshold: int
) -> int:
    """Compute every participant's result in batches (idempotent: one result each), with
    the anonymous groups below `threshold` left out (`_result_row`)."""
    cycle = await repository.cycle_by_id(session, org_id, cycle_id, for_update=True)
    if cycle is None or cycle.status != "closed":
        return 0
    indicators = INDICATORS.validate_python(cycle.form["indicators"])
    members = await repository.participants(session, org_id, cycle.id)
    override_ids = [o["department_id"] for o in cycle.form.get("department_overrides", [])]
    paths = await org.department_paths(
        session,
        org_id,
        [uuid.UUID(str(i)) for i in override_ids] + [m.department_id for m in members],
    )
    text_paths = {str(k): v for k, v in paths.items()}
    scorers = {indicator.key: _scorer(indicator) for indicator in indicators}
    made = 0
    for start in range(0, len(members), RESULT_BATCH):
        batch = members[start : start + RESULT_BATCH]
        answered = await repository.submitted_answers(
            session, org_id, cycle.id, [m.id for m in batch]
        )
        by_member: dict[uuid.UUID, list[Any]] = defaultdict(list)
        for row in answered:
            by_member[row.participant_id].append(row)
        rows = [
            _result_row(
                cycle,
                m,
                by_member[m.id],
                scorers,
                _item_weights(
                    indicators, _kind_weights(cycle.form, paths.get(m.department_id), text_paths)
                ),
                threshold,
            )
            for m in batch
        ]
        made += len(
            await insert_new(
                session,
                ReviewResult,
                rows,
                unique=["org_id", "participant_id"],
                returning=[ReviewResult.id],
            )
        )
    cycle.status = "aggregated"
    await session.flush()
    return made

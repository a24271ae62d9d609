"""Aggregation (the worker's `reviews.aggregate`, queued once when a cycle closes): each
participant's result computed with `core.scoring` and stored idempotently, one per
participant, in batches.

Qualitative ratings and quantitative formulas become 0–100 scores; raters count equally
within a relationship, relationships are weighted, indicators by kind weight × indicator
weight (the most specific department variant wins, its weights replacing the form's; the
result says which came from it); whatever nobody rated is left out and the remaining
weights renormalised.

Anonymity is a property of the stored result, not of a view: a peer or subordinate group
with fewer answers than the threshold is left out of every figure (scores, rater counts,
comments) and only the fact that it was withheld is recorded. Every reader reads that
result; only HR's audited raw access (`oversight`) sees individual answers.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Weights:
    """A participant's indicator weights (kind weight × indicator weight, as shares of the
    overall) and how they were made: which department variant applied and what it set."""

    items: dict[str, float]
    explained: dict[str, dict[str, Any]]
    variant: dict[str, str] | None


def _variant(form: dict[str, Any], path: str | None, paths: dict[str, str]) -> dict[str, Any]:
    """The most specific department override covering `path` (empty when none does)."""
    best: tuple[int, dict[str, Any]] = (-1, {})
    for override in form.get("department_overrides", []):
        prefix = paths.get(str(override["department_id"]))
        if path and prefix and path.startswith(prefix) and len(prefix) > best[0]:
            best = (len(prefix), override)
    return best[1]


def _weights(
    indicators: Sequence[Indicator], form: dict[str, Any], override: dict[str, Any], name: str
) -> Weights:
    """The form's weights with the variant's in their place, each figure saying where it came
    from (`form` or `department`)."""
    split = override.get("kind_weights")
    kinds = KindWeights.model_validate(split or form["kind_weights"])
    share = {"quantitative": kinds.quantitative, "qualitative": kinds.qualitative}
    own = override.get("indicator_weights") or {}
    items, explained = {}, {}
    for i in indicators:
        weight = float(own.get(i.key, i.weight))
        items[i.key] = share[i.kind] * weight / 100
        explained[i.key] = {
            "kind_weight": share[i.kind],
            "kind_weight_from": "department" if split else "form",
            "indicator_weight": weight,
            "indicator_weight_from": "department" if i.key in own else "form",
        }
    variant = {"id": str(override["department_id"]), "name": name} if override else None
    return Weights(items, explained, variant)


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
    weights: Weights,
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
        item_weights=weights.items,
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
                    "weight": weights.items[key],
                    **weights.explained[key],
                    "raters": s.raters,
                    "groups": {
                        g: {"score": f.score, "raters": f.raters} for g, f in s.groups.items()
                    },
                }
                for key, s in result.items.items()
            },
            "withheld": withheld,
            "variant": weights.variant,
        },
        "comments": dict(comments),
        "adjustments": [],
        "status": "computed",
        "version": 1,
    }


def shown_comments(result: ReviewResult) -> list[tuple[uuid.UUID, str]]:
    """The comments a result shows — unattributed, in alphabetical order, without those HR
    hid — each with the id an appeal names it by. The id is made of the result, the text and
    how many identical texts precede it: of what the reviewee sees, never of who wrote it."""
    hidden = {uuid.UUID(h["id"]) for h in result.hidden_comments}
    before: Counter[str] = Counter()
    shown = []
    for text in sorted(t for texts in result.comments.values() for t in texts):
        comment_id = uuid.uuid5(result.id, f"{before[text]}:{text}")
        before[text] += 1
        if comment_id not in hidden:
            shown.append((comment_id, text))
    return shown


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
    names = await org.department_refs(session, org_id, [uuid.UUID(str(i)) for i in override_ids])
    scorers = {indicator.key: _scorer(indicator) for indicator in indicators}
    by_variant: dict[str, Weights] = {}  # one set of weights per variant, built once
    made = 0
    for start in range(0, len(members), RESULT_BATCH):
        batch = members[start : start + RESULT_BATCH]
        answered = await repository.submitted_answers(
            session, org_id, cycle.id, [m.id for m in batch]
        )
        by_member: dict[uuid.UUID, list[Any]] = defaultdict(list)
        for row in answered:
            by_member[row.participant_id].append(row)
        rows = []
        for m in batch:
            override = _variant(cycle.form, paths.get(m.department_id), text_paths)
            key = str(override.get("department_id", ""))
            if key not in by_variant:
                ref = names.get(uuid.UUID(key)) if key else None
                by_variant[key] = _weights(
                    indicators, cycle.form, override, ref.name if ref else ""
                )
            rows.append(_result_row(cycle, m, by_member[m.id], scorers, by_variant[key], threshold))
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

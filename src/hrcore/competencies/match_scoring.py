"""The arithmetic of stretch matching, once: the bare score a ranking sorts thousands of
pairs by, and the explanation of the few it shows, from the same numbers — so a shown
score is always the score its rank came from.

A pair's four factors, each 0–1, weighted by `stretch_match_weights`:

- `gap_fit`: how far the person falls short of what their position's model requires in
  the competencies the assignment develops (the mean of gap / required; a competency the
  model does not name adds 0);
- `readiness`: how close they are to the start level of each (the mean of current / start,
  capped at 1);
- `load`: room for one more (1 − open assignments / the most one person takes at once);
- `pool`: 1 for an active member of a talent pool."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hrcore.competencies.levels import on_scale
from hrcore.settings import Settings

FACTORS = ("gap_fit", "readiness", "load", "pool")

Fit = tuple[float, float | None, float | None, float]
"""One developed competency for one person: start, required (None where their model does not
name it), current (None before any evidence) and gap, on the 0–10 scale."""

Values = tuple[float, float, float, float]
"""The factors' values in `FACTORS` order."""


@dataclass(frozen=True)
class Developed:
    """A competency an assignment develops, resolved once per request."""

    key: str
    """Its id as profiles and models spell it."""
    competency_id: uuid.UUID
    name: str
    levels: int
    start: float
    """The start level on the 0–10 scale."""


@dataclass(frozen=True)
class Weights:
    """`stretch_match_weights` in `FACTORS` order, their sum, and the capacity."""

    shares: tuple[float, float, float, float]
    total: float
    most: int

    @classmethod
    def of(cls, settings: Settings) -> Weights:
        named = {str(key): value for key, value in settings.stretch_match_weights.items()}
        shares = (
            named.get("gap_fit", 0.0),
            named.get("readiness", 0.0),
            named.get("load", 0.0),
            named.get("pool", 0.0),
        )
        return cls(shares, sum(named.values()), settings.stretch_max_concurrent_assignments)


def developed(
    entries: Sequence[Mapping[str, Any]], levels: Mapping[uuid.UUID, tuple[str, int]]
) -> list[Developed]:
    """An assignment's competencies with their names, levels and start on the scale; one the
    organization no longer has is left out."""
    resolved = []
    for entry in entries:
        competency_id = uuid.UUID(entry["competency_id"])
        name, count = levels.get(competency_id, ("", 0))
        if count:
            start = on_scale(entry["start_level"], count)
            resolved.append(Developed(entry["competency_id"], competency_id, name, count, start))
    return resolved


def fits(
    competencies: Sequence[Developed], scores: Mapping[str, float], model: Mapping[str, int]
) -> list[Fit]:
    """Each developed competency against the person's scores and their model's levels."""
    lines = []
    for item in competencies:
        level = model.get(item.key)
        required = on_scale(level, item.levels) if level else None
        lines.append(fit(item.start, required, scores.get(item.key)))
    return lines


def fit(start: float, required: float | None, current: float | None) -> Fit:
    return (
        start,
        required,
        current,
        round(max(required - (current or 0.0), 0.0), 2) if required else 0.0,
    )


def values(lines: Sequence[Fit], load: int, pooled: bool, most: int) -> Values:
    count = len(lines) or 1
    return (
        sum(gap / required for _start, required, _current, gap in lines if required) / count,
        sum(min((current or 0.0) / start, 1.0) for start, _required, current, _gap in lines)
        / count,
        max(0.0, 1 - load / most),
        1.0 if pooled else 0.0,
    )


def points(factor_values: Values, weights: Weights) -> list[float]:
    """What each factor adds to the score (0–100 in all)."""
    if not weights.total:
        return [0.0] * len(FACTORS)
    return [
        round(value * share / weights.total * 100, 2)
        for value, share in zip(factor_values, weights.shares, strict=True)
    ]


def total(factor_values: Values, weights: Weights) -> float:
    """The score a ranking sorts by: the sum of the factors' points."""
    return round(sum(points(factor_values, weights)), 2)


def explained_factors(factor_values: Values, weights: Weights) -> list[dict[str, Any]]:
    return [
        {"factor": factor, "value": round(value, 4), "weight": share, "points": part}
        for factor, value, share, part in zip(
            FACTORS, factor_values, weights.shares, points(factor_values, weights), strict=True
        )
    ]


def explained_lines(
    competencies: Sequence[Developed], lines: Sequence[Fit]
) -> list[dict[str, Any]]:
    return [
        {
            "competency_id": item.competency_id,
            "competency": {"id": item.competency_id, "name": item.name},
            "start": start,
            "required": required,
            "current": current,
            "gap": gap,
            "ready": (current or 0.0) >= start,
        }
        for item, (start, required, current, gap) in zip(competencies, lines, strict=True)
    ]

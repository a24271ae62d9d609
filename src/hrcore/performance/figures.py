"""A period's score from its observations: pure, so the worker and the tests share it.

Each indicator's observations make one value by the indicator's aggregation; the formula
(`core.scoring`, read in the indicator's direction) turns it into 0–100 against the target;
the overall score is the weighted mean of the indicators observed so far
(`core.scoring.weighted_mean`: an indicator without data yet is left out, not counted as 0).
A department override of the employee's subtree replaces weights and targets, and every
figure says where its weight and target came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from hrcore.core.scoring import Band, Formula, formula_score, weighted_mean

INPUTS_SHOWN = 20
"""The newest observations an explanation lists (all of them are counted)."""


class Observation(NamedTuple):
    id: str
    indicator: str
    value: float
    observed_at: datetime
    source: str | None = None
    """Shown in the explanation; the goals' progress does not need it."""


def period_value(aggregation: str, observations: Sequence[Observation]) -> float:
    """The period's value of one indicator (`observations` oldest first, never empty)."""
    values = [o.value for o in observations]
    if aggregation == "sum":
        return sum(values)
    if aggregation == "mean":
        return sum(values) / len(values)
    if aggregation == "last":
        return values[-1]
    return sum(1 for v in values if v != 0) / len(values) * 100


def _formula(indicator: Mapping[str, Any]) -> Formula:
    spec = indicator["formula"]
    return Formula(
        kind=spec["kind"],
        cap=spec["cap"],
        floor=spec["floor"],
        bands=tuple(Band(b["at_least"], b["score"]) for b in spec["bands"]),
        direction=indicator["direction"],
    )


def score_period(
    scheme: Mapping[str, Any],
    override: Mapping[str, Any],
    observations: Sequence[Observation],
) -> tuple[float, list[dict[str, Any]]] | None:
    """(overall, per-indicator figures JSON-ready) for one employee and period, or None when
    no indicator of the scheme was observed."""
    by_key: dict[str, list[Observation]] = {}
    for observation in sorted(observations, key=lambda o: (o.observed_at, o.id)):
        by_key.setdefault(observation.indicator, []).append(observation)
    weights, targets = override.get("weights") or {}, override.get("targets") or {}
    figures, scores, used_weights = [], {}, {}
    for indicator in scheme["indicators"]:
        key = indicator["key"]
        weight = float(weights.get(key, indicator["weight"]))
        target = float(targets.get(key, indicator["target"]))
        seen = by_key.get(key, [])
        value = period_value(indicator["aggregation"], seen) if seen else None
        score = None
        if value is not None:
            score = round(formula_score(_formula(indicator), target=target, actual=value), 2)
            scores[key], used_weights[key] = score, weight
        figures.append(
            {
                "key": key,
                "name": indicator["name"],
                "unit": indicator["unit"],
                "direction": indicator["direction"],
                "weight": weight,
                "weight_from": "department" if key in weights else "scheme",
                "target": target,
                "target_from": "department" if key in targets else "scheme",
                "formula": indicator["formula"],
                "aggregation": indicator["aggregation"],
                "observations": len(seen),
                "inputs": [
                    {
                        "id": o.id,
                        "value": o.value,
                        "observed_at": o.observed_at.isoformat(),
                        "source": o.source,
                    }
                    for o in seen[-INPUTS_SHOWN:]
                ],
                "value": value,
                "score": score,
            }
        )
    overall = weighted_mean(scores, used_weights)
    return None if overall is None else (round(overall, 2), figures)

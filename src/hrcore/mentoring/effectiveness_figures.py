"""Effectiveness as pure arithmetic over figures already read: what one pairing achieved,
and a mentor's parts weighed through `core.scoring` (each explained: value, 0–100 score,
weight, contribution, and what it was counted over). No I/O here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from typing import Any

from hrcore.core.calendar import add_months
from hrcore.core.scoring import Formula, formula_score, scale_score, weighted_mean
from hrcore.people import api as people

GAIN_TARGET_PERCENT = 20.0
"""A gain of 20 % scores 100 (the seed's "≥ 20 % gain"); less scores in proportion."""
HIGH_PERFORMER = 4.5
"""A rating at or above this (A counts 5) is a high performer's."""
_GAIN = Formula(kind="ratio")
PARTS = ("performance_gain", "skill_gain", "goals", "survey", "promotion", "high_performers")


def gain_percent(before: float | None, after: float | None) -> float | None:
    """(after − before) / before in %, to 2 decimals: 3.5 → 4.2 is 20.0, 70 → 85 is 21.43."""
    if before is None or after is None or before <= 0:
        return None
    return round((after - before) / before * 100, 2)


@dataclass(frozen=True)
class Pairing:
    """One pairing as read: its mentee's dates, the approved plan's goals, skill tests."""

    starts_on: date
    ends_on: date
    completed: bool
    goals: Sequence[Mapping[str, Any]]
    skill_first: float | None
    skill_last: float | None
    skill_tests: int


MEASURED = ("competency_level", "skill_test_score", "performance_score")
"""Goal kinds with a figure: a competency level (the goal's `competency_id`), the last
skill-test score, the latest performance rating since the start."""


def competency_of(goal: Mapping[str, Any]) -> str | None:
    """The competency a `competency_level` goal names (as a string id), if any."""
    named = goal.get("competency_id")
    return str(named) if goal.get("kind") == "competency_level" and named else None


def _found(
    goal: Mapping[str, Any], found: Mapping[str, float | None], levels: Mapping[str, float]
) -> float | None:
    competency = competency_of(goal)
    if goal["kind"] == "competency_level":
        return None if competency is None else levels.get(competency)
    return found[goal["kind"]]


def _goal(goal: Mapping[str, Any], found: float | None) -> dict[str, Any]:
    target = goal.get("target")
    reached = None if found is None or target is None else found >= float(target)
    return {"kind": goal.get("kind"), "target": target, "found": found, "reached": reached}


def pairing_figures(
    pairing: Pairing,
    ratings: Sequence[people.RatedPeriod],
    promotions: Sequence[date],
    promotion_months: int,
    levels: Mapping[str, float],
) -> dict[str, Any]:
    """The stored figures of one pairing (the columns of `PairingEffectiveness`); `levels`
    are the mentee's current competency levels by competency id."""
    before = [r.value for r in ratings if r.ends_on <= pairing.starts_on]
    since = [r.value for r in ratings if r.ends_on > pairing.starts_on]
    rating_before = before[-1] if before else None
    rating_latest = since[-1] if since else None
    two_tests = pairing.skill_tests >= 2
    skill_last = pairing.skill_last if pairing.skill_tests else None
    found = {"skill_test_score": skill_last, "performance_score": rating_latest}
    goals = [
        _goal(goal, _found(goal, found, levels))
        for goal in pairing.goals
        if goal.get("kind") in MEASURED and goal.get("target") is not None
    ]
    last_day = add_months(pairing.ends_on, promotion_months)
    latest = ratings[-1].value if ratings else None
    return {
        "completed": pairing.completed,
        "rating_before": rating_before,
        "rating_latest": rating_latest,
        "performance_gain": gain_percent(rating_before, rating_latest),
        "skill_first": pairing.skill_first if pairing.skill_tests else None,
        "skill_last": skill_last,
        "skill_gain": gain_percent(pairing.skill_first, pairing.skill_last) if two_tests else None,
        "goals_total": len(goals),
        "goals_reached": sum(1 for goal in goals if goal["reached"]),
        "goals": goals,
        "promoted": any(pairing.starts_on <= day <= last_day for day in promotions),
        "high_performer": None if latest is None else latest >= HIGH_PERFORMER,
    }


@dataclass(frozen=True)
class SurveyPool:
    """A mentor's survey answers pooled over their mentees."""

    mentees: int
    answers: int
    means: tuple[float, float, float]


def _share(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags) * 100, 2) if flags else None


def _part(
    part: str, value: float | None, score: float | None, counted: int, of: int
) -> dict[str, Any]:
    return {"part": part, "value": value, "score": score, "counted": counted, "of": of}


def mentor_parts(
    figures: Sequence[Mapping[str, Any]], survey: SurveyPool | None, threshold: int
) -> list[dict[str, Any]]:
    """Each part's value and 0–100 score over the mentor's pairings, with how many pairings
    (or mentees, for the survey) it was counted over; `None` where nothing counts. Survey
    answers count only once at least `threshold` mentees answered — below it the part says
    neither the figures nor how many answered."""
    total = len(figures)
    gains = [f["performance_gain"] for f in figures if f["performance_gain"] is not None]
    skills = [f["skill_gain"] for f in figures if f["skill_gain"] is not None]
    goals_total = sum(f["goals_total"] for f in figures)
    goals_reached = sum(f["goals_reached"] for f in figures)
    completed = [f for f in figures if f["completed"]]
    rated = [f["high_performer"] for f in completed if f["high_performer"] is not None]
    parts = []
    for part, values in (("performance_gain", gains), ("skill_gain", skills)):
        mean = round(fmean(values), 2) if values else None
        score = (
            None if mean is None else formula_score(_GAIN, target=GAIN_TARGET_PERCENT, actual=mean)
        )
        parts.append(_part(part, mean, score, len(values), total))
    goals_share = round(goals_reached / goals_total * 100, 2) if goals_total else None
    parts.append(_part("goals", goals_share, goals_share, goals_reached, goals_total))
    shown = survey is not None and survey.mentees >= threshold
    survey_mean = round(fmean(survey.means), 2) if survey is not None and shown else None
    survey_score = None if survey_mean is None else scale_score(survey_mean, low=1, high=5)
    mentees = survey.mentees if survey is not None and shown else 0
    parts.append(_part("survey", survey_mean, survey_score, mentees, threshold))
    promoted = _share([f["promoted"] for f in completed])
    parts.append(_part("promotion", promoted, promoted, len(completed), total))
    high = _share(rated)
    parts.append(_part("high_performers", high, high, len(rated), len(completed)))
    return parts


def weigh(parts: list[dict[str, Any]], weights: Mapping[str, float]) -> float | None:
    """The mentor's score: `weighted_mean` of the parts that have a score; each part gets
    its weight and its contribution (score × weight / the weights used) in place."""
    scores = {p["part"]: round(p["score"], 2) for p in parts if p["score"] is not None}
    used = sum(weights.get(part, 0) for part in scores if weights.get(part, 0) > 0)
    for p in parts:
        weight = float(weights.get(p["part"], 0))
        p["score"] = scores.get(p["part"])
        p["weight"] = weight
        counted = p["score"] is not None and weight > 0 and used > 0
        p["contribution"] = round(p["score"] * weight / used, 2) if counted else None
    score = weighted_mean(scores, weights)
    return None if score is None else round(score, 2)

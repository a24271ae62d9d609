"""What a course changed and what it cost: the participants' performance and competency
figures before → after it (the training effect), and the course's cost against the
performance change.

Figures come from the domains that own them, set-based: `performance.scores_around` and
`competencies.mean_scores_around` take every (participant, moment) pair at once, so a report
is a fixed number of statements however many courses and people."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.authz import Principal
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.performance import api as performance
from hrcore.training import reports_repository as repository
from hrcore.training.reports_access import report_reach
from hrcore.training.reports_schemas import TrainingCostReport, TrainingCourseEffect

CENT = Decimal("0.01")


class Around(Protocol):
    @property
    def before(self) -> float | None: ...

    @property
    def after(self) -> float | None: ...


def change(figures: Iterable[Around]) -> dict[str, Any]:
    """Mean before, after and change over the participants who have both figures."""
    pairs = [(f.before, f.after) for f in figures if f.before is not None and f.after is not None]
    if not pairs:
        return {"n": 0, "mean_before": None, "mean_after": None, "mean_change": None}
    n = len(pairs)
    before = sum(pair[0] for pair in pairs) / n
    after = sum(pair[1] for pair in pairs) / n
    return {
        "n": n,
        "mean_before": round(before, 2),
        "mean_after": round(after, 2),
        "mean_change": round(after - before, 2),
    }


async def course_effect(
    session: AsyncSession,
    principal: Principal,
    course_id: uuid.UUID,
    department_id: uuid.UUID | None,
) -> TrainingCourseEffect:
    """The course's participants in reach and their mean change in performance (live score)
    and in the course's competencies, from the latest figure before the course to the latest
    since."""
    reach = await report_reach(session, principal, department_id)
    head = await repository.course_head(session, principal.org_id, course_id)
    if head is None:
        raise NotFound(_("No such course"))
    people = await repository.participants(
        session, principal.org_id, [course_id], reach.department_ids
    )
    scores = await _performance(session, principal.org_id, people)
    levels = await competencies.mean_scores_around(
        session,
        principal.org_id,
        [row["employee_id"] for row in people],
        [row["moment"] for row in people],
        head["competency_ids"],
    )
    return TrainingCourseEffect.model_validate(
        {
            "course": {"id": head["id"], "name": head["name"]},
            "first_session_at": head["first_session_at"],
            "participants": len(people),
            "performance": change(scores),
            "competencies": change(levels),
        }
    )


async def _performance(
    session: AsyncSession, org_id: uuid.UUID, people: list[asyncpg.Record]
) -> list[performance.ScoresAround]:
    """Live scores around each participant's moment, its day where the organization is."""
    if not people:
        return []
    zone = ZoneInfo(await identity.org_timezone(session, org_id))
    return await performance.scores_around(
        session,
        org_id,
        [row["employee_id"] for row in people],
        [row["moment"].astimezone(zone).date() for row in people],
    )


async def cost(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID | None
) -> TrainingCostReport:
    """Per course and in total: fees × participants plus the classes' instructor allowance,
    against the participants' mean performance change (cost per point of change)."""
    reach = await report_reach(session, principal, department_id)
    rows = await repository.course_figures(session, principal.org_id, reach.department_ids)
    people = await repository.participants(
        session, principal.org_id, [row["id"] for row in rows], reach.department_ids
    )
    scores = await _performance(session, principal.org_id, people)
    by_course: dict[uuid.UUID, list[performance.ScoresAround]] = defaultdict(list)
    for person, score in zip(people, scores, strict=True):
        by_course[person["course_id"]].append(score)
    shared = reach.department_ids is not None
    items = [_course_cost(row, by_course[row["id"]], shared=shared) for row in rows]
    total_cost = sum((item["cost"] for item in items), Decimal(0)).quantize(CENT)
    overall = change(scores)
    return TrainingCostReport.model_validate(
        {
            "items": items,
            "total": {
                "participants": sum(item["participants"] for item in items),
                "cost": total_cost,
                "performance": overall,
                "cost_per_performance_point": _per_point(total_cost, overall),
            },
        }
    )


def _course_cost(
    row: asyncpg.Record, scores: list[performance.ScoresAround], *, shared: bool
) -> dict[str, Any]:
    participants = row["enrolled"]
    fees = (row["fee"] or Decimal(0)) * participants
    allowance = Decimal(row["allowance"])
    if shared and row["enrolled_everywhere"]:
        allowance = allowance * participants / row["enrolled_everywhere"]
    total = (fees + allowance).quantize(CENT, ROUND_HALF_UP)
    effect = change(scores)
    return {
        "course": {"id": row["id"], "name": row["name"]},
        "fee": row["fee"],
        "participants": participants,
        "sessions": row["sessions"],
        "fees": fees.quantize(CENT, ROUND_HALF_UP),
        "allowance": allowance.quantize(CENT, ROUND_HALF_UP),
        "cost": total,
        "performance": effect,
        "cost_per_performance_point": _per_point(total, effect),
    }


def _per_point(total: Decimal, effect: dict[str, Any]) -> Decimal | None:
    """Cost of one point of performance change summed over the participants."""
    gained: float | None = effect["mean_change"]
    if gained is None or gained <= 0:
        return None
    return (total / (Decimal(str(gained)) * int(effect["n"]))).quantize(CENT, ROUND_HALF_UP)

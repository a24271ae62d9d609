"""Effectiveness, recomputed off the request path: per pairing what its mentee gained and
per mentor the weighted, explained score over their pairings. `recompute` is set-based —
the mentors, their pairings, the pooled surveys, the mentees' ratings and promotions are
read in six statements however many mentors, and written back in four — so the nightly
cron covers an organization at once and a job covers the mentor one change touched. A
mentor whose score moves is published as `mentor.effectiveness_updated` and becomes evidence
of their management competency (`effectiveness_evidence`)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core import outbox
from hrcore.core.models import new_id
from hrcore.mentoring import effectiveness_evidence
from hrcore.mentoring import effectiveness_repository as repository
from hrcore.mentoring.effectiveness_figures import (
    Pairing,
    SurveyPool,
    competency_of,
    mentor_parts,
    pairing_figures,
    weigh,
)
from hrcore.people import api as people
from hrcore.settings import Settings
from hrcore.webhooks import api as webhooks

RECOMPUTE_JOB = "mentoring.recompute_effectiveness"


def request_recompute(session: AsyncSession, org_id: uuid.UUID, mentorship_id: uuid.UUID) -> None:
    """Queue the recompute of a pairing's mentor in the caller's transaction."""
    outbox.enqueue(session, RECOMPUTE_JOB, {"mentorship_id": str(mentorship_id)}, org_id=org_id)


async def recompute(
    session: AsyncSession,
    org_id: uuid.UUID,
    settings: Settings,
    now: datetime,
    mentor_ids: Sequence[uuid.UUID] | None = None,
) -> int:
    """Recompute the stored effectiveness of these mentors (every mentor of the organization
    with `None`); how many mentors' scores moved."""
    mentors = await repository.mentors(session, org_id, mentor_ids)
    ids = [row["id"] for row in mentors]
    if not ids:
        return 0
    pairings = await repository.pairings(session, org_id, ids)
    threshold = settings.review_anonymity_threshold
    surveys = await repository.survey_figures(session, org_id, ids, threshold)
    mentees = list({row["mentee_employee_id"] for row in pairings})
    ratings = await people.rating_histories(session, org_id, mentees)
    promotions = await people.promotion_dates(session, org_id, mentees)
    goals = {row["id"]: _goals(row["goals"]) for row in pairings}
    competency_ids = {
        uuid.UUID(named)
        for listed in goals.values()
        for goal in listed
        if (named := competency_of(goal)) is not None
    }
    levels = await competencies.current_levels(session, org_id, mentees, list(competency_ids))
    by_mentee: dict[uuid.UUID, dict[str, float]] = {}
    for (employee_id, competency_id), level in levels.items():
        by_mentee.setdefault(employee_id, {})[str(competency_id)] = level
    previous = await repository.scores(session, org_id, ids)
    by_mentor: dict[uuid.UUID, list[dict[str, Any]]] = {mentor_id: [] for mentor_id in ids}
    pairing_rows = []
    for row in pairings:
        figures = pairing_figures(
            _pairing(row, goals[row["id"]]),
            ratings.get(row["mentee_employee_id"], ()),
            promotions.get(row["mentee_employee_id"], ()),
            settings.mentoring_promotion_months,
            by_mentee.get(row["mentee_employee_id"], {}),
        )
        by_mentor[row["mentor_id"]].append(figures)
        pairing_rows.append(
            {
                "org_id": org_id,
                "mentorship_id": row["id"],
                "mentor_id": row["mentor_id"],
                "mentor_employee_id": row["mentor_employee_id"],
                "computed_at": now,
                **figures,
            }
        )
    weights = {str(part): weight for part, weight in settings.mentor_effectiveness_weights.items()}
    mentor_rows = []
    for mentor_id in ids:
        parts = mentor_parts(by_mentor[mentor_id], _pool(surveys.get(mentor_id)), threshold)
        score = weigh(parts, weights)
        mentor_rows.append(
            {
                "org_id": org_id,
                "mentor_id": mentor_id,
                "score": score,
                "pairings": len(by_mentor[mentor_id]),
                "parts": parts,
                "computed_at": now,
            }
        )
    await repository.replace(session, org_id, ids, pairing_rows, mentor_rows)
    moved = [row for row in mentor_rows if row["score"] != previous.get(row["mentor_id"])]
    await effectiveness_evidence.record_moves(session, org_id, settings, now, mentors, moved)
    return await _publish_moves(session, org_id, mentors, previous, moved)


def _pairing(row: Any, goals: list[dict[str, Any]]) -> Pairing:
    return Pairing(
        starts_on=row["starts_on"],
        ends_on=row["ended_at"].date() if row["ended_at"] is not None else row["ends_on"],
        completed=row["status"] == "completed",
        goals=goals,
        skill_first=row["first_score"],
        skill_last=row["last_score"],
        skill_tests=row["tests_taken"],
    )


def _goals(value: Any) -> list[dict[str, Any]]:
    goals = json.loads(value) if isinstance(value, str) else value
    return [goal for goal in goals or [] if isinstance(goal, dict)]


def _pool(row: Any) -> SurveyPool | None:
    if row is None:
        return None
    return SurveyPool(
        row["mentees"], row["answers"], (row["on_time"], row["relevant"], row["solved"])
    )


async def _publish_moves(
    session: AsyncSession,
    org_id: uuid.UUID,
    mentors: Sequence[Any],
    previous: dict[uuid.UUID, float | None],
    moved: Sequence[dict[str, Any]],
) -> int:
    """`mentor.effectiveness_updated` for each mentor whose score is not what was stored
    (a first score included); in the recompute's transaction, so a retried job that rolled
    back publishes nothing twice."""
    by_id = {row["id"]: row for row in mentors}
    events = (
        (
            {
                "mentor_id": str(row["mentor_id"]),
                "employee_id": str(by_id[row["mentor_id"]]["employee_id"]),
                "program_id": str(by_id[row["mentor_id"]]["program_id"]),
                "score": row["score"],
                "previous_score": previous.get(row["mentor_id"]),
                "pairings": row["pairings"],
            },
            new_id(),
        )
        for row in moved
    )
    await webhooks.publish_many(
        session,
        org_id=org_id,
        event_type=webhooks.EventType.MENTOR_EFFECTIVENESS_UPDATED,
        events=events,
    )
    return len(moved)


async def effectiveness_of(
    session: AsyncSession, org_id: uuid.UUID, mentor_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, float]:
    """The stored scores (0–100) of these mentors; those without one are absent. One
    statement (mentor suggestions rank by it)."""
    if not mentor_ids:
        return {}
    found = await repository.scores(session, org_id, mentor_ids)
    return {mentor_id: score for mentor_id, score in found.items() if score is not None}

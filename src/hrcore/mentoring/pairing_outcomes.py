"""Mentoring's records as analytics counts them, in plain data: every pairing with what its
stored effectiveness found (the mentee's rating before → since, the skill-test gain, goals
reached), the sessions logged, and each mentor's stored score. Read as stored — the worker's
effectiveness recompute is the one place these figures are computed — in three statements
for any number of people; the survey answers appear only inside a mentor's score, pooled
past the anonymity threshold as effectiveness pools them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

PAIRINGS = """
SELECT m.id, m.mentee_employee_id, e.department_id, m.status, m.starts_on, m.ends_on,
       m.ended_at, f.rating_before, f.rating_latest, f.performance_gain, f.skill_first,
       f.skill_last, f.skill_gain, coalesce(f.goals_total, 0) AS goals_total,
       coalesce(f.goals_reached, 0) AS goals_reached
  FROM mentorships m
  JOIN employees e ON e.org_id = m.org_id AND e.id = m.mentee_employee_id
  LEFT JOIN mentorship_effectiveness f ON f.org_id = m.org_id AND f.mentorship_id = m.id
 WHERE m.org_id = $1 AND ($2::uuid[] IS NULL OR m.mentee_employee_id = ANY($2::uuid[]))
"""

SESSIONS = """
SELECT s.id, s.kind, s.held_on, m.mentor_employee_id, e.department_id
  FROM mentoring_sessions s
  JOIN mentorships m ON m.org_id = s.org_id AND m.id = s.mentorship_id
  JOIN employees e ON e.org_id = m.org_id AND e.id = m.mentor_employee_id
 WHERE s.org_id = $1 AND ($2::uuid[] IS NULL OR m.mentor_employee_id = ANY($2::uuid[]))
"""

SCORES = """
SELECT r.id AS mentor_id, r.employee_id, e.department_id, x.score, x.pairings, x.computed_at
  FROM mentor_effectiveness x
  JOIN mentors r ON r.org_id = x.org_id AND r.id = x.mentor_id
  JOIN employees e ON e.org_id = r.org_id AND e.id = r.employee_id
 WHERE x.org_id = $1 AND x.score IS NOT NULL
   AND ($2::uuid[] IS NULL OR r.employee_id = ANY($2::uuid[]))
"""


@dataclass(frozen=True)
class PairingOutcome:
    """A pairing and its stored effectiveness (gains in %, None where not measurable)."""

    id: uuid.UUID
    mentee_employee_id: uuid.UUID
    department_id: uuid.UUID | None
    status: str
    starts_on: date
    ends_on: date
    ended_at: datetime | None
    rating_before: float | None
    rating_latest: float | None
    performance_gain: float | None
    skill_first: float | None
    skill_last: float | None
    skill_gain: float | None
    goals_total: int
    goals_reached: int


@dataclass(frozen=True)
class LoggedSession:
    id: uuid.UUID
    kind: str
    held_on: date
    mentor_employee_id: uuid.UUID
    department_id: uuid.UUID | None


@dataclass(frozen=True)
class MentorScore:
    """A mentor's stored effectiveness score (0–100) over `pairings` pairings."""

    mentor_id: uuid.UUID
    employee_id: uuid.UUID
    department_id: uuid.UUID | None
    score: float
    pairings: int
    computed_at: datetime


@dataclass(frozen=True)
class MentoringOutcomes:
    pairings: list[PairingOutcome]
    sessions: list[LoggedSession]
    scores: list[MentorScore]


async def mentoring_outcomes(
    session: AsyncSession, org_id: uuid.UUID, people: Sequence[uuid.UUID] | None
) -> MentoringOutcomes:
    """The pairings of these mentees, the sessions and scores of these mentors (None:
    everyone's), each with the person's current department."""
    ids = list(people) if people is not None else None
    pairings = await fetch(session, PAIRINGS, org_id, ids)
    sessions = await fetch(session, SESSIONS, org_id, ids)
    scores = await fetch(session, SCORES, org_id, ids)
    return MentoringOutcomes(
        pairings=[PairingOutcome(**dict(row)) for row in pairings],
        sessions=[LoggedSession(**dict(row)) for row in sessions],
        scores=[MentorScore(**dict(row)) for row in scores],
    )

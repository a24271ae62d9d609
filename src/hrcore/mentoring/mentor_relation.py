"""The "mentor of" relation people's access asks about (`people.api.RelationProvider`): a
mentor reads their mentees' performance goals and development plan while a pairing runs,
and the figures the pairing's approved plan names — the ratings for a `performance_score`
goal, the competency profile (where skill tests become evidence) for a `competency_level`
goal."""

from __future__ import annotations

import json
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

RELATION = "mentor_of"
RUNNING_MENTEES = """
SELECT DISTINCT mentee_employee_id
  FROM mentorships
 WHERE org_id = $1 AND mentor_employee_id = $2 AND status = 'active'
"""
MENTEES_WHOSE_PLAN_NAMES = """
SELECT DISTINCT m.mentee_employee_id
  FROM mentorships m
  JOIN mentorship_plans p ON p.org_id = m.org_id AND p.mentorship_id = m.id
 WHERE m.org_id = $1 AND m.mentor_employee_id = $2 AND m.status = 'active'
   AND p.status = 'approved' AND p.goals @> $3::jsonb
"""
"""Running pairings whose approved plan has a goal of a kind (`$3`: `[{"kind": …}]`); a plan
edited and awaiting approval again opens nothing until it is approved."""


async def running_mentees(
    session: AsyncSession, org_id: uuid.UUID, mentor_employee_id: uuid.UUID
) -> list[uuid.UUID]:
    """The employees the mentor is paired with in a running pairing; one statement."""
    rows = await fetch(session, RUNNING_MENTEES, org_id, mentor_employee_id)
    return [row["mentee_employee_id"] for row in rows]


async def _mentees_with_goal(
    session: AsyncSession, org_id: uuid.UUID, mentor_employee_id: uuid.UUID, kind: str
) -> list[uuid.UUID]:
    goal = json.dumps([{"kind": kind}])
    rows = await fetch(session, MENTEES_WHOSE_PLAN_NAMES, org_id, mentor_employee_id, goal)
    return [row["mentee_employee_id"] for row in rows]


async def mentees_with_rating_goal(
    session: AsyncSession, org_id: uuid.UUID, mentor_employee_id: uuid.UUID
) -> list[uuid.UUID]:
    """Running mentees whose approved plan names a performance rating; one statement."""
    return await _mentees_with_goal(session, org_id, mentor_employee_id, "performance_score")


async def mentees_with_competency_goal(
    session: AsyncSession, org_id: uuid.UUID, mentor_employee_id: uuid.UUID
) -> list[uuid.UUID]:
    """Running mentees whose approved plan names a competency level; one statement."""
    return await _mentees_with_goal(session, org_id, mentor_employee_id, "competency_level")

"""Queries of effectiveness: what a recompute reads of mentoring's own tables (a few
statements for any number of mentors) and what it writes back; no business rules."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among, fetch, insert_all
from hrcore.mentoring.effectiveness_models import MentorEffectiveness, PairingEffectiveness
from hrcore.mentoring.mentorship_models import Mentorship

MENTORS = """
SELECT id, employee_id, program_id FROM mentors
 WHERE org_id = $1 AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[]))
 ORDER BY id FOR NO KEY UPDATE
"""
"""The mentors a recompute covers, locked in one order: two recomputes of one mentor (a
session's job and the nightly cron) take turns instead of both replacing their rows. (`NO
KEY`: a pairing being created for the mentor meanwhile, whose foreign key takes a key-share
lock, does not wait.)"""

PAIRINGS = """
SELECT m.id, m.mentor_id, m.mentor_employee_id, m.mentee_employee_id, m.status,
       m.starts_on, m.ends_on, m.ended_at,
       CASE WHEN p.status = 'approved' THEN p.goals ELSE '[]'::jsonb END AS goals,
       tests.first_score, tests.last_score, coalesce(tests.taken, 0) AS tests_taken
  FROM mentorships m
  LEFT JOIN mentorship_plans p ON p.org_id = m.org_id AND p.mentorship_id = m.id
  LEFT JOIN LATERAL (
        SELECT (array_agg(s.score ORDER BY s.held_on, s.id))[1]::float8 AS first_score,
               (array_agg(s.score ORDER BY s.held_on DESC, s.id DESC))[1]::float8 AS last_score,
               count(*) AS taken
          FROM mentoring_sessions s
         WHERE s.org_id = m.org_id AND s.mentorship_id = m.id AND s.kind = 'skill_test'
       ) AS tests ON true
 WHERE m.org_id = $1 AND m.mentor_id = ANY($2::uuid[]) AND m.status <> 'cancelled'
"""
"""A mentor's pairings (cancelled ones measure nothing), with the approved plan's goals and
the first and last skill-test scores."""

SURVEYS = """
WITH answered AS (
    SELECT m.mentor_id, m.mentee_employee_id, s.on_time, s.relevant, s.solved,
           row_number() OVER (PARTITION BY m.mentor_id ORDER BY s.id) AS n,
           count(*) OVER (PARTITION BY m.mentor_id) AS total
      FROM mentoring_surveys s
      JOIN mentorships m ON m.org_id = s.org_id AND m.id = s.mentorship_id
     WHERE s.org_id = $1 AND m.mentor_id = ANY($2::uuid[])
)
SELECT mentor_id, count(DISTINCT mentee_employee_id) AS mentees,
       count(*) FILTER (WHERE n <= total / $3 * $3) AS answers,
       avg(on_time) FILTER (WHERE n <= total / $3 * $3)::float8 AS on_time,
       avg(relevant) FILTER (WHERE n <= total / $3 * $3)::float8 AS relevant,
       avg(solved) FILTER (WHERE n <= total / $3 * $3)::float8 AS solved
  FROM answered
 GROUP BY mentor_id
"""
"""Survey figures pooled per mentor: how many mentees answered, and the means over the
oldest whole blocks of `threshold` answers (answers in order of their time-ordered ids): one
more answer never moves a figure, so no answer can be read back as the difference of two
reads."""

FORMER_MENTEES_GAIN = """
SELECT mentor_employee_id, count(*) FROM mentorship_effectiveness
 WHERE org_id = $1 AND mentor_employee_id = ANY($2::uuid[]) AND completed
   AND performance_gain >= $3
 GROUP BY mentor_employee_id
"""
"""Per employee, the completed pairings (as a mentor, in any program) whose mentee gained at
least the percentage (employees with none are left out)."""


async def mentors(
    session: AsyncSession, org_id: uuid.UUID, mentor_ids: Sequence[uuid.UUID] | None
) -> list[asyncpg.Record]:
    return await fetch(session, MENTORS, org_id, None if mentor_ids is None else list(mentor_ids))


async def pairings(
    session: AsyncSession, org_id: uuid.UUID, mentor_ids: Sequence[uuid.UUID]
) -> list[asyncpg.Record]:
    return await fetch(session, PAIRINGS, org_id, list(mentor_ids))


async def survey_figures(
    session: AsyncSession, org_id: uuid.UUID, mentor_ids: Sequence[uuid.UUID], threshold: int
) -> dict[uuid.UUID, asyncpg.Record]:
    rows = await fetch(session, SURVEYS, org_id, list(mentor_ids), threshold)
    return {row["mentor_id"]: row for row in rows}


async def former_mentees_with_gain(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID], min_gain: float
) -> dict[uuid.UUID, int]:
    rows = await fetch(session, FORMER_MENTEES_GAIN, org_id, list(employee_ids), min_gain)
    return {row[0]: row[1] for row in rows}


async def scores(
    session: AsyncSession, org_id: uuid.UUID, mentor_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, float | None]:
    rows = await session.execute(
        select(MentorEffectiveness.mentor_id, MentorEffectiveness.score).where(
            MentorEffectiveness.org_id == org_id, among(MentorEffectiveness.mentor_id, mentor_ids)
        )
    )
    return {row.mentor_id: row.score for row in rows}


async def replace(
    session: AsyncSession,
    org_id: uuid.UUID,
    mentor_ids: Sequence[uuid.UUID],
    pairing_rows: Sequence[dict[str, Any]],
    mentor_rows: Sequence[dict[str, Any]],
) -> None:
    """The mentors' stored figures replaced by these: four statements however many."""
    for model in (PairingEffectiveness, MentorEffectiveness):
        await session.execute(
            delete(model).where(model.org_id == org_id, among(model.mentor_id, mentor_ids))
        )
    await insert_all(session, PairingEffectiveness, pairing_rows)
    await insert_all(session, MentorEffectiveness, mentor_rows)


async def mentor_figures(
    session: AsyncSession, org_id: uuid.UUID, mentor_id: uuid.UUID
) -> tuple[MentorEffectiveness | None, list[Any]]:
    """A mentor's stored score, and their pairings' figures with each pairing's mentee,
    status and dates (newest pairing first)."""
    mentor = await session.get(MentorEffectiveness, (org_id, mentor_id))
    rows = await session.execute(
        select(
            PairingEffectiveness,
            Mentorship.mentee_employee_id,
            Mentorship.status,
            Mentorship.starts_on,
            Mentorship.ends_on,
        )
        .join(
            Mentorship,
            (Mentorship.org_id == PairingEffectiveness.org_id)
            & (Mentorship.id == PairingEffectiveness.mentorship_id),
        )
        .where(PairingEffectiveness.org_id == org_id, PairingEffectiveness.mentor_id == mentor_id)
        .order_by(PairingEffectiveness.mentorship_id.desc())
    )
    return mentor, list(rows.all())

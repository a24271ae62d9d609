"""Queries of review templates, cycles, assignments and results (tenant tables, under RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among, by_id, by_id_values, fetch
from hrcore.reviews.models import (
    ReviewAppeal,
    ReviewAssignment,
    ReviewCycle,
    ReviewNomination,
    ReviewParticipant,
    ReviewResult,
)


def cycles_query(org_id: uuid.UUID) -> Select[Any]:
    return select(ReviewCycle).where(ReviewCycle.org_id == org_id)


async def cycle_by_id(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID, *, for_update: bool = False
) -> ReviewCycle | None:
    statement = by_id(ReviewCycle, for_update=for_update)
    return await session.scalar(statement, by_id_values(org_id, cycle_id))


async def participant_counts(
    session: AsyncSession, org_id: uuid.UUID, cycle_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    if not cycle_ids:
        return {}
    rows = await session.execute(
        select(ReviewParticipant.cycle_id, func.count().label("participants"))
        .where(ReviewParticipant.org_id == org_id, ReviewParticipant.cycle_id.in_(cycle_ids))
        .group_by(ReviewParticipant.cycle_id)
    )
    return {row.cycle_id: row.participants for row in rows}


async def participants(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID
) -> list[ReviewParticipant]:
    rows = await session.scalars(
        select(ReviewParticipant)
        .where(ReviewParticipant.org_id == org_id, ReviewParticipant.cycle_id == cycle_id)
        .order_by(ReviewParticipant.id)
    )
    return list(rows)


def assignments_query(
    org_id: uuid.UUID, *, rater_employee_id: uuid.UUID | None = None, status: str | None = None
) -> Select[Any]:
    statement = select(ReviewAssignment).where(ReviewAssignment.org_id == org_id)
    if rater_employee_id is not None:
        statement = statement.where(ReviewAssignment.rater_employee_id == rater_employee_id)
    if status is not None:
        statement = statement.where(ReviewAssignment.status == status)
    return statement


async def assignment_by_id(
    session: AsyncSession, org_id: uuid.UUID, assignment_id: uuid.UUID, *, for_update: bool = False
) -> ReviewAssignment | None:
    statement = by_id(ReviewAssignment, for_update=for_update)
    return await session.scalar(statement, by_id_values(org_id, assignment_id))


async def unanswered_task_ids(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID
) -> list[uuid.UUID]:
    """The tasks of the cycle's assignments not submitted."""
    statement = select(ReviewAssignment.task_id).where(
        ReviewAssignment.org_id == org_id,
        ReviewAssignment.cycle_id == cycle_id,
        ReviewAssignment.status != "submitted",
        ReviewAssignment.task_id.is_not(None),
    )
    return [task_id for task_id in await session.scalars(statement) if task_id is not None]


async def assignments_of_cycle(
    session: AsyncSession,
    org_id: uuid.UUID,
    cycle_id: uuid.UUID,
    *,
    participant_ids: Sequence[uuid.UUID] | None = None,
    status: str | None = None,
) -> list[ReviewAssignment]:
    statement = select(ReviewAssignment).where(
        ReviewAssignment.org_id == org_id, ReviewAssignment.cycle_id == cycle_id
    )
    if participant_ids is not None:
        statement = statement.where(ReviewAssignment.participant_id.in_(list(participant_ids)))
    if status is not None:
        statement = statement.where(ReviewAssignment.status == status)
    return list(await session.scalars(statement.order_by(ReviewAssignment.id)))


def results_query(
    org_id: uuid.UUID,
    *,
    cycle_id: uuid.UUID | None = None,
    employee_ids: Collection[uuid.UUID] | None = None,
    status: str | None = None,
) -> Select[Any]:
    statement = select(ReviewResult).where(ReviewResult.org_id == org_id)
    if cycle_id is not None:
        statement = statement.where(ReviewResult.cycle_id == cycle_id)
    if employee_ids is not None:
        statement = statement.where(among(ReviewResult.employee_id, employee_ids))
    if status is not None:
        statement = statement.where(ReviewResult.status == status)
    return statement


async def result_of(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID, employee_id: uuid.UUID
) -> ReviewResult | None:
    return await session.scalar(
        select(ReviewResult).where(
            ReviewResult.org_id == org_id,
            ReviewResult.cycle_id == cycle_id,
            ReviewResult.employee_id == employee_id,
        )
    )


async def result_by_id(
    session: AsyncSession, org_id: uuid.UUID, result_id: uuid.UUID, *, for_update: bool = False
) -> ReviewResult | None:
    statement = select(ReviewResult).where(
        ReviewResult.org_id == org_id, ReviewResult.id == result_id
    )
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def latest_result_of(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> ReviewResult | None:
    return await session.scalar(
        select(ReviewResult)
        .where(ReviewResult.org_id == org_id, ReviewResult.employee_id == employee_id)
        .order_by(ReviewResult.id.desc())
        .limit(1)
    )


async def latest_published_results(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> list[ReviewResult]:
    """Each employee's most recently published result, in one query."""
    if not employee_ids:
        return []
    rows = await session.scalars(
        select(ReviewResult)
        .where(
            ReviewResult.org_id == org_id,
            ReviewResult.employee_id.in_(list(employee_ids)),
            ReviewResult.status == "published",
        )
        .ext(distinct_on(ReviewResult.employee_id))
        .order_by(
            ReviewResult.employee_id, ReviewResult.published_at.desc(), ReviewResult.id.desc()
        )
    )
    return list(rows)


async def cycles_by_ids(
    session: AsyncSession, org_id: uuid.UUID, cycle_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ReviewCycle]:
    if not cycle_ids:
        return {}
    rows = await session.scalars(
        select(ReviewCycle).where(ReviewCycle.org_id == org_id, ReviewCycle.id.in_(cycle_ids))
    )
    return {row.id: row for row in rows}


async def participants_by_ids(
    session: AsyncSession, org_id: uuid.UUID, participant_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ReviewParticipant]:
    if not participant_ids:
        return {}
    rows = await session.scalars(_PARTICIPANTS, {"org_id": org_id, "ids": list(participant_ids)})
    return {row.id: row for row in rows}


_PARTICIPANTS = select(ReviewParticipant).where(
    ReviewParticipant.org_id == bindparam("org_id"),
    ReviewParticipant.id.in_(bindparam("ids", expanding=True)),
)
"""Built once: the submission and the lists run it on every request."""


async def pending_appeal(
    session: AsyncSession,
    org_id: uuid.UUID,
    result_id: uuid.UUID,
    *,
    indicator_key: str | None,
    comment_id: uuid.UUID | None,
) -> ReviewAppeal | None:
    """The open or answered appeal on this indicator or this comment, if any."""
    subject = (
        ReviewAppeal.indicator_key == indicator_key
        if indicator_key is not None
        else ReviewAppeal.comment_id == comment_id
    )
    return await session.scalar(
        select(ReviewAppeal).where(
            ReviewAppeal.org_id == org_id,
            ReviewAppeal.result_id == result_id,
            subject,
            ReviewAppeal.status.in_(("open", "answered")),
        )
    )


async def appeal_by_id(
    session: AsyncSession, org_id: uuid.UUID, appeal_id: uuid.UUID, *, for_update: bool = False
) -> ReviewAppeal | None:
    statement = select(ReviewAppeal).where(
        ReviewAppeal.org_id == org_id, ReviewAppeal.id == appeal_id
    )
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def appeals_of(
    session: AsyncSession, org_id: uuid.UUID, result_id: uuid.UUID
) -> list[ReviewAppeal]:
    rows = await session.scalars(
        select(ReviewAppeal)
        .where(ReviewAppeal.org_id == org_id, ReviewAppeal.result_id == result_id)
        .order_by(ReviewAppeal.id)
    )
    return list(rows)


async def completion_counts(
    session: AsyncSession,
    org_id: uuid.UUID,
    cycle_id: uuid.UUID,
    due: datetime,
    employee_ids: Collection[uuid.UUID] | None,
) -> list[Any]:
    """Assignments, submitted and submitted-by-`due` per (department, relationship)."""
    statement = (
        select(
            ReviewParticipant.department_id,
            ReviewAssignment.relationship,
            func.count().label("assignments"),
            func.count().filter(ReviewAssignment.status == "submitted").label("submitted"),
            func.count().filter(ReviewAssignment.submitted_at <= due).label("on_time"),
        )
        .join(ReviewParticipant, ReviewParticipant.id == ReviewAssignment.participant_id)
        .where(ReviewAssignment.org_id == org_id, ReviewAssignment.cycle_id == cycle_id)
        .group_by(ReviewParticipant.department_id, ReviewAssignment.relationship)
    )
    if employee_ids is not None:
        statement = statement.where(among(ReviewParticipant.employee_id, employee_ids))
    return list(await session.execute(statement))


async def participants_per_department(
    session: AsyncSession,
    org_id: uuid.UUID,
    cycle_id: uuid.UUID,
    employee_ids: Collection[uuid.UUID] | None,
) -> dict[uuid.UUID, int]:
    statement = (
        select(ReviewParticipant.department_id, func.count().label("participants"))
        .where(ReviewParticipant.org_id == org_id, ReviewParticipant.cycle_id == cycle_id)
        .group_by(ReviewParticipant.department_id)
    )
    if employee_ids is not None:
        statement = statement.where(among(ReviewParticipant.employee_id, employee_ids))
    return {row.department_id: row.participants for row in await session.execute(statement)}


async def score_buckets(
    session: AsyncSession,
    org_id: uuid.UUID,
    cycle_id: uuid.UUID,
    employee_ids: Collection[uuid.UUID] | None,
    buckets: int,
) -> dict[int, int]:
    """Results per score bucket (1..`buckets` over 0–100; 100 itself in the last)."""
    score = func.coalesce(ReviewResult.adjusted_overall, ReviewResult.overall)
    bucket = func.least(func.width_bucket(score, 0, 100, buckets), buckets).label("bucket")
    statement = (
        select(bucket, func.count().label("results"))
        .where(
            ReviewResult.org_id == org_id,
            ReviewResult.cycle_id == cycle_id,
            score.is_not(None),
        )
        .group_by(bucket)
    )
    if employee_ids is not None:
        statement = statement.where(among(ReviewResult.employee_id, employee_ids))
    return {row.bucket: row.results for row in await session.execute(statement)}


async def undecided_nomination_ids(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID
) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(ReviewNomination.id).where(
            ReviewNomination.org_id == org_id,
            ReviewNomination.cycle_id == cycle_id,
            ReviewNomination.status == "nominated",
        )
    )
    return list(rows)


async def nominations_of(
    session: AsyncSession, org_id: uuid.UUID, participant_id: uuid.UUID
) -> list[ReviewNomination]:
    rows = await session.scalars(
        select(ReviewNomination)
        .where(ReviewNomination.org_id == org_id, ReviewNomination.participant_id == participant_id)
        .order_by(ReviewNomination.id)
    )
    return list(rows)


async def submitted_per_participant(
    session: AsyncSession,
    org_id: uuid.UUID,
    cycle_id: uuid.UUID,
    employee_ids: Collection[uuid.UUID] | None,
) -> list[Any]:
    """How many participants have n submitted answers, per relationship and n (n ≥ 1)."""
    per_participant = (
        select(
            ReviewAssignment.participant_id,
            ReviewAssignment.relationship,
            func.count().label("answered"),
        )
        .join(ReviewParticipant, ReviewParticipant.id == ReviewAssignment.participant_id)
        .where(
            ReviewAssignment.org_id == org_id,
            ReviewAssignment.cycle_id == cycle_id,
            ReviewAssignment.status == "submitted",
        )
        .group_by(ReviewAssignment.participant_id, ReviewAssignment.relationship)
    )
    if employee_ids is not None:
        per_participant = per_participant.where(among(ReviewParticipant.employee_id, employee_ids))
    counted = per_participant.subquery()
    statement = select(
        counted.c.relationship, counted.c.answered, func.count().label("participants")
    ).group_by(counted.c.relationship, counted.c.answered)
    return list(await session.execute(statement))


async def submitted_answers(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID, participant_ids: list[uuid.UUID]
) -> Sequence[Any]:
    """The submitted answers of these participants as plain rows (aggregation reads
    hundreds of thousands: no ORM objects)."""
    result = await session.execute(
        select(
            ReviewAssignment.participant_id,
            ReviewAssignment.rater_employee_id,
            ReviewAssignment.relationship,
            ReviewAssignment.answers,
            ReviewAssignment.comment,
        )
        .where(
            ReviewAssignment.org_id == org_id,
            ReviewAssignment.cycle_id == cycle_id,
            ReviewAssignment.participant_id.in_(participant_ids),
            ReviewAssignment.status == "submitted",
        )
        .order_by(ReviewAssignment.id)
    )
    return result.all()


# Each employee's newest published result, and of it the indicators that name a competency
# and scored under `$3`: the stored figure every reader of the result sees (anonymous groups
# below the threshold were left out when it was aggregated), never an answer.
LOW_PUBLISHED_ITEMS = """
WITH latest AS (
    SELECT DISTINCT ON (employee_id) id, employee_id, cycle_id, scores
      FROM review_results
     WHERE org_id = $1 AND employee_id = ANY($2::uuid[]) AND status = 'published'
     ORDER BY employee_id, published_at DESC, id DESC
)
SELECT latest.employee_id, latest.id AS result_id, cycle.id AS cycle_id, cycle.name AS cycle_name,
       item->>'name' AS name, (item->>'competency_id')::uuid AS competency_id, figure.score
  FROM latest
  JOIN review_cycles AS cycle ON cycle.org_id = $1 AND cycle.id = latest.cycle_id
 CROSS JOIN LATERAL jsonb_array_elements(cycle.form->'indicators') AS item
 CROSS JOIN LATERAL (
     SELECT (latest.scores->'indicators'->(item->>'key')->>'score')::float8 AS score
 ) AS figure
 WHERE item->>'competency_id' IS NOT NULL AND figure.score < $3
"""


async def low_published_items(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID], below: float
) -> list[asyncpg.Record]:
    """`LOW_PUBLISHED_ITEMS` in one statement; none sent for no employees."""
    if not employee_ids:
        return []
    return await fetch(session, LOW_PUBLISHED_ITEMS, org_id, list(employee_ids), below)

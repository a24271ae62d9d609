"""Queries of review templates, cycles, assignments and results (tenant tables, under RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.reviews.models import (
    ReviewAssignment,
    ReviewCycle,
    ReviewParticipant,
    ReviewResult,
    ReviewTemplate,
)


def templates_query(org_id: uuid.UUID) -> Select[Any]:
    return select(ReviewTemplate).where(ReviewTemplate.org_id == org_id)


async def template_by_id(
    session: AsyncSession, org_id: uuid.UUID, template_id: uuid.UUID
) -> ReviewTemplate | None:
    return await session.scalar(
        select(ReviewTemplate).where(
            ReviewTemplate.org_id == org_id, ReviewTemplate.id == template_id
        )
    )


async def template_by_name(
    session: AsyncSession, org_id: uuid.UUID, name: str
) -> ReviewTemplate | None:
    return await session.scalar(
        select(ReviewTemplate).where(ReviewTemplate.org_id == org_id, ReviewTemplate.name == name)
    )


def cycles_query(org_id: uuid.UUID) -> Select[Any]:
    return select(ReviewCycle).where(ReviewCycle.org_id == org_id)


async def cycle_by_id(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID, *, for_update: bool = False
) -> ReviewCycle | None:
    statement = select(ReviewCycle).where(ReviewCycle.org_id == org_id, ReviewCycle.id == cycle_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


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


async def participant_by_id(
    session: AsyncSession, org_id: uuid.UUID, participant_id: uuid.UUID
) -> ReviewParticipant | None:
    return await session.scalar(
        select(ReviewParticipant).where(
            ReviewParticipant.org_id == org_id, ReviewParticipant.id == participant_id
        )
    )


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
    statement = select(ReviewAssignment).where(
        ReviewAssignment.org_id == org_id, ReviewAssignment.id == assignment_id
    )
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


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
    employee_ids: Select[Any] | None = None,
    status: str | None = None,
) -> Select[Any]:
    statement = select(ReviewResult).where(ReviewResult.org_id == org_id)
    if cycle_id is not None:
        statement = statement.where(ReviewResult.cycle_id == cycle_id)
    if employee_ids is not None:
        statement = statement.where(ReviewResult.employee_id.in_(employee_ids))
    if status is not None:
        statement = statement.where(ReviewResult.status == status)
    return statement


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
    rows = await session.scalars(
        select(ReviewParticipant).where(
            ReviewParticipant.org_id == org_id, ReviewParticipant.id.in_(participant_ids)
        )
    )
    return {row.id: row for row in rows}

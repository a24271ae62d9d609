"""Queries of pairings and their plans: no business rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among
from hrcore.mentoring.mentorship_models import Mentorship, MentorshipPlan, MentorshipStatus
from hrcore.mentoring.models import Mentor

ACTIVE = MentorshipStatus.ACTIVE.value


async def active_loads(
    session: AsyncSession, org_id: uuid.UUID, mentor_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Each mentor's active pairings (mentors without one are absent): one statement for a
    page, none for no ids."""
    if not mentor_ids:
        return {}
    rows = await session.execute(
        select(Mentorship.mentor_id, func.count().label("load"))
        .where(
            Mentorship.org_id == org_id,
            Mentorship.status == ACTIVE,
            among(Mentorship.mentor_id, set(mentor_ids)),
        )
        .group_by(Mentorship.mentor_id)
    )
    return {row.mentor_id: row.load for row in rows}


async def locked_mentor(
    session: AsyncSession, org_id: uuid.UUID, mentor_id: uuid.UUID
) -> Mentor | None:
    """The mentor row, locked: pairings of one mentor are counted against the capacity one
    at a time."""
    return await session.scalar(
        select(Mentor).where(Mentor.org_id == org_id, Mentor.id == mentor_id).with_for_update()
    )


async def mentee_is_paired(
    session: AsyncSession, org_id: uuid.UUID, program_id: uuid.UUID, mentee_id: uuid.UUID
) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    Mentorship.org_id == org_id,
                    Mentorship.program_id == program_id,
                    Mentorship.mentee_employee_id == mentee_id,
                    Mentorship.status == ACTIVE,
                )
            )
        )
    )


def mentorships_query(
    org_id: uuid.UUID,
    reach: Sequence[uuid.UUID] | None,
    *,
    program_id: uuid.UUID | None,
    mentor_id: uuid.UUID | None,
    mentee_id: uuid.UUID | None,
    status: MentorshipStatus | None,
) -> Select[Any]:
    """Pairings of the organization; with `reach`, those whose mentee or mentor is in it."""
    statement = select(Mentorship).where(Mentorship.org_id == org_id)
    if reach is not None:
        statement = statement.where(
            or_(
                among(Mentorship.mentee_employee_id, reach),
                among(Mentorship.mentor_employee_id, reach),
            )
        )
    if program_id is not None:
        statement = statement.where(Mentorship.program_id == program_id)
    if mentor_id is not None:
        statement = statement.where(Mentorship.mentor_id == mentor_id)
    if mentee_id is not None:
        statement = statement.where(Mentorship.mentee_employee_id == mentee_id)
    if status is not None:
        statement = statement.where(Mentorship.status == status.value)
    return statement


def pairings_of(
    org_id: uuid.UUID, employee_id: uuid.UUID, status: MentorshipStatus | None
) -> Select[Any]:
    """The employee's pairings as mentor or as mentee."""
    statement = select(Mentorship).where(
        Mentorship.org_id == org_id,
        or_(
            Mentorship.mentor_employee_id == employee_id,
            Mentorship.mentee_employee_id == employee_id,
        ),
    )
    if status is not None:
        statement = statement.where(Mentorship.status == status.value)
    return statement


async def plans_of(
    session: AsyncSession, org_id: uuid.UUID, mentorship_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, MentorshipPlan]:
    """The plan of each pairing, in one statement (none for no ids)."""
    if not mentorship_ids:
        return {}
    rows = await session.scalars(
        select(MentorshipPlan).where(
            MentorshipPlan.org_id == org_id,
            among(MentorshipPlan.mentorship_id, set(mentorship_ids)),
        )
    )
    return {plan.mentorship_id: plan for plan in rows}


async def plan_of(
    session: AsyncSession, org_id: uuid.UUID, mentorship_id: uuid.UUID
) -> MentorshipPlan | None:
    found: MentorshipPlan | None = await session.scalar(
        select(MentorshipPlan).where(
            MentorshipPlan.org_id == org_id, MentorshipPlan.mentorship_id == mentorship_id
        )
    )
    return found


async def locked_plan(
    session: AsyncSession, org_id: uuid.UUID, plan_id: uuid.UUID
) -> MentorshipPlan | None:
    found: MentorshipPlan | None = await session.scalar(
        select(MentorshipPlan)
        .where(MentorshipPlan.org_id == org_id, MentorshipPlan.id == plan_id)
        .with_for_update()
    )
    return found

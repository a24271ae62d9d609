"""Queries of mentoring: no business rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ARRAY, Select, Uuid, any_, exists, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among
from hrcore.mentoring.models import ApplicationStatus, Mentor, MentorApplication, MentoringProgram


def programs_query(
    org_id: uuid.UUID, departments: Sequence[uuid.UUID] | None, *, active: bool | None
) -> Select[Any]:
    """Programs of the organization; with `departments`, only those for the whole
    organization or one of these departments."""
    statement = select(MentoringProgram).where(MentoringProgram.org_id == org_id)
    if departments is not None:
        statement = statement.where(
            or_(
                MentoringProgram.department_id.is_(None),
                MentoringProgram.department_id == any_(literal(list(departments), ARRAY(Uuid()))),
            )
        )
    if active is not None:
        statement = statement.where(MentoringProgram.active.is_(active))
    return statement


async def program_by_name(
    session: AsyncSession, org_id: uuid.UUID, name: str
) -> MentoringProgram | None:
    return await session.scalar(
        select(MentoringProgram).where(
            MentoringProgram.org_id == org_id, MentoringProgram.name == name
        )
    )


async def programs_by_ids(
    session: AsyncSession, org_id: uuid.UUID, program_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, MentoringProgram]:
    if not program_ids:
        return {}
    rows = await session.scalars(
        select(MentoringProgram).where(
            MentoringProgram.org_id == org_id, among(MentoringProgram.id, set(program_ids))
        )
    )
    return {row.id: row for row in rows}


def applications_query(
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID] | None,
    *,
    program_id: uuid.UUID | None,
    status: ApplicationStatus | None,
) -> Select[Any]:
    statement = select(MentorApplication).where(MentorApplication.org_id == org_id)
    if employee_ids is not None:
        statement = statement.where(among(MentorApplication.employee_id, employee_ids))
    if program_id is not None:
        statement = statement.where(MentorApplication.program_id == program_id)
    if status is not None:
        statement = statement.where(MentorApplication.status == status.value)
    return statement


async def has_pending(
    session: AsyncSession, org_id: uuid.UUID, program_id: uuid.UUID, employee_id: uuid.UUID
) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    MentorApplication.org_id == org_id,
                    MentorApplication.program_id == program_id,
                    MentorApplication.employee_id == employee_id,
                    MentorApplication.status == ApplicationStatus.PENDING.value,
                )
            )
        )
    )


async def mentor_of(
    session: AsyncSession, org_id: uuid.UUID, program_id: uuid.UUID, employee_id: uuid.UUID
) -> Mentor | None:
    return await session.scalar(
        select(Mentor).where(
            Mentor.org_id == org_id,
            Mentor.program_id == program_id,
            Mentor.employee_id == employee_id,
        )
    )


def mentors_query(
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID] | None,
    *,
    program_id: uuid.UUID | None,
    flagged: bool | None = None,
) -> Select[Any]:
    statement = select(Mentor).where(Mentor.org_id == org_id)
    if flagged is not None:
        statement = statement.where(
            Mentor.flagged_at.is_not(None) if flagged else Mentor.flagged_at.is_(None)
        )
    if employee_ids is not None:
        statement = statement.where(among(Mentor.employee_id, employee_ids))
    if program_id is not None:
        statement = statement.where(Mentor.program_id == program_id)
    return statement

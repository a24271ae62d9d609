"""Queries of internal competitions and their applications (vacancies carrying rules, and
`vacancy_applications`). Tenant tables are also under RLS."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among
from hrcore.talent.models import (
    Vacancy,
    VacancyApplication,
    VacancyApplicationStatus,
    VacancyStatus,
)


async def open_competitions(
    session: AsyncSession, org_id: uuid.UUID, now: datetime
) -> list[Vacancy]:
    """Open vacancies whose competition still takes applications, closing soonest first."""
    rows = await session.scalars(
        select(Vacancy)
        .where(
            Vacancy.org_id == org_id,
            Vacancy.status == VacancyStatus.OPEN.value,
            Vacancy.competition_closes_at > now,
        )
        .order_by(Vacancy.competition_closes_at, Vacancy.id)
    )
    return list(rows)


async def applications_of_employee(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    vacancy_ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, VacancyApplication]:
    """The employee's application to each of these vacancies (absent: none)."""
    if not vacancy_ids:
        return {}
    rows = await session.scalars(
        select(VacancyApplication).where(
            VacancyApplication.org_id == org_id,
            VacancyApplication.employee_id == employee_id,
            among(VacancyApplication.vacancy_id, vacancy_ids),
        )
    )
    return {row.vacancy_id: row for row in rows}


async def insert_application(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """The new application's id, or None when the employee has one for the vacancy already
    (the unique constraint decides, so two requests at once cannot both insert)."""
    inserted: uuid.UUID | None = await session.scalar(
        insert(VacancyApplication)
        .values(**values)
        .on_conflict_do_nothing()
        .returning(VacancyApplication.id)
    )
    return inserted


async def application_of(
    session: AsyncSession, org_id: uuid.UUID, vacancy_id: uuid.UUID, employee_id: uuid.UUID
) -> VacancyApplication | None:
    return await session.scalar(
        select(VacancyApplication)
        .where(
            VacancyApplication.org_id == org_id,
            VacancyApplication.vacancy_id == vacancy_id,
            VacancyApplication.employee_id == employee_id,
        )
        .with_for_update()
    )


async def application_by_id(
    session: AsyncSession, org_id: uuid.UUID, vacancy_id: uuid.UUID, application_id: uuid.UUID
) -> VacancyApplication | None:
    return await session.scalar(
        select(VacancyApplication)
        .where(
            VacancyApplication.org_id == org_id,
            VacancyApplication.vacancy_id == vacancy_id,
            VacancyApplication.id == application_id,
        )
        .with_for_update()
    )


def applications_query(
    org_id: uuid.UUID,
    vacancy_id: uuid.UUID,
    *,
    status: str | None,
    employee_ids: Collection[uuid.UUID] | None,
) -> Select[Any]:
    statement = select(VacancyApplication).where(
        VacancyApplication.org_id == org_id, VacancyApplication.vacancy_id == vacancy_id
    )
    if status is not None:
        statement = statement.where(VacancyApplication.status == status)
    if employee_ids is not None:
        statement = statement.where(among(VacancyApplication.employee_id, employee_ids))
    return statement


async def close_applications(
    session: AsyncSession,
    org_id: uuid.UUID,
    vacancy_id: uuid.UUID,
    *,
    appointee_id: uuid.UUID | None,
    at: datetime,
    reason: str,
) -> tuple[uuid.UUID | None, list[tuple[uuid.UUID, uuid.UUID]]]:
    """End the vacancy's open applications: the appointee's `appointed`, the others'
    `closed` with `reason`. Answers the appointee's application id (None: they had none) and
    the (application, employee) pairs closed."""
    appointed = None
    if appointee_id is not None:
        appointed = await session.scalar(
            update(VacancyApplication)
            .where(
                VacancyApplication.org_id == org_id,
                VacancyApplication.vacancy_id == vacancy_id,
                VacancyApplication.employee_id == appointee_id,
                VacancyApplication.status == VacancyApplicationStatus.APPLIED.value,
            )
            .values(
                status=VacancyApplicationStatus.APPOINTED.value,
                closed_at=at,
                version=VacancyApplication.version + 1,
            )
            .returning(VacancyApplication.id)
            .execution_options(synchronize_session=False)
        )
    closed = await session.execute(
        update(VacancyApplication)
        .where(
            VacancyApplication.org_id == org_id,
            VacancyApplication.vacancy_id == vacancy_id,
            VacancyApplication.status == VacancyApplicationStatus.APPLIED.value,
        )
        .values(
            status=VacancyApplicationStatus.CLOSED.value,
            closed_at=at,
            closed_reason=reason,
            version=VacancyApplication.version + 1,
        )
        .returning(VacancyApplication.id, VacancyApplication.employee_id)
        .execution_options(synchronize_session=False)
    )
    return appointed, [(row[0], row[1]) for row in closed.all()]

"""Queries of the organization's own calendar days."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.calendars.models import CalendarDay

OWN_DAYS = select(CalendarDay.day, CalendarDay.working).where(
    CalendarDay.org_id == bindparam("org_id")
)


async def own_days(session: AsyncSession, org_id: uuid.UUID) -> dict[date, bool]:
    """Every day the organization set, in one statement (a few dozen rows a year)."""
    rows = await session.execute(OWN_DAYS, {"org_id": org_id})
    return dict(rows.all())


def days_statement(org_id: uuid.UUID, year: int | None) -> Select[CalendarDay]:
    statement = select(CalendarDay).where(CalendarDay.org_id == org_id)
    if year is not None:
        statement = statement.where(
            CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
        )
    return statement


async def day_on(session: AsyncSession, org_id: uuid.UUID, day: date) -> CalendarDay | None:
    statement = select(CalendarDay).where(CalendarDay.org_id == org_id, CalendarDay.day == day)
    return (await session.execute(statement)).scalar_one_or_none()

"""The working calendar's use cases: the year as the organization works it, and its own
days (HR admin adds and removes them, audited)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.calendars import repository
from hrcore.calendars.models import CalendarDay
from hrcore.calendars.schemas import CalendarDayIn, WorkingYearOut, YearDay
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.calendar import WorkCalendar, basis, official_days
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.pagination import PageParams, paginate

FIRST_YEAR, LAST_YEAR = 2000, 2100

DayChanged = Callable[[AsyncSession, uuid.UUID, date], Awaitable[object]]
"""(session, org id, the day that changed) → anything; run after the change is flushed."""
_LISTENERS: dict[str, DayChanged] = {}


@dataclass(frozen=True)
class DayChangeListener:
    """A domain's declaration (its registry's `providers`, a `core.registry.Hook`): what it
    counted on the calendar is re-planned in the transaction that flips a day between
    working and not (workflow re-plans open tasks). Calendars is below the domains that count
    on it, so it calls them through this hook instead of importing them."""

    name: str
    on_change: DayChanged

    def install(self) -> None:
        _LISTENERS[self.name] = self.on_change


async def _changed(
    session: AsyncSession, org_id: uuid.UUID, day: date, *, was_working: bool, working: bool
) -> None:
    """Tell the listeners when the day's working status flipped (naming an official
    holiday again changes nothing they counted)."""
    if was_working != working:
        for on_change in _LISTENERS.values():
            await on_change(session, org_id, day)


async def work_calendar(session: AsyncSession, org_id: uuid.UUID) -> WorkCalendar:
    """The organization's calendar: one statement for its own days."""
    return WorkCalendar(await repository.own_days(session, org_id))


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Unprocessable(
            _("No calendar for that year"),
            errors=[
                FieldError(
                    field="year",
                    message=_("between {first} and {last}", first=FIRST_YEAR, last=LAST_YEAR),
                )
            ],
        )


async def working_year(session: AsyncSession, principal: Principal, year: int) -> WorkingYearOut:
    """Any member of the organization may read how it works a year."""
    _check_year(year)
    own = {
        row.day: row
        for row in (await session.execute(repository.days_statement(principal.org_id, year)))
        .scalars()
        .all()
    }
    days = {
        official.day: YearDay(
            day=official.day, working=official.working, name=official.name, source="official"
        )
        for official in official_days(year)
    }
    days |= {
        day: YearDay(day=day, working=row.working, name=row.name, source="organization")
        for day, row in own.items()
    }
    calendar = WorkCalendar({day: row.working for day, row in own.items()})
    year_basis = basis(year)
    return WorkingYearOut(
        year=year,
        basis=year_basis,
        note=str(
            _(
                "The official holiday schedule of {year}, with the organization's own days",
                year=year,
            )
            if year_basis == "official"
            else _(
                "The official schedule of {year} is not known yet: only weekends and the "
                "organization's own days are days off",
                year=year,
            )
        ),
        working_days=calendar.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)),
        days=[days[day] for day in sorted(days)],
    )


async def list_days(
    session: AsyncSession, principal: Principal, year: int | None, page: PageParams
) -> tuple[list[CalendarDay], str | None]:
    if year is not None:
        _check_year(year)
    statement = repository.days_statement(principal.org_id, year)
    rows, cursor = await paginate(session, statement, [CalendarDay.day, CalendarDay.id], page)
    return rows, cursor


async def add_day(session: AsyncSession, principal: Principal, body: CalendarDayIn) -> CalendarDay:
    """One day of the organization's own (HR admin); 409 when the day is set already."""
    require_hr_admin(principal)
    if await repository.day_on(session, principal.org_id, body.day) is not None:
        raise Conflict(_("{day} is set already; remove it to change it", day=body.day.isoformat()))
    row = CalendarDay(org_id=principal.org_id, day=body.day, working=body.working, name=body.name)
    session.add(row)
    await session.flush()
    official = WorkCalendar().is_working_day(body.day)
    await _changed(session, principal.org_id, body.day, was_working=official, working=body.working)
    audit.record(
        session,
        principal,
        "calendar_day.added",
        "calendar_day",
        row.id,
        org_id=principal.org_id,
        after=_state(row),
    )
    return row


async def remove_day(session: AsyncSession, principal: Principal, day_id: uuid.UUID) -> None:
    """The day follows the official schedule (or weekends) again (HR admin)."""
    require_hr_admin(principal)
    row = await get_or_404(session, CalendarDay, principal.org_id, day_id, what=N_("calendar day"))
    audit.record(
        session,
        principal,
        "calendar_day.removed",
        "calendar_day",
        row.id,
        org_id=principal.org_id,
        before=_state(row),
    )
    await session.delete(row)
    await session.flush()
    official = WorkCalendar().is_working_day(row.day)
    await _changed(session, principal.org_id, row.day, was_working=row.working, working=official)


def _state(row: CalendarDay) -> dict[str, object]:
    return {"day": row.day.isoformat(), "working": row.working, "name": row.name}

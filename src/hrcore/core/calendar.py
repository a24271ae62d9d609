"""Working days 「工作日」: China's official schedule plus an organization's own days.

The official schedule — statutory holidays and the make-up working days 「调休」 the State
Council publishes each year — comes from the `holidays` package (`holidays.China`). A year
counts as covered only when the package holds that year's published schedule (its make-up
days); for a year it does not cover yet, the calendar falls back to weekends only (Monday to
Friday work) until the package is updated or the organization marks the year's days itself.
An organization's days (company holidays, its own make-up days) override both.

`WorkCalendar` is built once per request or sweep batch (`calendars.api.work_calendar`) and
answers from per-year lists of working days, so counting or adding working days over years
costs a bisection, not a loop per day.
"""

from __future__ import annotations

import calendar as month_lengths
import functools
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from holidays.countries.china import China, ChinaStaticHolidays

DaysAre = Literal["calendar", "working"]
Basis = Literal["official", "weekends_only"]


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 → 28/29 Feb):
    contract notice windows, pairings' ends and schedules count months this way."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, month_lengths.monthrange(year, month)[1]))


WORKING_MORNING = time(9, 0)
"""Where a held reminder or escalation lands: this time on the next working day."""


@functools.cache
def official_years() -> frozenset[int]:
    """Years whose official schedule (holidays and make-up days) the package holds."""
    return frozenset(ChinaStaticHolidays.special_public_holidays)


@dataclass(frozen=True, slots=True)
class OfficialDay:
    day: date
    working: bool
    name: str


@functools.cache
def official_days(year: int) -> tuple[OfficialDay, ...]:
    """The official schedule's exceptions to Monday-to-Friday in `year`: days off on
    weekdays and weekends worked; empty for a year the package does not cover."""
    if year not in official_years():
        return ()
    schedule = China(years=year, language="zh_CN")  # type: ignore[no-untyped-call]
    days = [
        OfficialDay(day, False, name)
        for day, name in schedule.items()
        if day.year == year and day.weekday() < 5
    ]
    days += [
        OfficialDay(day, True, "调休上班") for day in schedule.weekend_workdays if day.year == year
    ]
    return tuple(sorted(days, key=lambda official: official.day))


@functools.cache
def _official_exceptions(year: int) -> Mapping[date, bool]:
    return {official.day: official.working for official in official_days(year)}


def basis(year: int) -> Basis:
    """How a year's days are known: the official schedule, or weekends only."""
    return "official" if year in official_years() else "weekends_only"


class WorkCalendar:
    """An organization's working days: its own days over the official schedule over
    weekends."""

    def __init__(self, own_days: Mapping[date, bool] | None = None) -> None:
        self._own = dict(own_days or {})
        self._years: dict[int, list[int]] = {}

    def with_day(self, day: date, working: bool) -> WorkCalendar:
        """This calendar with `day` set one way: the calendar as it was before a change, so
        a plan can be compared across it."""
        return WorkCalendar(self._own | {day: working})

    def is_working_day(self, day: date) -> bool:
        own = self._own.get(day)
        if own is not None:
            return own
        official = _official_exceptions(day.year).get(day)
        return official if official is not None else day.weekday() < 5

    def _working(self, year: int) -> list[int]:
        """Ordinals of the year's working days, ascending (built on first use)."""
        ordinals = self._years.get(year)
        if ordinals is None:
            first = date(year, 1, 1).toordinal()
            last = date(year, 12, 31).toordinal()
            ordinals = [
                n for n in range(first, last + 1) if self.is_working_day(date.fromordinal(n))
            ]
            self._years[year] = ordinals
        return ordinals

    def add_working_days(self, start: date, n: int) -> date:
        """The `n`-th working day after `start` (before it for negative `n`); `start`
        itself for 0."""
        if n == 0:
            return start
        year, ordinal = start.year, start.toordinal()
        if n > 0:
            ordinals = self._working(year)
            index = bisect_right(ordinals, ordinal) + n - 1
            while index >= len(ordinals):
                index -= len(ordinals)
                year += 1
                ordinals = self._working(year)
            return date.fromordinal(ordinals[index])
        ordinals = self._working(year)
        index = bisect_left(ordinals, ordinal) + n
        while index < 0:
            year -= 1
            ordinals = self._working(year)
            index += len(ordinals)
        return date.fromordinal(ordinals[index])

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall in (`start`, `end`]; 0 when `end` is not after."""
        if end <= start:
            return 0
        first = self._working(start.year)
        if start.year == end.year:
            return bisect_right(first, end.toordinal()) - bisect_right(first, start.toordinal())
        count = len(first) - bisect_right(first, start.toordinal())
        count += sum(len(self._working(year)) for year in range(start.year + 1, end.year))
        return count + bisect_right(self._working(end.year), end.toordinal())

    def next_working_morning(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """`moment` if it falls on a working day in `zone`, else 09:00 of the next one."""
        day = moment.astimezone(zone).date()
        if self.is_working_day(day):
            return moment
        return datetime.combine(self.add_working_days(day, 1), WORKING_MORNING, tzinfo=zone)


def add_days(
    calendar: WorkCalendar, moment: datetime, n: int, days_are: DaysAre, zone: ZoneInfo
) -> datetime:
    """`moment` moved by `n` days: exact 24-hour steps for calendar days; for working days,
    the same local time on the `n`-th working day from its date in `zone`."""
    if days_are == "calendar":
        return moment + timedelta(days=n)
    local = moment.astimezone(zone)
    day = calendar.add_working_days(local.date(), n)
    return datetime.combine(day, local.timetz()).astimezone(moment.tzinfo)

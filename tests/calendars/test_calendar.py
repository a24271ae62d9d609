"""The working calendar: the official schedule from the package, weekends, 调休 make-up
days, the organization's own days and the fallback for a year nobody covers yet."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hrcore.core.calendar import WorkCalendar, add_days, basis, official_years

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_official_schedule_knows_holidays_and_make_up_workdays() -> None:
    calendar = WorkCalendar()
    assert {2025, 2026} <= official_years()
    # National Day 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked
    assert not any(calendar.is_working_day(date(2025, 10, day)) for day in range(1, 9))
    assert calendar.is_working_day(date(2025, 9, 28))
    assert calendar.is_working_day(date(2025, 10, 11))
    # Spring Festival 2026: Saturday 14 February is a make-up workday, 16–23 February off
    assert calendar.is_working_day(date(2026, 2, 14))
    assert not calendar.is_working_day(date(2026, 2, 16))
    assert not calendar.is_working_day(date(2026, 2, 23))
    # a plain weekend and a plain weekday
    assert not calendar.is_working_day(date(2026, 3, 7))
    assert calendar.is_working_day(date(2026, 3, 9))


def test_working_days_are_added_and_counted_across_holidays_and_years() -> None:
    calendar = WorkCalendar()
    # Tuesday 30 September 2025 + 1 working day: the holiday is skipped to 9 October
    assert calendar.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert calendar.add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)
    # Friday 26 Sept → Monday 13 Oct: Sun 28, Mon 29, Tue 30, Thu 9, Fri 10, Sat 11, Mon 13
    assert calendar.working_days_between(date(2025, 9, 26), date(2025, 10, 13)) == 7
    assert calendar.add_working_days(date(2025, 9, 26), 7) == date(2025, 10, 13)
    assert calendar.add_working_days(date(2025, 9, 26), 0) == date(2025, 9, 26)
    # across a year boundary into a year the package does not cover (weekends only)
    assert calendar.add_working_days(date(2026, 12, 30), 5) == date(2027, 1, 6)
    assert calendar.working_days_between(date(2026, 12, 30), date(2027, 1, 6)) == 5
    assert calendar.working_days_between(date(2027, 1, 6), date(2026, 12, 30)) == 0


def test_an_uncovered_year_falls_back_to_weekends_and_the_organization_marks_its_days() -> None:
    year = max(official_years()) + 1
    assert basis(year) == "weekends_only"
    assert basis(2026) == "official"
    first_monday = next(
        date(year, 1, day) for day in range(1, 8) if date(year, 1, day).weekday() == 0
    )
    assert WorkCalendar().is_working_day(first_monday)
    own = WorkCalendar({first_monday: False, date(2026, 2, 14): False, date(2026, 3, 7): True})
    assert not own.is_working_day(first_monday)
    assert not own.is_working_day(date(2026, 2, 14)), "the organization's day wins"
    assert own.is_working_day(date(2026, 3, 7))
    assert own.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 7)


def test_a_moment_on_a_non_working_day_waits_for_the_next_working_morning() -> None:
    calendar = WorkCalendar()
    saturday = datetime(2026, 3, 7, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    assert calendar.next_working_morning(saturday, SHANGHAI) == datetime(
        2026, 3, 9, 9, 0, tzinfo=SHANGHAI
    )
    # 1 October 2025 waits past the whole holiday to Thursday 9 October
    national_day = datetime(2025, 10, 1, 12, 0, tzinfo=SHANGHAI)
    assert calendar.next_working_morning(national_day, SHANGHAI) == datetime(
        2025, 10, 9, 9, 0, tzinfo=SHANGHAI
    )
    monday = datetime(2026, 3, 9, 15, 0, tzinfo=SHANGHAI)
    assert calendar.next_working_morning(monday, SHANGHAI) == monday


def test_days_move_a_moment_in_calendar_or_working_days() -> None:
    calendar = WorkCalendar()
    friday = datetime(2026, 3, 6, 23, 59, tzinfo=SHANGHAI)
    assert add_days(calendar, friday, 1, "calendar", SHANGHAI) == datetime(
        2026, 3, 7, 23, 59, tzinfo=SHANGHAI
    )
    assert add_days(calendar, friday, 1, "working", SHANGHAI) == datetime(
        2026, 3, 9, 23, 59, tzinfo=SHANGHAI
    )
    # five working days back: Thu, Wed, Tue, Mon and Saturday 28 February, a make-up day
    assert add_days(calendar, friday, -5, "working", SHANGHAI) == datetime(
        2026, 2, 28, 23, 59, tzinfo=SHANGHAI
    )

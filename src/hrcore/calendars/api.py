"""What other domains may call: the organization's working calendar.

Callers load it once per request or batch and ask it as often as they need
(`is_working_day`, `add_working_days`, `working_days_between`, `next_working_morning`).
A domain that planned something on it declares a `DayChangeListener` in its registry: it
runs in the transaction that flips one of the organization's days between working and not."""

from __future__ import annotations

from hrcore.calendars.days import DayChangeListener, work_calendar
from hrcore.core.calendar import DaysAre, WorkCalendar, add_days

__all__ = ["DayChangeListener", "DaysAre", "WorkCalendar", "add_days", "work_calendar"]

"""What other domains may call: the organization's working calendar.

Callers load it once per request or batch and ask it as often as they need
(`is_working_day`, `add_working_days`, `working_days_between`, `next_working_morning`)."""

from __future__ import annotations

from hrcore.calendars.days import work_calendar
from hrcore.core.calendar import DaysAre, WorkCalendar, add_days

__all__ = ["DaysAre", "WorkCalendar", "add_days", "work_calendar"]

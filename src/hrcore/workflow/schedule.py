"""When a task is due and when the sweep must act on it.

One due-moment rule for the whole application: a date-only due date means the last moment
of that day in the organization's time zone (`end_of_day`, `due_moment`); programs' stage
windows and reviews' "on time" use it too, through `workflow.api`.

Per task there are three action kinds, each a series of windows: `reminder` (N days before
due, then at due and every R days after), `escalate_manager` (D days overdue) and
`escalate_hr`. A policy counts its days as calendar days (exact 24-hour steps from `due_at`)
or as working days on the organization's calendar (the same local time on the N-th working
day), and by default holds a window that falls on a non-working day to the next working
morning (09:00 in the organization's time zone). The window functions are pure, given the
organization's `Timeline` (its calendar and time zone, loaded once per batch).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.calendars import api as calendars
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.workflow.schemas import EscalationPolicy, ReminderPolicy, TaskPolicy

REMIND = "reminder"
ESCALATE_MANAGER = "escalate_manager"
ESCALATE_HR = "escalate_hr"


# --- the due moment -----------------------------------------------------------------------


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The last moment of `day` in `zone`: what a date-only due date means."""
    return datetime.combine(day, time(23, 59, 59, 999999), tzinfo=zone)


def aware(due: datetime) -> datetime:
    """A due time as given, refused (422 naming `due`) without a time zone."""
    if due.tzinfo is None or due.utcoffset() is None:
        raise Unprocessable(
            _("The due time needs a time zone"),
            errors=[FieldError(field="due", message=_("naive datetime"))],
        )
    return due


def due_in(due: date | datetime, zone: ZoneInfo) -> datetime:
    """`due_moment` when the organization's time zone is at hand."""
    return aware(due) if isinstance(due, datetime) else end_of_day(due, zone)


async def due_moment(session: AsyncSession, org_id: uuid.UUID, due: date | datetime) -> datetime:
    """The instant a due date means: its last moment in the organization's time zone."""
    if isinstance(due, datetime):
        return aware(due)
    return end_of_day(due, ZoneInfo(await identity.org_timezone(session, org_id)))


# --- action windows (pure) ----------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    """Where a policy's days land: the organization's working calendar and time zone.

    Answers are remembered for the timeline's life (one sweep of one organization, one batch
    of new tasks): a batch's tasks share their due moments and policies, so each window time
    is worked out once, not once per task.
    """

    calendar: calendars.WorkCalendar
    zone: ZoneInfo
    _memo: dict[tuple[object, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def at(self, moment: datetime, n: int, days_are: calendars.DaysAre, hold: bool) -> datetime:
        """`moment` moved by `n` days; on a non-working day, held to the next working
        morning (09:00) when `hold`."""
        key = (moment, n, days_are, hold)
        found: datetime | None = self._memo.get(key)
        if found is None:
            found = calendars.add_days(self.calendar, moment, n, days_are, self.zone)
            if hold:
                found = self.calendar.next_working_morning(found, self.zone)
            self._memo[key] = found
        return found

    def steps(self, start: datetime, end: datetime, days_are: calendars.DaysAre) -> int:
        """Whole days from `start` to `end`: 24-hour steps, or the working days whose
        moment (`start`'s local time on that day, as `at` places it) `end` has reached."""
        if days_are == "calendar":
            return (end - start) // timedelta(days=1)
        key = (start, end)
        found: int | None = self._memo.get(key)
        if found is None:
            first, last = start.astimezone(self.zone), end.astimezone(self.zone)
            found = self.calendar.working_days_between(first.date(), last.date())
            if found and last.time() < first.time() and self.calendar.is_working_day(last.date()):
                found -= 1  # today's moment is still to come
            self._memo[key] = found
        return found


async def timeline(session: AsyncSession, org_id: uuid.UUID) -> Timeline:
    """The organization's timeline: two statements, once per batch or request."""
    zone = ZoneInfo(await identity.org_timezone(session, org_id))
    return Timeline(await calendars.work_calendar(session, org_id), zone)


@dataclass(frozen=True)
class Window:
    kind: str
    name: str
    at: datetime
    overdue: bool = False


def _before(policy: ReminderPolicy, line: Timeline, due: datetime) -> list[Window]:
    """The reminders before the due time, earliest first."""
    return [
        Window(
            REMIND,
            f"before:{days}d",
            line.at(due, -days, policy.days_are, policy.hold_on_non_working_days),
        )
        for days in sorted(policy.before_due_days, reverse=True)
    ]


def _repeat(policy: ReminderPolicy, line: Timeline, due: datetime, k: int) -> datetime:
    """The `k`-th overdue reminder (0: at the due time)."""
    assert policy.repeat_every_days is not None
    days = k * policy.repeat_every_days
    return line.at(due, days, policy.days_are, policy.hold_on_non_working_days)


def _latest_reminder(
    policy: ReminderPolicy, line: Timeline, due: datetime, until: datetime
) -> Window | None:
    """The last reminder window at or before `until`."""
    if policy.repeat_every_days is not None and until >= due:
        k = line.steps(due, until, policy.days_are) // policy.repeat_every_days
        while k >= 0 and _repeat(policy, line, due, k) > until:
            k -= 1
        if k >= 0:
            return Window(REMIND, f"after:{k}", _repeat(policy, line, due, k), overdue=True)
    past = [window for window in _before(policy, line, due) if window.at <= until]
    return past[-1] if past else None


def _next_reminder(
    policy: ReminderPolicy, line: Timeline, due: datetime, after: datetime | None
) -> datetime | None:
    """The first reminder window strictly after `after` (the very first for None)."""
    for window in _before(policy, line, due):
        if after is None or window.at > after:
            return window.at
    if policy.repeat_every_days is None:
        return None
    k = 0
    if after is not None and after >= due:
        k = line.steps(due, after, policy.days_are) // policy.repeat_every_days
    while after is not None and _repeat(policy, line, due, k) <= after:
        k += 1
    return _repeat(policy, line, due, k)


def _escalations(policy: EscalationPolicy, line: Timeline, due: datetime) -> list[Window]:
    def at(days: int) -> datetime:
        return line.at(due, days, policy.days_are, policy.hold_on_non_working_days)

    windows = []
    if policy.manager_after_days is not None:
        windows.append(Window(ESCALATE_MANAGER, "manager", at(policy.manager_after_days), True))
    if policy.hr_after_days is not None:
        windows.append(Window(ESCALATE_HR, "hr", at(policy.hr_after_days), True))
    return windows


def due_windows(
    policy: TaskPolicy, line: Timeline, due: datetime, *, after: datetime | None, now: datetime
) -> list[Window]:
    """What to do now: for each kind, only its latest window in (`after`, `now`]."""
    candidates = [_latest_reminder(policy.reminder, line, due, now)]
    candidates += [w for w in _escalations(policy.escalation, line, due) if w.at <= now]
    return [
        window
        for window in candidates
        if window is not None and (after is None or window.at > after)
    ]


def next_action_at(
    policy: TaskPolicy, line: Timeline, due: datetime, *, after: datetime | None
) -> datetime | None:
    """When the sweep must next look at the task: the first window of any kind after `after`."""
    times = [_next_reminder(policy.reminder, line, due, after)]
    times += [
        w.at for w in _escalations(policy.escalation, line, due) if after is None or w.at > after
    ]
    present = [at for at in times if at is not None]
    return min(present) if present else None

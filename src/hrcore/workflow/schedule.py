"""When a task is due and when the sweep must act on it.

One due-moment rule for the whole application: a date-only due date means the last moment
of that day in the organization's time zone (`end_of_day`, `due_moment`); programs' stage
windows and reviews' "on time" use it too, through `workflow.api`.

Per task there are three action kinds, each a series of windows: `reminder` (N days before
due, then at due and every R days after), `escalate_manager` (D days overdue) and
`escalate_hr`. Windows are days from `due_at` as exact 24-hour steps (the org's time zone
only places the due time of a date-only task). The window functions are pure.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

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


async def due_moment(session: AsyncSession, org_id: uuid.UUID, due: date | datetime) -> datetime:
    """The instant a due date means: its last moment in the organization's time zone."""
    if isinstance(due, datetime):
        return aware(due)
    return end_of_day(due, ZoneInfo(await identity.org_timezone(session, org_id)))


async def due_moments(
    session: AsyncSession, org_id: uuid.UUID, dues: set[date | datetime]
) -> dict[date | datetime, datetime]:
    """`due_moment` of each distinct due, looking the organization's time zone up once."""
    moments: dict[date | datetime, datetime] = {
        due: aware(due) for due in dues if isinstance(due, datetime)
    }
    dates = [due for due in dues if not isinstance(due, datetime)]
    if dates:
        zone = ZoneInfo(await identity.org_timezone(session, org_id))
        moments |= {due: end_of_day(due, zone) for due in dates}
    return moments


# --- action windows (pure) ----------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    kind: str
    name: str
    at: datetime
    overdue: bool = False


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _latest_reminder(policy: ReminderPolicy, due: datetime, until: datetime) -> Window | None:
    """The last reminder window at or before `until`."""
    if policy.repeat_every_days is not None and until >= due:
        period = _days(policy.repeat_every_days)
        k = (until - due) // period
        return Window(REMIND, f"after:{k}", due + k * period, overdue=True)
    past = [
        Window(REMIND, f"before:{days}d", due - _days(days))
        for days in sorted(policy.before_due_days, reverse=True)
        if due - _days(days) <= until
    ]
    return past[-1] if past else None


def _next_reminder(
    policy: ReminderPolicy, due: datetime, after: datetime | None
) -> datetime | None:
    """The first reminder window strictly after `after` (the very first for None)."""
    for days in sorted(policy.before_due_days, reverse=True):
        at = due - _days(days)
        if after is None or at > after:
            return at
    if policy.repeat_every_days is None:
        return None
    if after is None or after < due:
        return due
    period = _days(policy.repeat_every_days)
    return due + ((after - due) // period + 1) * period


def _escalations(policy: EscalationPolicy, due: datetime) -> list[Window]:
    windows = []
    if policy.manager_after_days is not None:
        windows.append(
            Window(ESCALATE_MANAGER, "manager", due + _days(policy.manager_after_days), True)
        )
    if policy.hr_after_days is not None:
        windows.append(Window(ESCALATE_HR, "hr", due + _days(policy.hr_after_days), True))
    return windows


def due_windows(
    policy: TaskPolicy, due: datetime, *, after: datetime | None, now: datetime
) -> list[Window]:
    """What to do now: for each kind, only its latest window in (`after`, `now`]."""
    candidates = [_latest_reminder(policy.reminder, due, now)]
    candidates += [window for window in _escalations(policy.escalation, due) if window.at <= now]
    return [
        window
        for window in candidates
        if window is not None and (after is None or window.at > after)
    ]


def next_action_at(policy: TaskPolicy, due: datetime, *, after: datetime | None) -> datetime | None:
    """When the sweep must next look at the task: the first window of any kind after `after`."""
    times = [_next_reminder(policy.reminder, due, after)]
    times += [w.at for w in _escalations(policy.escalation, due) if after is None or w.at > after]
    present = [at for at in times if at is not None]
    return min(present) if present else None

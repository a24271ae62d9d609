"""Re-planning open tasks when the organization's calendar changes.

A day HR adds or removes (`calendars`, through its `DayChangeListener`) moves every window
counted on the calendar across it: an offset in working days, a window held over days off.
In the same transaction each open task whose plan could cross that day gets the
`next_action_at` the new calendar gives it — earlier when a day off became a working day,
later when a window now falls on a day off — in two statements for the whole organization.

Due dates never move: a due date is what the assignee was told and what "on time" is
measured against, and the task does not know how its creator derived it; the owning domain
reschedules (`reschedule_task`) when it wants to.

A window the change moved from the future into the past (a reminder two working days before
a due date, when a day in between becomes a day off) was never sent: the task's
`handled_until` steps back to just before it, so the next sweep sends it; windows already
sent keep their unique keys and are not sent again.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.workflow import repository
from hrcore.workflow.policies import parsed_policy
from hrcore.workflow.schedule import Timeline, Window, due_windows, next_action_at, timeline
from hrcore.workflow.schemas import TaskPolicy

JUST_BEFORE = timedelta(microseconds=1)


async def replan_open_tasks(session: AsyncSession, org_id: uuid.UUID, day: date) -> int:
    """Re-plan the open tasks a change of `day` (already flushed) may move; returns how many
    changed. Two statements for the calendar and time zone, one to read, one to write."""
    line = await timeline(session, org_id)
    before = Timeline(line.calendar.with_day(day, not line.calendar.is_working_day(day)), line.zone)
    since = datetime.combine(day, time(), tzinfo=line.zone)
    plans = []
    for row in await repository.planned_on_calendar(session, org_id, since):
        policy = parsed_policy(row["policy"])
        plan = _plan(policy, line, before, row["due_at"], row["handled_until"])
        if plan != (row["handled_until"], row["next_action_at"]):
            plans.append((row["id"], *plan))
    await repository.replan(session, org_id, plans)
    return len(plans)


def _plan(
    policy: TaskPolicy, line: Timeline, before: Timeline, due: datetime, handled: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """(handled_until, next_action_at) on the new calendar. A window the sweep has not dealt
    with — the latest of its kind up to `handled` now, later in its series than the latest
    the old calendar had there — is due at once: `handled` steps back to just before it."""
    if handled is not None:
        dealt = {
            w.kind: _rank(w) for w in due_windows(policy, before, due, after=None, now=handled)
        }
        missed = [
            window.at
            for window in due_windows(policy, line, due, after=None, now=handled)
            if window.kind not in dealt or _rank(window) > dealt[window.kind]
        ]
        if missed:
            return min(missed) - JUST_BEFORE, min(missed)
    return handled, next_action_at(policy, line, due, after=handled)


def _rank(window: Window) -> tuple[int, int]:
    """A window's place in its kind's series: reminders `before:Nd` (furthest first), then
    `after:k`; an escalation kind has one window."""
    name = window.name
    if name.startswith("before:"):
        return 0, -int(name.removeprefix("before:").removesuffix("d"))
    if name.startswith("after:"):
        return 1, int(name.removeprefix("after:"))
    return 0, 0

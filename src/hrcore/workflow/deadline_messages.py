"""What the deadline sweep says: one message per recipient and reason, in each recipient's
language, the due time in the organization's time zone.

A reminder speaks to the assignee about their task. An escalation speaks to the manager or
HR about someone else's: it names the overdue person (who) beside the task (what), so the
notice — an inbox row, a DingTalk card — says whom to ask without opening it; a
confidential task is named only as one (only its assignee sees what it is). Several actions
of one reason to one recipient are one digest listing the tasks, each line naming its
person.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from hrcore.core.i18n import Lines, Moment, Text, _, _n
from hrcore.notifications import api as notifications
from hrcore.workflow.policies import parsed_policy
from hrcore.workflow.schedule import ESCALATE_MANAGER, REMIND, Timeline, Window
from hrcore.workflow.schemas import TaskPolicy

SUBJECT_TYPE = "task"
"""Notifications link to the task; the task links on to its owning domain's object."""
DIGEST_LINES = 50
"""Tasks a digest lists one by one; the others are counted in a last line."""


@dataclass(frozen=True, slots=True)
class DueTask:
    """What the sweep needs of a task: its columns and its parsed policy."""

    id: uuid.UUID
    subject_type: str
    subject_id: uuid.UUID
    kind: str
    title: str
    assignee_employee_id: uuid.UUID
    due_at: datetime
    status: str
    on_time: bool | None
    schedule: int
    handled_until: datetime | None
    confidential: bool
    policy: TaskPolicy

    @classmethod
    def of(cls, row: Row[Any]) -> DueTask:
        return cls(**{**row._asdict(), "policy": parsed_policy(row.policy)})


@dataclass(frozen=True)
class Action:
    task: DueTask
    window: Window
    user_ids: list[uuid.UUID]
    assignee: str = ""
    """The assignee's name, which an escalation names (empty for a reminder)."""

    @property
    def recorded_key(self) -> tuple[uuid.UUID, str, str]:
        """The action's unique key in `task_actions`: (task, kind, schedule and window)."""
        return (self.task.id, self.window.kind, f"s{self.task.schedule}:{self.window.name}")

    @property
    def dedupe_key(self) -> str:
        task_id, kind, window = self.recorded_key
        return f"task:{task_id}:{kind}:{window}"


def messages(
    actions: Sequence[Action], line: Timeline, now: datetime
) -> list[notifications.Message]:
    """One message per recipient and reason (reminder, overdue reminder, escalation to the
    manager, to HR): one action is today's single-task message, several a digest listing
    them. A digest's `dedupe_key` is a digest of its actions' keys, so a re-run that finds
    the same actions again sends nothing twice."""
    groups: dict[tuple[str, bool, tuple[uuid.UUID, ...]], list[Action]] = defaultdict(list)
    for action in actions:
        recipients = tuple(sorted(set(action.user_ids)))
        groups[(action.window.kind, action.window.overdue, recipients)].append(action)
    messages = []
    for (kind, _overdue, recipients), grouped in groups.items():
        if len(grouped) == 1:
            [action] = grouped
            text = _message(action, line, now)
            subject_id: uuid.UUID | None = action.task.id
            dedupe_key = action.dedupe_key
            # the assignee acts on the task's own item (answers the review); others open it
            act = action.task.subject_type if kind == REMIND else None
        else:
            # confidential tasks last: their place among the titles would hint at theirs
            grouped.sort(key=lambda a: (a.task.confidential, a.task.due_at, a.task.title))
            text = _digest(grouped, line, now)
            subject_id = None
            keys = "\n".join(sorted(action.dedupe_key for action in grouped))
            dedupe_key = f"digest:{kind}:{hashlib.sha256(keys.encode()).hexdigest()}"
            act = None
        messages.append(
            notifications.Message(
                user_ids=list(recipients),
                kind=text["kind"],
                title=text["title"],
                body=text["body"],
                subject_type=SUBJECT_TYPE if subject_id else None,
                subject_id=subject_id,
                dedupe_key=dedupe_key,
                act=act,
            )
        )
    return messages


def _days_overdue(task: DueTask, line: Timeline, now: datetime) -> tuple[int, bool]:
    """Whole days past the due time, and whether they are working days: counted as the
    task's escalation policy counts its thresholds, so an escalation after 3 working days
    says 3 working days, not the 5 calendar days a weekend makes of them."""
    working = task.policy.escalation.days_are == "working"
    days = line.steps(task.due_at, now, "working" if working else "calendar")
    return max(days, 0), working


def _digest(actions: Sequence[Action], line: Timeline, now: datetime) -> dict[str, Any]:
    """The kind, title and body of several actions of one reason for one recipient: the
    count in the title, one line per task; escalations list confidential tasks without
    their title."""
    count, window, zone = len(actions), actions[0].window, line.zone
    if window.kind == REMIND:
        lines = _listed(
            [
                _("{title}, due by {due}", title=a.task.title, due=Moment(a.task.due_at, zone))
                for a in actions
            ]
        )
        if not window.overdue:
            return {
                "kind": "task.reminder",
                "title": _n("{count} task due soon", "{count} tasks due soon", count),
                "body": _("These tasks are due soon:\n{tasks}", tasks=lines),
            }
        return {
            "kind": "task.overdue",
            "title": _n("{count} task overdue", "{count} tasks overdue", count),
            "body": _("Please complete these overdue tasks:\n{tasks}", tasks=lines),
        }
    lines = _listed([_overdue_line(action, line, now) for action in actions])
    if window.kind == ESCALATE_MANAGER:
        return {
            "kind": "task.escalation",
            "title": _n(
                "{count} task of your reports is overdue",
                "{count} tasks of your reports are overdue",
                count,
            ),
            "body": _(
                "These tasks of your reports are still open past their due time:\n{tasks}",
                tasks=lines,
            ),
        }
    return {
        "kind": "task.escalation",
        "title": _n(
            "{count} task of employees is overdue", "{count} tasks of employees are overdue", count
        ),
        "body": _(
            "These tasks of employees are still open past their due time:\n{tasks}", tasks=lines
        ),
    }


def _listed(lines: Sequence[Text]) -> Lines:
    """The first `DIGEST_LINES` lines and how many more: a digest stays readable, and within
    what a DingTalk message holds, however many tasks a batch had (the title has the count)."""
    rest = len(lines) - DIGEST_LINES
    if rest <= 0:
        return Lines(lines)
    more = _n("…and {count} more task", "…and {count} more tasks", rest)
    return Lines([*lines[:DIGEST_LINES], more])


def _overdue_line(action: Action, line: Timeline, now: datetime) -> Text:
    """One task of an escalation digest, after the name of its person; a confidential one
    says only that it is one."""
    task, name = action.task, action.assignee
    due = Moment(task.due_at, line.zone)
    days, working = _days_overdue(task, line, now)
    if task.confidential and working:
        return _n(
            "{name}: a confidential task (only its assignee sees what it is), due by {due}, "
            "{count} working day overdue",
            "{name}: a confidential task (only its assignee sees what it is), due by {due}, "
            "{count} working days overdue",
            days,
            name=name,
            due=due,
        )
    if task.confidential:
        return _n(
            "{name}: a confidential task (only its assignee sees what it is), due by {due}, "
            "{count} day overdue",
            "{name}: a confidential task (only its assignee sees what it is), due by {due}, "
            "{count} days overdue",
            days,
            name=name,
            due=due,
        )
    if working:
        return _n(
            "{name}: {title}, due by {due}, {count} working day overdue",
            "{name}: {title}, due by {due}, {count} working days overdue",
            days,
            name=name,
            title=task.title,
            due=due,
        )
    return _n(
        "{name}: {title}, due by {due}, {count} day overdue",
        "{name}: {title}, due by {due}, {count} days overdue",
        days,
        name=name,
        title=task.title,
        due=due,
    )


def _message(action: Action, line: Timeline, now: datetime) -> dict[str, Any]:
    """The kind, title and body of a reminder or escalation; texts render in each recipient's
    locale, the due time in the organization's time zone. An escalation's body names whose
    task it is."""
    task, window, name = action.task, action.window, action.assignee
    due = Moment(task.due_at, line.zone)
    if window.kind == REMIND and not window.overdue:
        return {
            "kind": "task.reminder",
            "title": _("Due soon: {title}", title=task.title),
            "body": _("Due by {due}.", due=due),
        }
    if window.kind == REMIND:
        return {
            "kind": "task.overdue",
            "title": _("Overdue: {title}", title=task.title),
            "body": _("This task was due by {due}; please complete it.", due=due),
        }
    to_manager = window.kind == ESCALATE_MANAGER
    if task.confidential:
        body = (
            _(
                "Your report {name} has a confidential task (a 360 review, for instance) that "
                "was due by {due} and is still open; only they see what it is.",
                name=name,
                due=due,
            )
            if to_manager
            else _(
                "{name} has a confidential task (a 360 review, for instance) that was due by "
                "{due} and is still open; only they see what it is.",
                name=name,
                due=due,
            )
        )
    elif to_manager:
        body = _(
            "Your report {name} has not completed this task, due by {due}.", name=name, due=due
        )
    else:
        body = _("{name} has not completed this task, due by {due}.", name=name, due=due)
    return {"kind": "task.escalation", "title": _escalation_title(task, line, now), "body": body}


def _escalation_title(task: DueTask, line: Timeline, now: datetime) -> Text:
    """The "Overdue N days: …" title, in working days when the escalation counts them; a
    confidential task without its title."""
    days, working = _days_overdue(task, line, now)
    if task.confidential and working:
        return _n(
            "Overdue {count} working day: a confidential task",
            "Overdue {count} working days: a confidential task",
            days,
        )
    if task.confidential:
        return _n(
            "Overdue {count} day: a confidential task",
            "Overdue {count} days: a confidential task",
            days,
        )
    if working:
        return _n(
            "Overdue {count} working day: {title}",
            "Overdue {count} working days: {title}",
            days,
            title=task.title,
        )
    return _n(
        "Overdue {count} day: {title}", "Overdue {count} days: {title}", days, title=task.title
    )

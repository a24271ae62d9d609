"""On-time rates 「按时完成率」 of the loop's steps: program stages, review ratings and
scheduled mentoring sessions. Each task done or past its deadline is one fact of its
assignee: done by the deadline (`on_time`), done after it (`late`), or still open past it
(`overdue`), in the month of its deadline and the assignee's department at the time the
task was made. A deadline passing is not an event: the figure is recollected every few
minutes, and at once for the assignee when such a task completes (a completion hook)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.figures import Fact, Figure
from hrcore.core.i18n import N_
from hrcore.mentoring import api as mentoring
from hrcore.programs import api as programs
from hrcore.reviews import api as reviews
from hrcore.workflow import api as workflow

NAME = "on_time"
SUBJECT = "task"

AREAS: dict[str, tuple[str, ...]] = {
    "program_stage": programs.STAGE_TASK_KINDS,
    "review": (reviews.TASK_KIND,),
    "mentoring_session": mentoring.SESSION_TASK_KINDS,
}
"""Each area counted and the task kinds of its steps."""

AREA_LABELS = {
    "program_stage": N_("Program stages"),
    "review": N_("Review ratings"),
    "mentoring_session": N_("Mentoring sessions"),
}

REASONS = {
    "on_time": N_("Done on {done_on}, due {due_on}"),
    "late": N_("Done on {done_on}, after its deadline {due_on}"),
    "overdue": N_("Still open, due {due_on}"),
}


async def collect(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, people: Sequence[uuid.UUID] | None
) -> list[Fact]:
    """The assignees' tasks of every area, done or due by `now`."""
    area_of = {kind: area for area, kinds in AREAS.items() for kind in kinds}
    tasks = await workflow.task_timeliness(session, org_id, list(area_of), now, people)
    facts = []
    for task in tasks:
        step = "overdue" if task.on_time is None else "on_time" if task.on_time else "late"
        params = {"due_on": task.due_at.date().isoformat()}
        if task.completed_at is not None:
            params["done_on"] = task.completed_at.date().isoformat()
        facts.append(
            Fact(
                step=step,
                subject_type=SUBJECT,
                subject_id=task.id,
                employee_id=task.assignee_employee_id,
                department_id=task.department_id,
                occurred_on=task.due_at.date(),
                reason_key=REASONS[step],
                reason_params=params,
                dimension=area_of[task.kind],
            )
        )
    return facts


FIGURE = Figure(
    name=NAME,
    steps=(
        ("on_time", N_("On time")),
        ("late", N_("Done late")),
        ("overdue", N_("Overdue")),
    ),
    collect=collect,
    every_minutes=10,
)

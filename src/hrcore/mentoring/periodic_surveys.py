"""Periodic mentee surveys (issue item 6, "after sessions and periodically"): every
`mentoring_survey_every_months` months of a running pairing its mentee gets a confidential
task of the survey kind, answered through `POST /mentorships/{id}/surveys` without a
`session_id` (which completes it). A daily cron asks for the period the pairing is in, once:
a row per pairing and period, inserted `ON CONFLICT DO NOTHING`, so a rerun or a second
worker asks nobody twice. A period is counted in calendar months from `starts_on` in the
organization's day; a pairing past its `ends_on` is not asked."""

from __future__ import annotations

import uuid
from datetime import date
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import insert_new
from hrcore.core.i18n import _
from hrcore.mentoring import events, surveys
from hrcore.mentoring.mentorship_models import Mentorship, MentorshipStatus
from hrcore.mentoring.periodic_survey_models import MentoringPeriodicSurvey
from hrcore.people import api as people
from hrcore.workflow import api as workflow


def period_of(starts_on: date, today: date, every_months: int) -> int:
    """Which period of `every_months` months `today` is past (0: still in the first)."""
    months = (today.year - starts_on.year) * 12 + today.month - starts_on.month
    if today.day < starts_on.day:
        months -= 1
    return max(months, 0) // every_months


async def ask_due(session: AsyncSession, org_id: uuid.UUID, every_months: int, clock: Clock) -> int:
    """Ask each running pairing's mentee for the period the pairing is in, unless asked
    already; how many were asked. Three statements and one task insert however many."""
    today = await people.org_today(session, org_id, clock)
    pairings = list(
        await session.scalars(
            select(Mentorship).where(
                Mentorship.org_id == org_id,
                Mentorship.status == MentorshipStatus.ACTIVE.value,
                Mentorship.starts_on <= today,
                Mentorship.ends_on >= today,
            )
        )
    )
    due = {
        pairing.id: (pairing, period)
        for pairing in pairings
        if (period := period_of(pairing.starts_on, today, every_months)) >= 1
    }
    made = await insert_new(
        session,
        MentoringPeriodicSurvey,
        [
            {"org_id": org_id, "mentorship_id": pairing_id, "period": period, "version": 1}
            for pairing_id, (_pairing, period) in due.items()
        ],
        unique=["org_id", "mentorship_id", "period"],
        returning=[MentoringPeriodicSurvey.id, MentoringPeriodicSurvey.mentorship_id],
    )
    if not made:
        return 0
    answer_by = await workflow.due_after(session, org_id, today, surveys.ANSWER_WITHIN_DAYS)
    task_ids = await workflow.create_tasks(
        session,
        org_id=org_id,
        tasks=[
            workflow.NewTask(
                subject_type=events.SUBJECT_TYPE,
                subject_id=mentorship_id,
                kind=surveys.SURVEY_KIND,
                assignee_employee_id=due[mentorship_id][0].mentee_employee_id,
                title=_("How is your mentoring going so far?"),
                due=answer_by,
                confidential=True,
                completion_params={"mentorship_id": str(mentorship_id)},
            )
            for _id, mentorship_id in made
        ],
    )
    table = cast(Table, MentoringPeriodicSurvey.__table__)
    await session.execute(
        update(table)
        .where(table.c.org_id == org_id, table.c.id == bindparam("row_id"))
        .values(task_id=bindparam("new_task_id")),
        [
            {"row_id": row_id, "new_task_id": task_id}
            for (row_id, _mentorship_id), task_id in zip(made, task_ids, strict=True)
        ],
    )
    return len(made)


async def answered(
    session: AsyncSession, principal: Principal, mentorship_id: uuid.UUID, clock: Clock
) -> None:
    """A periodic answer (no `session_id`) completes the pairing's open periodic survey
    tasks; the answer itself was checked and stored by `surveys.answer`."""
    task_ids = await session.scalars(
        select(MentoringPeriodicSurvey.task_id).where(
            MentoringPeriodicSurvey.org_id == principal.org_id,
            MentoringPeriodicSurvey.mentorship_id == mentorship_id,
            MentoringPeriodicSurvey.task_id.is_not(None),
        )
    )
    for task_id in list(task_ids):
        if task_id is not None and (
            await workflow.task_status(session, principal.org_id, task_id) == "open"
        ):
            await workflow.complete_task(
                session, org_id=principal.org_id, task_id=task_id, clock=clock, actor=principal
            )

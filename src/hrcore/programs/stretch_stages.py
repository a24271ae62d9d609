"""Stretch-assignment stages: a program stage that is a stretch assignment 「部门内任务」.

When the stage opens, the worker puts the participant on the assignment the stage names,
with competencies' assigning rules (`competencies.api.assign_to_stretch`: the person's
capacity, a free slot, the assignment's department, a supervisor). When that is refused the
stage keeps why (`stretch_problem`, in the organization's language) and the first HR admin
linked to an employee record gets a task saying so; completing it tries again (a place HR
gave by hand meanwhile is taken as the stage's). Without such an HR admin, every HR admin
hears of it in the inbox. The stage completes when the assignment's outcome is recorded
(`competencies.api.OUTCOME_RECORDED`)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core import audit, i18n
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, Forbidden, NotFound, ProblemError, Unprocessable
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.programs import competency_queries, repository
from hrcore.programs.models import ParticipantStage, ProgramParticipant, StageTask
from hrcore.programs.schemas import StageIn
from hrcore.programs.stages import SUBJECT, TASK_KINDS, complete_stage
from hrcore.settings import Settings
from hrcore.workflow import api as workflow

OUTCOME_JOB = "programs.complete_stretch_stage"
HR_TASK_DAYS = 3
"""HR's task about a refused assigning is due within these days (workflow's `due_after`)."""
REFUSALS = (Conflict, Forbidden, NotFound, Unprocessable)
"""What assigning answers when the participant cannot be put on the assignment — Forbidden
for a post, which only an HR admin assigns (it changes the employment record): HR puts the
participant on it by hand and completes the task, and the stage takes that place."""


async def assign(
    session: AsyncSession, org_id: uuid.UUID, stage_id: uuid.UUID, clock: Clock, settings: Settings
) -> str:
    """Put the participant of an open stretch-assignment stage on its assignment; what
    happened. A place they already hold (HR put them there by hand) is the stage's, and an
    outcome already recorded on it completes the stage. Idempotent: a stage no longer open
    or already assigned is left alone."""
    stage = await competency_queries.open_stretch_stage(session, org_id, stage_id=stage_id)
    if stage is None or stage.stretch_assignee_id is not None:
        return "unchanged"
    participant = await repository.participant_by_id(
        session, org_id, stage.run_id, stage.participant_id
    )
    assert participant is not None
    assignment_id = StageIn.model_validate(stage.config).stretch_assignment_id
    assert assignment_id is not None
    place = await competencies.stretch_place_of(
        session, org_id, assignment_id, participant.employee_id
    )
    if place is None:
        locale = await identity.org_locale(session, org_id)
        try:
            with i18n.using(locale):
                assignee_id = await competencies.assign_to_stretch(
                    session,
                    None,
                    assignment_id,
                    participant.employee_id,
                    clock,
                    settings,
                    org_id=org_id,
                )
        except REFUSALS as refused:
            await _refused(session, stage, participant, _reason(refused, locale), clock)
            return "refused"
        place = (assignee_id, False)
    assignee_id, outcome_recorded = place
    stage.stretch_assignee_id, stage.stretch_problem = assignee_id, None
    audit.record(
        session,
        None,
        "program_stage.stretch_assigned",
        "program_participant",
        participant.id,
        org_id=org_id,
        after={"stage": stage.key, "stretch_assignee_id": str(assignee_id)},
    )
    if outcome_recorded:
        await complete_stage(session, stage, clock, None)
        return "completed"
    return "assigned"


def _reason(refused: ProblemError, locale: str) -> str:
    """Why assigning was refused, with the fields it named, in the organization's language."""
    problem = i18n.render(refused.detail or refused.title, locale)
    if not refused.errors:
        return problem
    details = "; ".join(error.message for error in refused.errors)
    return i18n.render(_("{problem}: {details}", problem=problem, details=details), locale)


async def _refused(
    session: AsyncSession,
    stage: ParticipantStage,
    participant: ProgramParticipant,
    reason: str,
    clock: Clock,
) -> None:
    """The stage keeps why; HR gets a task (linked to the stage, so completing it tries
    again), or without an HR admin linked to an employee every HR admin an inbox message."""
    org_id = stage.org_id
    stage.stretch_problem = reason
    run = await repository.run_by_id(session, org_id, stage.run_id)
    assert run is not None
    names = await people.employee_summaries(session, org_id, [participant.employee_id])
    title = _(
        "Put {employee} on the stretch assignment of {program}: {reason}",
        employee=names[participant.employee_id].ref.name,
        program=run.name,
        reason=reason,
    )
    hr_users = await identity.hr_admin_user_ids(session, org_id)
    hr_employees = sorted(
        set((await identity.employee_ids_for_users(session, org_id, hr_users)).values())
    )
    task_id: uuid.UUID | None = None
    if hr_employees:
        today = await people.org_today(session, org_id, clock)
        task_id = await workflow.create_task(
            session,
            org_id=org_id,
            subject_type=SUBJECT,
            subject_id=stage.id,
            kind=TASK_KINDS["stretch_assignment"],
            assignee_employee_id=hr_employees[0],
            subject_employee_id=participant.employee_id,
            title=title,
            due=await workflow.due_after(session, org_id, today, HR_TASK_DAYS),
        )
        session.add(StageTask(org_id=org_id, stage_id=stage.id, task_id=task_id))
    else:
        await notifications.notify(
            session,
            org_id=org_id,
            user_ids=hr_users,
            kind="program.stretch_assignment_refused",
            title=title,
            body=_("Free a place on the stretch assignment, or change the program's template."),
            subject_type="program_participant",
            subject_id=participant.id,
            dedupe_key=f"program:stretch-refused:{stage.id}:{clock.now().isoformat()}",
        )
    await session.flush()
    audit.record(
        session,
        None,
        "program_stage.stretch_refused",
        "program_participant",
        participant.id,
        org_id=org_id,
        after={
            "stage": stage.key,
            "reason": reason,
            "task_id": str(task_id) if task_id else None,
        },
    )


async def complete_on_outcome(
    session: AsyncSession, org_id: uuid.UUID, assignee_id: uuid.UUID, clock: Clock
) -> bool:
    """The stretch assignment's outcome is recorded: the stage waiting for it completes and
    the participant's next stage opens. A correction finds it completed; whether one did."""
    stage = await competency_queries.open_stretch_stage(session, org_id, assignee_id=assignee_id)
    if stage is None:
        return False
    await complete_stage(session, stage, clock, None)
    return True

"""A stage's life: opened with its work, completed when its last task is done, then the
participant's next stage opens.

A stage's work is tasks through the tasks engine (training, submission, assignment: the
candidate; evaluation, decision: the supervisor; review: the rater tasks of a one-person 360
cycle from reviews). A stretch-assignment stage has no task of its own: opening it queues
the worker's assigning (`stretch_stages`), and HR's task when that is refused queues it
again once done. Nor has a training stage that names courses: opening it queues the
worker's check of the participant's courses (`training_stages`). The tasks engine calls
back here in the completing transaction: the submission validator and completion listener
are registered when this module is imported (the router, the jobs and `api` import it,
directly or through `start`). A review stage
whose raters stay silent is closed by an hourly cron after a grace period."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, outbox
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.programs import repository
from hrcore.programs.models import ParticipantStage, ProgramParticipant, ProgramRun, StageTask
from hrcore.programs.schemas import StageIn, SubmissionRule
from hrcore.reviews import api as reviews
from hrcore.settings import Settings
from hrcore.webhooks import api as webhooks
from hrcore.workflow import api as workflow
from hrcore.workflow.api import Submission, TaskInfo

SUBJECT = "program_stage"
TASK_KINDS = {
    kind: f"program.{kind}"
    for kind in ("training", "submission", "assignment", "evaluation", "decision")
} | {"stretch_assignment": "program.stretch_assignment"}
"""Per stage kind, its task's kind; a stretch-assignment stage's task is HR's, when the
participant could not be put on the assignment."""
SUPERVISOR_KINDS = ("evaluation", "decision")
STRETCH_JOB = "programs.assign_stretch_stage"
TRAINING_JOB = "programs.check_training_stage"


def queue_stretch_assigning(session: AsyncSession, stage: ParticipantStage) -> None:
    """The worker puts the participant on the stage's stretch assignment (`stretch_stages`)."""
    outbox.enqueue(session, STRETCH_JOB, {"stage_id": str(stage.id)}, org_id=stage.org_id)


async def open_stages(
    session: AsyncSession,
    actor: Principal | None,
    run: ProgramRun,
    openings: Sequence[tuple[ProgramParticipant, ParticipantStage]],
    clock: Clock,
) -> None:
    """Open one stage for each of these participants and create its work for the right
    people. A run starts thousands at once: task stages take a fixed number of statements
    together; a review stage opens its own cycle."""
    now = clock.now()
    names = await people.employee_summaries(
        session, run.org_id, [participant.employee_id for participant, _ in openings]
    )
    supervised = [p.employee_id for p, stage in openings if stage.kind in SUPERVISOR_KINDS]
    managers = await people.managers_of(session, run.org_id, supervised) if supervised else {}
    task_ids: dict[uuid.UUID, list[uuid.UUID]] = {}
    new_tasks: list[tuple[ParticipantStage, workflow.NewTask]] = []
    for participant, stage in openings:
        stage.status, stage.opened_at = "open", now
        participant.current_position = stage.position
        config = StageIn.model_validate(stage.config)
        name = names[participant.employee_id].ref.name
        if config.review_template_id is not None:
            task_ids[stage.id] = await _open_review_stage(
                session, actor, run, participant, stage, config.review_template_id, name, clock
            )
            continue
        task_ids[stage.id] = []
        if stage.kind == "stretch_assignment":
            queue_stretch_assigning(session, stage)
            continue
        if config.course_ids:
            # Courses done before the stage opened count: the worker checks them now.
            outbox.enqueue(session, TRAINING_JOB, {"stage_id": str(stage.id)}, org_id=run.org_id)
            continue
        assignee = (
            managers.get(participant.employee_id)
            if stage.kind in SUPERVISOR_KINDS
            else participant.employee_id
        )
        if assignee is not None:
            new_tasks.append(
                (stage, _stage_task(run, stage, config, assignee, participant.employee_id, name))
            )
    created = await workflow.create_tasks(
        session, org_id=run.org_id, tasks=[new for _, new in new_tasks], actor=actor
    )
    for (stage, _task), task_id in zip(new_tasks, created, strict=True):
        task_ids[stage.id] = [task_id]
    session.add_all(
        [
            StageTask(org_id=run.org_id, stage_id=stage_id, task_id=task_id)
            for stage_id, ids in task_ids.items()
            for task_id in ids
        ]
    )
    await session.flush()
    await audit.record_many(
        session,
        actor,
        "program_stage.opened",
        "program_participant",
        [
            (participant.id, {"stage": stage.key, "tasks": [str(t) for t in task_ids[stage.id]]})
            for participant, stage in openings
        ],
        org_id=run.org_id,
    )


def _stage_task(
    run: ProgramRun,
    stage: ParticipantStage,
    config: StageIn,
    assignee: uuid.UUID,
    participant: uuid.UUID,
    name: str,
) -> workflow.NewTask:
    """The task of a stage done by one person: the participant, or their supervisor (whose
    title names the participant)."""
    title = (
        _("{program}: {stage} — {employee}", program=run.name, stage=stage.name, employee=name)
        if stage.kind in SUPERVISOR_KINDS
        else _("{program}: {stage}", program=run.name, stage=stage.name)
    )
    return workflow.NewTask(
        subject_type=SUBJECT,
        subject_id=stage.id,
        kind=TASK_KINDS[stage.kind],
        assignee_employee_id=assignee,
        title=title,
        due=stage.due_on,
        reminder_policy=config.reminder_policy,
        escalation_policy=config.escalation_policy,
        submission_required=config.submission is not None or stage.kind == "evaluation",
        submission_rule=_requirement(config.submission),
        subject_employee_id=participant,
        completion_params=(
            {"run_id": str(run.id), "participant_id": str(stage.participant_id)}
            if stage.kind == "decision"
            else None
        ),
    )


def _requirement(rule: SubmissionRule | None) -> workflow.Requirement | None:
    """A stage's submission rule as the task keeps and checks it."""
    if rule is None:
        return None
    return workflow.Requirement(
        required=True,
        min_text_length=rule.min_text_length,
        min_links=rule.min_links,
        min_attachments=rule.min_attachments,
    )


async def _open_review_stage(
    session: AsyncSession,
    actor: Principal | None,
    run: ProgramRun,
    participant: ProgramParticipant,
    stage: ParticipantStage,
    template_id: uuid.UUID,
    name: str,
    clock: Clock,
) -> list[uuid.UUID]:
    """A 360 or supervisor-evaluation stage: its own review cycle; returns the raters' tasks."""
    cycle_id = await reviews.start_cycle(
        session,
        org_id=run.org_id,
        template_id=template_id,
        name=f"{run.name}: {stage.name} — {name}"[:200],
        kind="program_stage",
        starts_on=stage.starts_on,
        due_on=stage.due_on,
        employee_ids=[participant.employee_id],
        clock=clock,
        actor=actor,
        relationships=("supervisor",) if stage.kind == "evaluation" else None,
    )
    stage.review_cycle_id = cycle_id
    return await reviews.cycle_task_ids(session, run.org_id, cycle_id)


async def complete_stage(
    session: AsyncSession, stage: ParticipantStage, clock: Clock, actor: Principal | None
) -> None:
    """Close the stage, then open the participant's next one or finish the participant."""
    now = clock.now()
    stage.status, stage.completed_at, stage.on_time = "completed", now, now <= stage.due_at
    if stage.review_cycle_id is not None:
        await reviews.close_by_id(session, stage.org_id, stage.review_cycle_id, clock, actor=actor)
    run = await repository.run_by_id(session, stage.org_id, stage.run_id)
    participant = await repository.participant_by_id(
        session, stage.org_id, stage.run_id, stage.participant_id, for_update=True
    )
    assert run is not None
    assert participant is not None
    audit.record(
        session,
        actor,
        "program_stage.completed",
        "program_participant",
        participant.id,
        org_id=stage.org_id,
        after={"stage": stage.key, "on_time": stage.on_time},
    )
    await webhooks.publish(
        session,
        org_id=stage.org_id,
        event_type=webhooks.EventType.PROGRAM_STAGE_COMPLETED,
        payload={
            "run_id": str(run.id),
            "participant_id": str(participant.id),
            "employee_id": str(participant.employee_id),
            "stage": stage.key,
            "on_time": stage.on_time,
            "completed_at": now.isoformat(),
        },
        event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"hrcore:program-stage:{stage.id}:completed"),
    )
    stages = await repository.stages_of(session, stage.org_id, participant.id)
    following = [s for s in stages if s.position > stage.position and s.status == "pending"]
    if following:
        await open_stages(session, actor, run, [(participant, following[0])], clock)
        return
    participant.status, participant.current_position, participant.ended_at = "completed", None, now
    await session.flush()


async def check_completion(
    session: AsyncSession, task: TaskInfo, submission: Submission | None
) -> None:
    """A program task completes only in its participant's open stage, in order (409);
    decisions go through their endpoint. The stage's submission rule is on the task, which
    workflow checks."""
    stage = await repository.stage_of_task(session, task.org_id, task.id)
    if stage is None:
        return
    if stage.status == "pending":
        raise Conflict(_("An earlier stage of this program is not completed yet"))
    if stage.status != "open":
        raise Conflict(_("This program stage is {status}", status=label(stage.status)))
    if stage.kind == "decision" and stage.decision is None:
        raise Unprocessable(
            _(
                "Record the decision: POST {path}",
                path=f"/programs/{stage.run_id}/participants/{stage.participant_id}/decision",
            ),
            errors=[FieldError(field="task", message=_("completed by recording the decision"))],
        )


async def on_task_completed(session: AsyncSession, task: TaskInfo, clock: Clock) -> None:
    """When a stage's last task is done, the stage completes and the next one opens."""
    stage = await repository.stage_of_task(session, task.org_id, task.id)
    if stage is None or stage.status != "open":
        return
    await repository.mark_task_done(session, task.org_id, task.id)
    if stage.kind == "stretch_assignment":
        # HR saw to why the participant could not be put on the assignment: try again; the
        # stage itself completes with the assignment's outcome.
        queue_stretch_assigning(session, stage)
        return
    if await repository.open_task_ids(session, task.org_id, stage.id):
        return
    await complete_stage(session, stage, clock, None)


async def close_overdue_reviewed_stages(
    sessionmaker: SessionMaker, clock: Clock, settings: Settings
) -> int:
    """The hourly cron: a review or evaluation stage whose raters have not all answered
    `program_review_grace_days` after its window closes ends with the answers it has — the
    cycle closes (unanswered rater tasks withdrawn, results aggregated), the stage completes
    late and the participant moves on, so one silent rater never stalls a program."""
    cutoff = clock.now() - timedelta(days=settings.program_review_grace_days)

    async def close_overdue(session: AsyncSession, org_id: uuid.UUID) -> int:
        stages = await repository.overdue_reviewed_stages(session, org_id, cutoff)
        for stage in stages:
            await complete_stage(session, stage, clock, None)
        return len(stages)

    return await identity.for_each_organization(
        sessionmaker, close_overdue, label="closing overdue review stages"
    )

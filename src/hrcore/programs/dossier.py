"""A participant's dossier: every stage in order with its tasks, submissions, 360 result
and decision, as the caller may see it, their competency profile at the run's start and
now against the model of the pool's target position, the stretch assignments they were on
during the run, their current development plan and their mentoring (as mentee or mentor)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.core.schemas import Ref
from hrcore.mentoring import api as mentoring
from hrcore.org import api as org
from hrcore.programs import access, participants, repository
from hrcore.programs.models import ParticipantStage, ProgramParticipant, ProgramRun
from hrcore.programs.schemas import (
    DecisionRecord,
    Dossier,
    DossierCompetencies,
    DossierMentorship,
    DossierPlan,
    DossierStage,
    DossierStretch,
)
from hrcore.programs.stages import SUBJECT, SUPERVISOR_KINDS, TASK_KINDS
from hrcore.reviews import api as reviews
from hrcore.talent import api as talent
from hrcore.workflow import api as workflow


def _decision(stage: ParticipantStage, full: bool) -> DecisionRecord | None:
    if stage.decision is None:
        return None
    return DecisionRecord(
        outcome=stage.decision["outcome"],
        reason=stage.decision["reason"] if full else None,
        readiness=stage.decision["readiness"],
        decided_at=datetime.fromisoformat(stage.decision["decided_at"]),
    )


async def _competency_profile(
    session: AsyncSession, run: ProgramRun, participant: ProgramParticipant
) -> DossierCompetencies:
    """Before → after per competency: the profile snapshot at or before the run's start and
    the newest one, with the requirement of the target position's model (the variant of the
    participant's department at the start). At most five statements."""
    position_id = await talent.pool_target_position(session, run.org_id, run.pool_id)
    target = (position_id, participant.department_id) if position_id else None
    change = await competencies.profile_change(
        session, run.org_id, participant.employee_id, run.started_at, target
    )
    position = (
        (await org.position_refs(session, run.org_id, [position_id])).get(position_id)
        if position_id
        else None
    )
    return DossierCompetencies.model_validate(
        {
            "started_at": run.started_at,
            "before_computed_at": change.before_computed_at,
            "after_computed_at": change.after_computed_at,
            "position": position,
            "model_version": change.model_version,
            "competencies": [
                {
                    "competency_id": line.competency_id,
                    "competency": {"id": line.competency_id, "name": line.name},
                    "before": line.before,
                    "after": line.after,
                    "required_level": line.required_level,
                    "required": line.required,
                    "met": line.met,
                }
                for line in change.lines
            ],
        }
    )


async def _stretch_assignments(
    session: AsyncSession, run: ProgramRun, participant: ProgramParticipant
) -> list[DossierStretch]:
    """The stretch assignments whose window reaches into the run, with their outcomes as
    competencies keeps them; three statements however many."""
    records = await competencies.stretch_record(
        session, run.org_id, participant.employee_id, run.starts_on
    )
    departments = await org.department_refs(
        session, run.org_id, list({record.department_id for record in records})
    )
    return [
        DossierStretch.model_validate(
            asdict(record) | {"department": departments[record.department_id]}
        )
        for record in records
    ]


async def _development_plan(
    session: AsyncSession, run: ProgramRun, participant: ProgramParticipant
) -> DossierPlan | None:
    """The current plan with its goals (target against the profile now) and actions."""
    plan = await competencies.current_plan_progress(session, run.org_id, participant.employee_id)
    return DossierPlan.model_validate(asdict(plan)) if plan is not None else None


async def dossier(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    clock: Clock,
) -> Dossier:
    """Every stage in order with its tasks, submissions, 360 result and decision, the
    competency profile then and now, the stretch assignments, the development plan and
    the pairings the participant is in.
    Closed to integration keys, as every read of programs is (no scope names them)."""
    principal.require_key_scope(None)
    run, participant, _ = await access.participant_in_reach(
        session, principal, run_id, participant_id
    )
    note_read(principal, participant.employee_id, DataClass.EVALUATION, "program_dossier")
    full = access.reads_full_dossier(principal, participant.employee_id)
    stages = await repository.stages_for_dossier(session, run.org_id, participant.id)
    tasks = await workflow.tasks_of_subjects(
        session,
        org_id=run.org_id,
        subject_type=SUBJECT,
        subject_ids=[s.id for s in stages],
        now=clock.now(),
    )
    by_stage: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for task in tasks:
        hidden = not full and task.kind in (TASK_KINDS[k] for k in SUPERVISOR_KINDS)
        by_stage[task.subject.id].append(
            task.model_copy(update={"submission": None}) if hidden else task
        )
    [participant_view] = await participants.participant_views(session, run.org_id, [participant])
    return Dossier(
        run=Ref(id=run.id, name=run.name),
        participant=participant_view,
        template_revision=run.template_revision,
        stages=[
            DossierStage(
                key=stage.key,
                name=stage.name,
                kind=stage.kind,
                starts_on=stage.starts_on,
                due_on=stage.due_on,
                status=stage.status,
                completed_at=stage.completed_at,
                on_time=stage.on_time,
                tasks=by_stage[stage.id],
                review_result=await reviews.result_in_cycle(
                    session,
                    principal,
                    stage.review_cycle_id,
                    participant.employee_id,
                )
                if stage.review_cycle_id
                else None,
                decision=_decision(stage, full),
                stretch_problem=stage.stretch_problem,
            )
            for stage in stages
        ],
        competency_profile=await _competency_profile(session, run, participant),
        stretch_assignments=await _stretch_assignments(session, run, participant),
        development_plan=await _development_plan(session, run, participant),
        mentoring=[
            DossierMentorship.model_validate(asdict(record))
            for record in await mentoring.mentoring_record(
                session, run.org_id, participant.employee_id
            )
        ],
    )

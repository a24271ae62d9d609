"""A participant's dossier: every stage in order with its tasks, submissions, 360 result
and decision, as the caller may see it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.schemas import Ref
from hrcore.programs import access, participants, repository
from hrcore.programs.models import ParticipantStage
from hrcore.programs.schemas import DecisionRecord, Dossier, DossierStage
from hrcore.programs.stages import SUBJECT, SUPERVISOR_KINDS, TASK_KINDS
from hrcore.reviews import api as reviews
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


async def dossier(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    clock: Clock,
) -> Dossier:
    """Every stage in order with its tasks, submissions, 360 result and decision. Closed to
    integration keys, as every read of programs is (no scope names them)."""
    principal.require_key_scope(None)
    run, participant, _ = await access.participant_in_reach(
        session, principal, run_id, participant_id
    )
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
            )
            for stage in stages
        ],
    )

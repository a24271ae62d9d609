"""The decision stage: its outcome is recorded on the stage and applied to the pool
membership through talent."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _
from hrcore.programs import access, repository
from hrcore.programs.models import ProgramParticipant
from hrcore.programs.schemas import DecisionIn
from hrcore.programs.stages import complete_stage
from hrcore.talent import api as talent
from hrcore.talent.api import Readiness
from hrcore.webhooks import api as webhooks
from hrcore.workflow import api as workflow


async def decide(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    body: DecisionIn,
    clock: Clock,
) -> ProgramParticipant:
    """Record the decision stage's outcome and apply it to the pool membership."""
    run, participant, employee = await access.participant_in_reach(
        session, principal, run_id, participant_id, for_update=True
    )
    await access.require_decider(session, principal, employee)
    stages = await repository.stages_of(session, run.org_id, participant.id)
    stage = next((s for s in stages if s.status == "open"), None)
    if stage is None or stage.kind != "decision":
        raise Conflict(_("The participant has not reached a decision stage"))
    readiness = body.readiness
    if readiness is None and body.outcome == "appoint_when_open":
        readiness = Readiness.READY_NOW
    stage.decision = {
        "outcome": body.outcome,
        "reason": body.reason,
        "readiness": readiness.value if readiness else None,
        "decided_at": clock.now().isoformat(),
        "decided_by": str(principal.id),
    }
    participant.outcome = body.outcome
    await session.flush()
    task_ids = await repository.open_task_ids(session, run.org_id, stage.id)
    for task_id in task_ids:
        await workflow.complete_task(
            session, org_id=run.org_id, task_id=task_id, clock=clock, actor=principal
        )
    if not task_ids:
        await complete_stage(session, stage, clock, principal)
    await talent.record_program_outcome(
        session,
        principal,
        pool_id=run.pool_id,
        employee_id=participant.employee_id,
        readiness=readiness,
        remove=body.outcome == "remove",
        reason=body.reason,
        clock=clock,
    )
    audit.record(
        session,
        principal,
        "program_participant.decided",
        "program_participant",
        participant.id,
        org_id=run.org_id,
        after={k: v for k, v in stage.decision.items() if k != "decided_by"},
    )
    await webhooks.publish(
        session,
        org_id=run.org_id,
        event_type=webhooks.EventType.PROGRAM_PARTICIPANT_DECIDED,
        payload={
            "run_id": str(run.id),
            "participant_id": str(participant.id),
            "employee_id": str(participant.employee_id),
            "outcome": body.outcome,
            "readiness": stage.decision["readiness"],
        },
    )
    await session.flush()
    return participant

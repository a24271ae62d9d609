"""Withdrawal: leaving the company or removal from the pool ends the participations under
way and cancels their open work (jobs subscribed, at this module's import, to people's and
talent's events)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, events
from hrcore.core.clock import Clock
from hrcore.programs import repository
from hrcore.programs.models import ParticipantStage, ProgramParticipant
from hrcore.reviews import api as reviews
from hrcore.workflow import api as workflow

LEAVER_JOB = "programs.withdraw_leaver"
REMOVED_JOB = "programs.withdraw_removed_member"
PARTICIPANT_WITHDRAWN = "program_participant.withdrawn"
"""Emitted when participations end early, with their `participant_ids`."""


def mark_withdrawn(participant: ProgramParticipant, reason: str, clock: Clock) -> None:
    participant.status, participant.withdrawn_reason = "withdrawn", reason
    participant.current_position, participant.ended_at = None, clock.now()


async def _cancel_stage(session: AsyncSession, stage: ParticipantStage, clock: Clock) -> None:
    if stage.status == "open" and stage.review_cycle_id is not None:
        await reviews.close_by_id(session, stage.org_id, stage.review_cycle_id, clock)
    elif stage.status == "open":
        task_ids = await repository.open_task_ids(session, stage.org_id, stage.id)
        await workflow.cancel_open_tasks(
            session, org_id=stage.org_id, task_ids=task_ids, clock=clock
        )
    stage.status = "cancelled"


async def withdraw(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    clock: Clock,
    *,
    reason: str,
    pool_id: uuid.UUID | None = None,
) -> int:
    """Withdraw an employee from the programs under way (of one pool's runs when given) and
    cancel their open tasks; idempotent."""
    participations = await repository.open_participations(session, org_id, employee_id, pool_id)
    unfinished = [p.id for p in participations]
    for stage in await repository.unfinished_stages(session, org_id, unfinished):
        await _cancel_stage(session, stage, clock)
    for participant in participations:
        before = participant.status
        mark_withdrawn(participant, reason, clock)
        audit.record(
            session,
            None,
            "program_participant.withdrawn",
            "program_participant",
            participant.id,
            org_id=org_id,
            before={"status": before},
            after={"status": "withdrawn", "reason": reason},
        )
    await session.flush()
    if participations:
        events.emit(
            session,
            PARTICIPANT_WITHDRAWN,
            {"participant_ids": [str(p.id) for p in participations]},
            org_id=org_id,
        )
    return len(participations)

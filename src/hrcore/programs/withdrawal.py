"""Withdrawal: leaving the company or removal from the pool ends the participations under
way and cancels their open work (jobs subscribed to people's and talent's events); an
appointment ends them as `graduated` (talent calls `graduate_appointee` through its hook, in
the appointment's transaction)."""

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
"""Emitted when participations end early (withdrawn, or graduated by an appointment), with
their `participant_ids`."""


def mark_withdrawn(participant: ProgramParticipant, reason: str, clock: Clock) -> None:
    participant.status, participant.withdrawn_reason = "withdrawn", reason
    participant.current_position, participant.ended_at = None, clock.now()


async def _cancel_stage(
    session: AsyncSession, stage: ParticipantStage, clock: Clock, reason: str
) -> None:
    if stage.status == "open" and stage.review_cycle_id is not None:
        await reviews.close_by_id(session, stage.org_id, stage.review_cycle_id, clock)
    elif stage.status == "open":
        task_ids = await repository.open_task_ids(session, stage.org_id, stage.id)
        await workflow.cancel_open_tasks(
            session, org_id=stage.org_id, task_ids=task_ids, clock=clock, reason=reason
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
    return await _end(session, org_id, employee_id, clock, reason=reason, pool_id=pool_id)


async def graduate_appointee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, clock: Clock, reason: str
) -> int:
    """An appointed employee's programs under way end as `graduated` (the development they
    served is done); their open stage work is cancelled with `reason`. Idempotent; returns
    how many ended."""
    return await _end(session, org_id, employee_id, clock, reason=reason, graduated=True)


async def _end(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    clock: Clock,
    *,
    reason: str,
    pool_id: uuid.UUID | None = None,
    graduated: bool = False,
) -> int:
    participations = await repository.open_participations(session, org_id, employee_id, pool_id)
    unfinished = [p.id for p in participations]
    for stage in await repository.unfinished_stages(session, org_id, unfinished):
        await _cancel_stage(session, stage, clock, reason)
    for participant in participations:
        before = participant.status
        mark_withdrawn(participant, reason, clock)
        if graduated:
            participant.status = "graduated"
        audit.record(
            session,
            None,
            f"program_participant.{participant.status}",
            "program_participant",
            participant.id,
            org_id=org_id,
            before={"status": before},
            after={"status": participant.status, "reason": reason},
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

"""Participations that end before their last stage, with their open work cancelled.

Leaving the company or removal from the pool withdraws the participant (jobs subscribed to
people's and talent's events: `PARTICIPANT_WITHDRAWN`). An appointment graduates them: the
development the program served is done (talent calls `graduate_appointee` through its hook,
in the appointment's transaction, as the appointing principal): `PARTICIPANT_GRADUATED` and
the `program.participant_graduated` webhook."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, events
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.programs import repository
from hrcore.programs.models import ParticipantStage, ProgramParticipant
from hrcore.reviews import api as reviews
from hrcore.webhooks import api as webhooks
from hrcore.workflow import api as workflow

LEAVER_JOB = "programs.withdraw_leaver"
REMOVED_JOB = "programs.withdraw_removed_member"
PARTICIPANT_WITHDRAWN = "program_participant.withdrawn"
"""Emitted when participations are withdrawn, with their `participant_ids`."""
PARTICIPANT_GRADUATED = "program_participant.graduated"
"""Emitted when an appointment graduates participations, with their `participant_ids`."""


def mark_withdrawn(participant: ProgramParticipant, reason: str, clock: Clock) -> None:
    participant.status, participant.ended_reason = "withdrawn", reason
    participant.current_position, participant.ended_at = None, clock.now()


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
    participations = await _end_work(session, org_id, employee_id, clock, None, reason, pool_id)
    before = {p.id: p.status for p in participations}
    for participant in participations:
        mark_withdrawn(participant, reason, clock)
    await _audit_and_announce(session, org_id, None, participations, before, PARTICIPANT_WITHDRAWN)
    return len(participations)


async def graduate_appointee(
    session: AsyncSession,
    actor: Principal,
    employee_id: uuid.UUID,
    clock: Clock,
    reason: str,
) -> int:
    """An appointed employee's programs under way end as `graduated` with the appointment's
    reason, audited as the appointing principal; their open stage work is cancelled.
    Idempotent; returns how many ended."""
    org_id = actor.org_id
    participations = await _end_work(session, org_id, employee_id, clock, actor, reason, None)
    before = {p.id: p.status for p in participations}
    now = clock.now()
    for participant in participations:
        participant.status, participant.ended_reason = "graduated", reason
        participant.current_position, participant.ended_at = None, now
    await _audit_and_announce(session, org_id, actor, participations, before, PARTICIPANT_GRADUATED)
    if not participations:
        return 0
    await webhooks.publish_many(
        session,
        org_id=org_id,
        event_type=webhooks.EventType.PROGRAM_PARTICIPANT_GRADUATED,
        events=(
            (
                {
                    "run_id": str(p.run_id),
                    "participant_id": str(p.id),
                    "employee_id": str(p.employee_id),
                    "cause": "appointment",
                    "graduated_at": now.isoformat(),
                },
                uuid.uuid5(uuid.NAMESPACE_URL, f"hrcore:program-participant:{p.id}:graduated"),
            )
            for p in participations
        ),
    )
    return len(participations)


async def _end_work(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    clock: Clock,
    actor: Principal | None,
    reason: str,
    pool_id: uuid.UUID | None,
) -> list[ProgramParticipant]:
    """The open participations, with their unfinished stages cancelled."""
    participations = await repository.open_participations(session, org_id, employee_id, pool_id)
    unfinished = [p.id for p in participations]
    for stage in await repository.unfinished_stages(session, org_id, unfinished):
        await _cancel_stage(session, stage, clock, actor, reason)
    return participations


async def _cancel_stage(
    session: AsyncSession,
    stage: ParticipantStage,
    clock: Clock,
    actor: Principal | None,
    reason: str,
) -> None:
    if stage.status == "open" and stage.review_cycle_id is not None:
        await reviews.close_by_id(session, stage.org_id, stage.review_cycle_id, clock, actor=actor)
    elif stage.status == "open":
        task_ids = await repository.open_task_ids(session, stage.org_id, stage.id)
        await workflow.cancel_open_tasks(
            session,
            org_id=stage.org_id,
            task_ids=task_ids,
            clock=clock,
            actor=actor,
            reason=reason,
        )
    stage.status = "cancelled"


async def _audit_and_announce(
    session: AsyncSession,
    org_id: uuid.UUID,
    actor: Principal | None,
    participations: Sequence[ProgramParticipant],
    before: dict[uuid.UUID, str],
    event: str,
) -> None:
    """Audit each participation's end and emit `event` for them all."""
    for participant in participations:
        audit.record(
            session,
            actor,
            f"program_participant.{participant.status}",
            "program_participant",
            participant.id,
            org_id=org_id,
            before={"status": before[participant.id]},
            after={"status": participant.status, "reason": participant.ended_reason},
        )
    await session.flush()
    if participations:
        events.emit(
            session,
            event,
            {"participant_ids": [str(p.id) for p in participations]},
            org_id=org_id,
        )

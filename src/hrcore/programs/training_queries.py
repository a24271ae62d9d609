"""Queries of the training stages (stages naming courses) that training's events ask
about: the open one by id, or an employee's open ones. No rules, no HTTP."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.programs.models import ParticipantStage, ProgramParticipant

_OPEN_TRAINING = select(ParticipantStage).where(
    ParticipantStage.org_id == bindparam("org_id"),
    ParticipantStage.kind == "training",
    ParticipantStage.status == "open",
    # `->>`: a stage without courses keeps `"course_ids": null`, which `->` would not see
    ParticipantStage.config["course_ids"].astext.is_not(None),
)
_BY_ID = _OPEN_TRAINING.where(ParticipantStage.id == bindparam("stage")).with_for_update()
_OF_EMPLOYEE = (
    _OPEN_TRAINING.join(
        ProgramParticipant,
        (ProgramParticipant.org_id == ParticipantStage.org_id)
        & (ProgramParticipant.id == ParticipantStage.participant_id),
    )
    .where(ProgramParticipant.employee_id == bindparam("employee"))
    .order_by(ParticipantStage.id)
    .with_for_update(of=ParticipantStage)
)


async def open_training_stage(
    session: AsyncSession, org_id: uuid.UUID, stage_id: uuid.UUID
) -> ParticipantStage | None:
    """The open training stage naming courses with this id, locked."""
    stage: ParticipantStage | None = await session.scalar(
        _BY_ID, {"org_id": org_id, "stage": stage_id}
    )
    return stage


async def open_training_stages_of(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[ParticipantStage]:
    """The employee's open training stages naming courses (one per running program at
    most), locked."""
    rows = await session.scalars(_OF_EMPLOYEE, {"org_id": org_id, "employee": employee_id})
    return list(rows)

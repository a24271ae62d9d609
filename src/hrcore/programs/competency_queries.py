"""Queries of the stages and runs the competencies domain's links ask about: the stage a
review cycle evaluates (its evidence kind), the stretch-assignment stage waiting for an
outcome, the runs a development plan's actions name. No rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among
from hrcore.programs.models import ParticipantStage, ProgramParticipant, ProgramRun


async def open_stretch_stage(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    stage_id: uuid.UUID | None = None,
    assignee_id: uuid.UUID | None = None,
) -> ParticipantStage | None:
    """The open stretch-assignment stage with this id, or waiting for this assignee's
    outcome (indexed), locked."""
    statement = select(ParticipantStage).where(
        ParticipantStage.org_id == org_id,
        ParticipantStage.kind == "stretch_assignment",
        ParticipantStage.status == "open",
    )
    if stage_id is not None:
        statement = statement.where(ParticipantStage.id == stage_id)
    if assignee_id is not None:
        statement = statement.where(ParticipantStage.stretch_assignee_id == assignee_id)
    return await session.scalar(statement.with_for_update())


async def evaluation_stage_of_cycle(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID
) -> ParticipantStage | None:
    """The supervisor-evaluation stage run through this review cycle, if it is one."""
    stage: ParticipantStage | None = await session.scalar(
        select(ParticipantStage).where(
            ParticipantStage.org_id == org_id,
            ParticipantStage.review_cycle_id == cycle_id,
            ParticipantStage.kind == "evaluation",
        )
    )
    return stage


async def runs_with_participation(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, run_ids: Sequence[uuid.UUID]
) -> list[Any]:
    """(run id, run name, the employee's participation status or None) of the organization's
    runs among `run_ids`; one query."""
    participant = and_(
        ProgramParticipant.run_id == ProgramRun.id,
        ProgramParticipant.org_id == ProgramRun.org_id,
        ProgramParticipant.employee_id == employee_id,
    )
    rows = await session.execute(
        select(ProgramRun.id, ProgramRun.name, ProgramParticipant.status)
        .outerjoin(ProgramParticipant, participant)
        .where(ProgramRun.org_id == org_id, among(ProgramRun.id, run_ids))
    )
    return list(rows.all())

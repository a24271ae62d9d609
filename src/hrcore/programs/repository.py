"""Queries of program templates, runs, participants and stages. Tenant tables are under RLS."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    Numeric,
    Select,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    func,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ClauseElement

from hrcore.core.db import among, fetch_compiled
from hrcore.programs.models import (
    DossierDocument,
    ParticipantStage,
    ProgramParticipant,
    ProgramRun,
    StageTask,
)

OPEN_PARTICIPANT = ("enrolled", "active")


def runs_query(org_id: uuid.UUID) -> Select[Any]:
    return select(ProgramRun).where(ProgramRun.org_id == org_id)


async def run_by_id(
    session: AsyncSession, org_id: uuid.UUID, run_id: uuid.UUID, *, for_update: bool = False
) -> ProgramRun | None:
    statement = select(ProgramRun).where(ProgramRun.org_id == org_id, ProgramRun.id == run_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def participant_counts(
    session: AsyncSession, org_id: uuid.UUID, run_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    rows = await session.execute(
        select(ProgramParticipant.run_id, func.count())
        .where(ProgramParticipant.org_id == org_id, ProgramParticipant.run_id.in_(run_ids))
        .group_by(ProgramParticipant.run_id)
    )
    return dict(rows.all())


def participants_query(
    org_id: uuid.UUID, run_id: uuid.UUID, employee_ids: Collection[uuid.UUID] | None
) -> Select[Any]:
    statement = select(ProgramParticipant).where(
        ProgramParticipant.org_id == org_id, ProgramParticipant.run_id == run_id
    )
    if employee_ids is not None:
        statement = statement.where(among(ProgramParticipant.employee_id, employee_ids))
    return statement


async def participants_of_run(
    session: AsyncSession, org_id: uuid.UUID, run_id: uuid.UUID
) -> list[ProgramParticipant]:
    statement = participants_query(org_id, run_id, None).order_by(ProgramParticipant.id)
    return list(await session.scalars(statement.with_for_update()))


async def participant_by_id(
    session: AsyncSession,
    org_id: uuid.UUID,
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> ProgramParticipant | None:
    statement = select(ProgramParticipant).where(
        ProgramParticipant.org_id == org_id,
        ProgramParticipant.run_id == run_id,
        ProgramParticipant.id == participant_id,
    )
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def open_participations(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    pool_id: uuid.UUID | None,
) -> list[ProgramParticipant]:
    """An employee's participations still under way (of runs on `pool_id` when given)."""
    statement = select(ProgramParticipant).where(
        ProgramParticipant.org_id == org_id,
        ProgramParticipant.employee_id == employee_id,
        ProgramParticipant.status.in_(OPEN_PARTICIPANT),
    )
    if pool_id is not None:
        statement = statement.join(ProgramRun, ProgramRun.id == ProgramParticipant.run_id).where(
            ProgramRun.pool_id == pool_id
        )
    return list(await session.scalars(statement.with_for_update(of=ProgramParticipant)))


async def unfinished_stages(
    session: AsyncSession, org_id: uuid.UUID, participant_ids: Sequence[uuid.UUID]
) -> list[ParticipantStage]:
    """The pending and open stages of these participants, locked, in one query."""
    if not participant_ids:
        return []
    statement = (
        select(ParticipantStage)
        .where(
            ParticipantStage.org_id == org_id,
            ParticipantStage.participant_id.in_(list(participant_ids)),
            ParticipantStage.status.in_(("pending", "open")),
        )
        .order_by(ParticipantStage.participant_id, ParticipantStage.position)
        .with_for_update()
    )
    return list(await session.scalars(statement))


async def stages_of(
    session: AsyncSession, org_id: uuid.UUID, participant_id: uuid.UUID
) -> list[ParticipantStage]:
    return list(
        await session.scalars(
            select(ParticipantStage)
            .where(
                ParticipantStage.org_id == org_id,
                ParticipantStage.participant_id == participant_id,
            )
            .order_by(ParticipantStage.position)
            .with_for_update()
        )
    )


async def current_stage_keys(
    session: AsyncSession, org_id: uuid.UUID, participants: Sequence[ProgramParticipant]
) -> dict[uuid.UUID, str]:
    """Each participant's open stage key, in one query."""
    ids = [p.id for p in participants if p.current_position is not None]
    if not ids:
        return {}
    rows = await session.execute(
        select(ParticipantStage.participant_id, ParticipantStage.key).where(
            ParticipantStage.org_id == org_id,
            ParticipantStage.participant_id.in_(ids),
            ParticipantStage.status == "open",
        )
    )
    return dict(rows.all())


async def stage_of_task(
    session: AsyncSession, org_id: uuid.UUID, task_id: uuid.UUID
) -> ParticipantStage | None:
    return await session.scalar(
        select(ParticipantStage)
        .join(StageTask, StageTask.stage_id == ParticipantStage.id)
        .where(StageTask.org_id == org_id, StageTask.task_id == task_id)
        .with_for_update(of=ParticipantStage)
    )


async def open_task_ids(
    session: AsyncSession, org_id: uuid.UUID, stage_id: uuid.UUID
) -> list[uuid.UUID]:
    """The stage's tasks not completed yet."""
    rows = await session.scalars(
        select(StageTask.task_id).where(
            StageTask.org_id == org_id, StageTask.stage_id == stage_id, StageTask.done.is_(False)
        )
    )
    return list(rows)


async def mark_task_done(session: AsyncSession, org_id: uuid.UUID, task_id: uuid.UUID) -> None:
    await session.execute(
        update(StageTask)
        .where(StageTask.org_id == org_id, StageTask.task_id == task_id)
        .values(done=True)
        .execution_options(synchronize_session=False)
    )


def _rate(numerator: Any, denominator: Any) -> Any:
    """The ratio to 4 places as a double: the response's number, with nothing left to convert."""
    ratio = cast(numerator, Numeric) / denominator
    return case((denominator > 0, cast(func.round(ratio, 4), Float)), else_=None)


async def progress_rows(
    session: AsyncSession,
    org_id: uuid.UUID,
    run_id: uuid.UUID,
    now: datetime,
    employee_ids: Collection[uuid.UUID] | None,
) -> list[Any]:
    """Counts per stage key and department, with stage totals (GROUPING SETS), in one query.

    Withdrawn participants' stages are cancelled and left out. The counts are the last five
    columns, in the order `progress.py` reads them; each stage's total comes before its
    departments.
    """
    stage = ParticipantStage
    key = stage.key.collate("C")  # grouped and sorted bytewise: the order only needs to be fixed
    done = stage.status == "completed"
    late = and_(stage.status.in_(("pending", "open")), stage.due_at < now)
    participants = func.count()
    completed = func.count().filter(done)
    on_time = func.count().filter(and_(done, stage.on_time.is_(True)))
    statement = (
        select(
            key.label("key"),
            func.min(stage.name).label("name"),
            func.min(stage.kind).label("kind"),
            func.min(stage.position).label("position"),
            stage.department_id,
            participants.label("participants"),
            completed.label("completed"),
            _rate(completed, participants).label("completion_rate"),
            _rate(on_time, completed).label("on_time_rate"),
            func.count().filter(late).label("overdue"),
        )
        .where(stage.org_id == org_id, stage.run_id == run_id, stage.status != "cancelled")
        .group_by(func.grouping_sets(tuple_(key), tuple_(key, stage.department_id)))
        .order_by(key, stage.department_id.nulls_first())
    )
    if employee_ids is not None:
        statement = statement.join(
            ProgramParticipant, ProgramParticipant.id == stage.participant_id
        ).where(among(ProgramParticipant.employee_id, employee_ids))
    connection = await session.connection()  # Core rows: no ORM processing of thousands
    return list((await connection.execute(statement)).all())


async def late_rows(
    session: AsyncSession,
    org_id: uuid.UUID,
    run_id: uuid.UUID,
    now: datetime,
    employee_ids: Collection[uuid.UUID] | None,
) -> list[Any]:
    """Who is past a stage's due time without having completed it."""
    stage = ParticipantStage
    statement = (
        select(
            stage.key,
            stage.participant_id,
            stage.department_id,
            stage.due_on,
            stage.status,
            ProgramParticipant.employee_id,
        )
        .join(ProgramParticipant, ProgramParticipant.id == stage.participant_id)
        .where(
            stage.org_id == org_id,
            stage.run_id == run_id,
            stage.status.in_(("pending", "open")),
            stage.due_at < now,
        )
        .order_by(stage.position, stage.due_on, stage.participant_id)
    )
    if employee_ids is not None:
        statement = statement.where(among(ProgramParticipant.employee_id, employee_ids))
    connection = await session.connection()
    return list((await connection.execute(statement)).all())


async def superseded_dossier_documents(
    session: AsyncSession, org_id: uuid.UUID, made_before: datetime, limit: int
) -> list[DossierDocument]:
    """Documents made before `made_before` for which a newer one exists for the same
    participant and audience, oldest first."""
    newer = aliased(DossierDocument)
    statement = (
        select(DossierDocument)
        .where(
            DossierDocument.org_id == org_id,
            DossierDocument.created_at < made_before,
            select(newer.id)
            .where(
                newer.org_id == org_id,
                newer.participant_id == DossierDocument.participant_id,
                newer.audience == DossierDocument.audience,
                newer.created_at > DossierDocument.created_at,
            )
            .exists(),
        )
        .order_by(DossierDocument.created_at)
        .limit(limit)
    )
    return list(await session.scalars(statement))


async def stages_for_dossier(
    session: AsyncSession, org_id: uuid.UUID, participant_id: uuid.UUID
) -> list[ParticipantStage]:
    return list(
        await session.scalars(
            select(ParticipantStage)
            .where(
                ParticipantStage.org_id == org_id,
                ParticipantStage.participant_id == participant_id,
            )
            .order_by(ParticipantStage.position)
        )
    )


async def open_participation_ends(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> list[Any]:
    """(participant id, employee id, run id, run name, last stage's due day) of every open
    participation with laid-out stages; one query."""
    statement = (
        select(
            ProgramParticipant.id,
            ProgramParticipant.employee_id,
            ProgramRun.id,
            ProgramRun.name,
            func.max(ParticipantStage.due_on),
        )
        .join(ProgramRun, ProgramRun.id == ProgramParticipant.run_id)
        .join(ParticipantStage, ParticipantStage.participant_id == ProgramParticipant.id)
        .where(
            ProgramParticipant.org_id == org_id,
            among(ProgramParticipant.employee_id, employee_ids),
            ProgramParticipant.status.in_(OPEN_PARTICIPANT),
        )
        .group_by(ProgramParticipant.id, ProgramRun.id)
    )
    return list((await session.execute(statement)).all())


async def participations_of(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[Any]:
    """(run id, run name, status, current stage's name, run's start, end) of every
    participation of one employee, oldest run first; one query, compiled once (the profile
    reads it on every request)."""
    return await fetch_compiled(
        session,
        "programs.participations_of",
        _participations_statement,
        org_id=org_id,
        employee_id=employee_id,
    )


def _participations_statement() -> ClauseElement:
    return (
        select(
            ProgramRun.id,
            ProgramRun.name,
            ProgramParticipant.status,
            ParticipantStage.name,
            ProgramRun.starts_on,
            ProgramParticipant.ended_at,
        )
        .join(ProgramRun, ProgramRun.id == ProgramParticipant.run_id)
        .outerjoin(
            ParticipantStage,
            and_(
                ParticipantStage.participant_id == ProgramParticipant.id,
                ParticipantStage.position == ProgramParticipant.current_position,
            ),
        )
        .where(
            ProgramParticipant.org_id == bindparam("org_id", type_=Uuid()),
            ProgramParticipant.employee_id == bindparam("employee_id", type_=Uuid()),
        )
        .order_by(ProgramRun.starts_on, ProgramRun.id)
    )


async def latest_stage_counts(
    session: AsyncSession, org_id: uuid.UUID, pairs: Sequence[tuple[uuid.UUID, uuid.UUID]]
) -> list[Any]:
    """(employee id, pool id, run name, participant status, stages, completed stages) of each
    (employee, pool)'s most recently started participation in a run of that pool; one query."""
    statement = (
        select(
            ProgramParticipant.employee_id,
            ProgramRun.pool_id,
            ProgramRun.name,
            ProgramParticipant.status,
            func.count(ParticipantStage.id),
            func.count(ParticipantStage.id).filter(ParticipantStage.status == "completed"),
        )
        .ext(distinct_on(ProgramParticipant.employee_id, ProgramRun.pool_id))
        .join(ProgramRun, ProgramRun.id == ProgramParticipant.run_id)
        .join(ParticipantStage, ParticipantStage.participant_id == ProgramParticipant.id)
        .where(
            ProgramParticipant.org_id == org_id,
            tuple_(ProgramParticipant.employee_id, ProgramRun.pool_id).in_(pairs),
        )
        .group_by(ProgramParticipant.id, ProgramRun.id)
        .order_by(
            ProgramParticipant.employee_id,
            ProgramRun.pool_id,
            ProgramRun.started_at.desc(),
            ProgramRun.id.desc(),
        )
    )
    return list((await session.execute(statement)).all())


async def dossier_document(
    session: AsyncSession,
    org_id: uuid.UUID,
    participant_id: uuid.UUID,
    audience: str,
    fingerprint: str,
) -> DossierDocument | None:
    return await session.scalar(
        select(DossierDocument)
        .where(
            DossierDocument.org_id == org_id,
            DossierDocument.participant_id == participant_id,
            DossierDocument.audience == audience,
            DossierDocument.fingerprint == fingerprint,
        )
        .with_for_update()
    )


async def dossier_document_by_id(
    session: AsyncSession, org_id: uuid.UUID, document_id: uuid.UUID
) -> DossierDocument | None:
    return await session.scalar(
        select(DossierDocument)
        .where(DossierDocument.org_id == org_id, DossierDocument.id == document_id)
        .with_for_update()
    )


async def add_dossier_document(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert unless a concurrent request already did; True when this one inserted it."""
    inserted = await session.scalar(
        insert(DossierDocument)
        .values(values)
        .on_conflict_do_nothing()
        .returning(DossierDocument.id)
    )
    return inserted is not None


async def overdue_reviewed_stages(
    session: AsyncSession, org_id: uuid.UUID, due_before: datetime
) -> list[ParticipantStage]:
    """Open stages run through a review cycle whose window ended before `due_before`
    (locked, skipping any a concurrent run holds)."""
    rows = await session.scalars(
        select(ParticipantStage)
        .where(
            ParticipantStage.org_id == org_id,
            ParticipantStage.status == "open",
            ParticipantStage.review_cycle_id.is_not(None),
            ParticipantStage.due_at < due_before,
        )
        .order_by(ParticipantStage.id)
        .with_for_update(skip_locked=True)
    )
    return list(rows)

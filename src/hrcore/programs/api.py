"""What other domains may call of programs: events they subscribe to and named queries
returning plain data.

`latest_completion_in_pools` answers talent's vacancy ranking: talent does not import
programs, programs' registry hands it the query (`talent.ProgramCompletionProvider`);
`participations_of` answers people's profile the same way
(`people.ProgramParticipationProvider`), `development_actions` answers competencies'
development plans about the runs their actions name (`competencies.ProgramActionsProvider`),
and `graduate_appointee` ends an appointee's
programs for talent's appointment (`talent.AppointeeProgramsProvider`).

`program_completions` / `ProgramCompletion` — analytics' funnel: participations completed or
graduated, one statement for everyone or some people.
`first_graduations`: when each person first finished a program (analytics' retention).

Retention (privacy's purge): `dossier_documents_due` / `dossier_documents_due_count` /
`delete_dossier_documents` — generated dossier PDFs and their stored files."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.api import ProgramAction
from hrcore.core.schemas import Ref
from hrcore.people.api import ProgramParticipation
from hrcore.programs import competency_queries, repository
from hrcore.programs.graduates import first_graduations
from hrcore.programs.loop_queries import ProgramCompletion, program_completions
from hrcore.programs.retention import (
    delete_dossier_documents,
    dossier_documents_due,
    dossier_documents_due_count,
)
from hrcore.programs.stages import TASK_KINDS as _STAGE_KINDS
from hrcore.programs.start import RUN_STARTED
from hrcore.programs.withdrawal import (
    PARTICIPANT_GRADUATED,
    PARTICIPANT_WITHDRAWN,
    graduate_appointee,
)

STAGE_TASK_KINDS: tuple[str, ...] = tuple(sorted(_STAGE_KINDS.values()))
"""The task kinds of program stages (analytics' on-time rate of program stages)."""

__all__ = [
    "PARTICIPANT_GRADUATED",
    "PARTICIPANT_WITHDRAWN",
    "RUN_STARTED",
    "STAGE_TASK_KINDS",
    "ParticipationEnd",
    "ProgramCompletion",
    "StageCompletion",
    "active_participations_ending_after",
    "delete_dossier_documents",
    "development_actions",
    "dossier_documents_due",
    "dossier_documents_due_count",
    "first_graduations",
    "graduate_appointee",
    "latest_completion_in_pools",
    "participations_of",
    "program_completions",
]


@dataclass(frozen=True)
class ParticipationEnd:
    """An open participation and the day its last stage window ends."""

    participant_id: uuid.UUID
    run: Ref
    ends_on: date


async def active_participations_ending_after(
    session: AsyncSession, org_id: uuid.UUID, cutoffs: Mapping[uuid.UUID, date]
) -> dict[uuid.UUID, list[ParticipationEnd]]:
    """Per employee, the enrolled or active participations whose program ends after the
    employee's cutoff day (contracts: the contract's end). One query for all employees; a
    run not started yet has no stage windows, so no end to compare."""
    found: dict[uuid.UUID, list[ParticipationEnd]] = defaultdict(list)
    if not cutoffs:
        return found
    rows = await repository.open_participation_ends(session, org_id, list(cutoffs))
    for participant_id, employee_id, run_id, run_name, ends_on in rows:
        if ends_on > cutoffs[employee_id]:
            found[employee_id].append(
                ParticipationEnd(participant_id, Ref(id=run_id, name=run_name), ends_on)
            )
    for ends in found.values():
        ends.sort(key=lambda end: (end.ends_on, end.run.id))
    return dict(found)


@dataclass(frozen=True)
class StageCompletion:
    """How far an employee got in their latest started program of a pool."""

    run_name: str
    status: str
    stages: int
    completed_stages: int


async def latest_completion_in_pools(
    session: AsyncSession, org_id: uuid.UUID, pairs: Sequence[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], StageCompletion]:
    """For each (employee, pool), the stages of their most recently started participation in
    a run of that pool (talent ranks vacancy candidates by it); one query. Pairs without a
    started participation are absent."""
    if not pairs:
        return {}
    rows = await repository.latest_stage_counts(session, org_id, list(dict.fromkeys(pairs)))
    return {
        (employee_id, pool_id): StageCompletion(run_name, status, stages, completed)
        for employee_id, pool_id, run_name, status, stages, completed in rows
    }


async def participations_of(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[ProgramParticipation]:
    """The employee's participations for their profile, oldest run first; one query."""
    rows = await repository.participations_of(session, org_id, employee_id)
    return [
        ProgramParticipation(Ref(id=run_id, name=run_name), status, stage, starts_on, ended_at)
        for run_id, run_name, status, stage, starts_on, ended_at in rows
    ]


async def development_actions(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, run_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ProgramAction]:
    """The runs a development plan's actions name, with the employee's participation in each
    (None when not a participant); runs of other organizations are absent. One query."""
    rows = await competency_queries.runs_with_participation(session, org_id, employee_id, run_ids)
    return {
        run_id: ProgramAction(Ref(id=run_id, name=name), status) for run_id, name, status in rows
    }

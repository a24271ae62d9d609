"""A run's participants: enrolled from the run's talent pool before the start, listed
within the caller's reach."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.db import insert_new
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams, paginate
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.programs import access, repository
from hrcore.programs.models import ProgramParticipant
from hrcore.programs.schemas import ParticipantOut, ProgramParticipantsAdded, ProgramParticipantsIn
from hrcore.talent import api as talent


async def participant_views(
    session: AsyncSession, org_id: uuid.UUID, participants: Sequence[ProgramParticipant]
) -> list[ParticipantOut]:
    """Views of many participants in three queries (names, departments, open stages)."""
    names = await people.employee_summaries(session, org_id, [p.employee_id for p in participants])
    departments = await org.department_refs(
        session, org_id, [p.department_id for p in participants]
    )
    current = await repository.current_stage_keys(session, org_id, participants)
    return [
        ParticipantOut(
            id=p.id,
            run_id=p.run_id,
            employee=names[p.employee_id].ref,
            department_id=p.department_id,
            department=departments[p.department_id],
            status=p.status,
            current_stage=current.get(p.id),
            outcome=p.outcome,
            withdrawn_reason=p.ended_reason if p.status == "withdrawn" else None,
            ended_reason=p.ended_reason,
            ended_at=p.ended_at,
            version=p.version,
        )
        for p in participants
    ]


async def list_participants(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, page: PageParams
) -> tuple[list[ProgramParticipant], str | None]:
    access.require_reader(principal)
    run = await access.find_run(session, principal, run_id)
    visible = await people.visible_employee_ids(session, principal)
    statement = repository.participants_query(principal.org_id, run.id, visible)
    return await paginate(session, statement, [ProgramParticipant.id], page)


async def add_participants(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, body: ProgramParticipantsIn
) -> ProgramParticipantsAdded:
    """Enrol active members of the run's pool (before the start; repeats are ignored)."""
    require_hr_admin(principal)
    run = await access.find_run(session, principal, run_id, for_update=True)
    if run.status != "draft":
        raise Conflict(_("Participants are added before the program starts"))
    wanted = list(dict.fromkeys(body.employee_ids))
    found = await people.employee_summaries(session, principal.org_id, wanted)
    if any(employee_id not in found for employee_id in wanted):
        raise NotFound(_("No such employee"))
    members = await talent.active_member_ids(session, principal.org_id, run.pool_id, wanted)
    outsiders = [str(employee_id) for employee_id in wanted if employee_id not in members]
    if outsiders:
        raise Unprocessable(
            _("Participants must be active members of the program's talent pool"),
            errors=[FieldError(field="employee_ids", message=", ".join(outsiders[:20]))],
        )
    rows = [
        {
            "org_id": principal.org_id,
            "run_id": run.id,
            "employee_id": employee_id,
            "department_id": found[employee_id].department_id,
            "status": "enrolled",
            "version": 1,
        }
        for employee_id in wanted
    ]
    added = await insert_new(
        session,
        ProgramParticipant,
        rows,
        unique=["org_id", "run_id", "employee_id"],
        returning=[ProgramParticipant.employee_id],
    )
    if added:
        audit.record(
            session,
            principal,
            "program_run.participants_added",
            "program_run",
            run.id,
            org_id=principal.org_id,
            after={"employee_ids": [str(row[0]) for row in added]},
        )
    counts = await repository.participant_counts(session, principal.org_id, [run.id])
    return ProgramParticipantsAdded(added=len(added), participants=counts.get(run.id, 0))

"""Who may see and do what in programs.

HR admins write templates and runs (`require_hr_admin` from core); HR admins and department
heads read them. A participant is in reach of whoever sees the employee (themself, their
supervisor chain, department heads over them, HR); anyone else gets 404, as if the
participant did not exist. A decision is made by HR or the supervisor chain. The
participant reads a trimmed dossier (no supervisor evaluation text, no decision reason).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_or_dept_head
from hrcore.core.db import get_or_404
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import N_, _
from hrcore.people import api as people
from hrcore.programs import repository
from hrcore.programs.models import (
    PROGRAM_TEMPLATES,
    ProgramParticipant,
    ProgramRun,
    ProgramTemplate,
)


def require_reader(principal: Principal) -> None:
    """Templates, runs and progress are read by HR admins and department heads (403)."""
    require_hr_or_dept_head(principal, _("Only HR admins and department heads read programs"))


async def readable_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ProgramTemplate:
    require_reader(principal)
    return await PROGRAM_TEMPLATES.require(session, principal.org_id, template_id)


async def find_run(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, *, for_update: bool = False
) -> ProgramRun:
    """A run of the caller's organization, else 404; the caller checks the role first."""
    return await get_or_404(
        session, ProgramRun, principal.org_id, run_id, what=N_("program"), for_update=for_update
    )


async def participant_in_reach(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> tuple[ProgramRun, ProgramParticipant, people.EmployeeInfo]:
    """The run and participant, 404 unless the caller sees the participant (self, chain,
    department head, HR)."""
    run = await find_run(session, principal, run_id)
    participant = await repository.participant_by_id(
        session, principal.org_id, run.id, participant_id, for_update=for_update
    )
    if participant is None:
        raise NotFound(_("No such participant"))
    try:
        employee = await people.ensure_can_view(session, principal, participant.employee_id)
    except (NotFound, Forbidden):
        raise NotFound(_("No such participant")) from None
    return run, participant, employee


async def require_decider(
    session: AsyncSession, principal: Principal, employee: people.EmployeeInfo
) -> None:
    """HR or the participant's supervisor chain (department heads included); 403 for
    anyone else who sees the participant."""
    await people.ensure_can_manage(session, principal, employee.id)


def reads_full_dossier(principal: Principal, employee_id: uuid.UUID) -> bool:
    """Everyone in reach but the participant themself reads the whole dossier."""
    return principal.employee_id != employee_id

"""Who may see and do what in mentoring.

Programs: HR admins write and read all; anyone else reads the programs for the whole
organization, those of their own department or one above it (where they may apply), and a
department head those of their subtree; another program answers 404. Applications and
mentors: HR sees all, department heads those of the employees in their reach, employees
their own (404 outside). Pairings are `mentorship_access`'s. Integration keys see nothing of
mentoring (403).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.db import get_or_404
from hrcore.core.errors import NotFound
from hrcore.core.i18n import N_, _
from hrcore.core.i18n import Text as Message
from hrcore.mentoring.models import Mentor, MentorApplication, MentoringProgram
from hrcore.org import api as org
from hrcore.people import api as people


async def program_departments(
    session: AsyncSession, principal: Principal
) -> list[uuid.UUID] | None:
    """The departments whose programs the caller reads besides the organization's
    (`None`: every program)."""
    principal.require_key_scope(None)
    if principal.is_hr_admin:
        return None
    departments: list[uuid.UUID] = []
    if principal.employee_id is not None:
        own = await people.ensure_can_view(session, principal, principal.employee_id)
        paths = await org.department_paths(session, principal.org_id, [own.department_id])
        departments += [uuid.UUID(part) for part in paths[own.department_id].split("/") if part]
    if principal.is_dept_head and principal.department_scope is not None:
        departments += await org.subtree_ids(session, principal.org_id, principal.department_scope)
    return departments


async def readable_program(
    session: AsyncSession, principal: Principal, program_id: uuid.UUID, *, for_update: bool = False
) -> MentoringProgram:
    """A program the caller reads, else 404."""
    departments = await program_departments(session, principal)
    program = await get_or_404(
        session,
        MentoringProgram,
        principal.org_id,
        program_id,
        what=N_("mentoring program"),
        for_update=for_update,
    )
    if departments is not None and program.department_id not in (None, *departments):
        raise NotFound(_("No such {what}", what=Message(N_("mentoring program"))))
    return program


async def employee_reach(session: AsyncSession, principal: Principal) -> list[uuid.UUID] | None:
    """The employees whose applications and mentor records the caller sees (`None`: all)."""
    principal.require_key_scope(None)
    if principal.is_hr_admin or principal.is_dept_head:
        return await people.visible_employee_ids(session, principal)
    return [principal.employee_id] if principal.employee_id is not None else []


async def application_to_decide(
    session: AsyncSession, principal: Principal, application_id: uuid.UUID
) -> MentorApplication:
    """An application HR decides, locked; 403 for anyone but HR admins, 404 when unknown."""
    require_hr_admin(principal)
    return await get_or_404(
        session,
        MentorApplication,
        principal.org_id,
        application_id,
        what=N_("mentor application"),
        for_update=True,
    )


async def mentor_in_reach(
    session: AsyncSession, principal: Principal, mentor_id: uuid.UUID
) -> Mentor:
    reach = await employee_reach(session, principal)
    mentor = await get_or_404(session, Mentor, principal.org_id, mentor_id, what=N_("mentor"))
    if reach is not None and mentor.employee_id not in reach:
        raise NotFound(_("No such {what}", what=Message(N_("mentor"))))
    return mentor

"""Who may see and do what with stretch assignments. HR admins everywhere; a department
head in their subtree; a manager in their own department. Everyone reads the assignments
of their own department and the departments above it (what they could take on). Outside
that an assignment is 404, but to the people on it and their supervisors; integration keys
are refused (403)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import stretch_repository
from hrcore.competencies.models import StretchAssignment
from hrcore.core.authz import Principal
from hrcore.core.db import get_or_404
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import N_, Text, _
from hrcore.org import api as org
from hrcore.people import api as people

WHAT = N_("stretch assignment")


def not_found() -> NotFound:
    """The answer for an assignment outside the caller's reach: the same as for none."""
    return NotFound(_("No such {what}", what=Text(WHAT)))


def _path_ids(path: str) -> list[uuid.UUID]:
    return [uuid.UUID(part) for part in path.split("/") if part]


async def _own_department(session: AsyncSession, principal: Principal) -> uuid.UUID | None:
    if principal.employee_id is None:
        return None
    employee = await people.require_employee(session, principal.org_id, principal.employee_id)
    return employee.department_id


async def writable_departments(
    session: AsyncSession, principal: Principal
) -> set[uuid.UUID] | None:
    """The departments whose assignments the caller creates and edits (`None`: all)."""
    principal.require_key_scope(None)
    if principal.is_hr_admin:
        return None
    departments: set[uuid.UUID] = set()
    if principal.is_dept_head and principal.department_scope is not None:
        departments.update(
            await org.subtree_ids(session, principal.org_id, principal.department_scope)
        )
    own = await _own_department(session, principal)
    if own is not None and principal.employee_id is not None:
        team = (await people.teams_of(session, principal.org_id, [principal.employee_id])).get(
            principal.employee_id
        )
        if team is not None and team.reports:
            departments.add(own)
    return departments


async def readable_departments(
    session: AsyncSession, principal: Principal
) -> set[uuid.UUID] | None:
    """The departments whose assignments the caller reads (`None`: all): a department
    head's subtree, and the caller's own department with those above it."""
    principal.require_key_scope(None)
    if principal.is_hr_admin:
        return None
    departments: set[uuid.UUID] = set()
    if principal.is_dept_head and principal.department_scope is not None:
        departments.update(
            await org.subtree_ids(session, principal.org_id, principal.department_scope)
        )
    own = await _own_department(session, principal)
    if own is not None:
        paths = await org.department_paths(session, principal.org_id, [own])
        departments.update(_path_ids(paths.get(own, "")))
    return departments


async def require_writable_department(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID
) -> None:
    """A department named in a body: 422 when the organization has none such, 404 when it
    is outside what the caller reads, 403 when they read but may not edit it."""
    await org.require_department(session, principal.org_id, department_id)
    departments = await writable_departments(session, principal)
    if departments is not None and department_id not in departments:
        readable = await readable_departments(session, principal)
        if readable is not None and department_id not in readable:
            raise NotFound(_("No such department"))
        raise Forbidden(_("Only HR, the department's head or a manager in it may do this"))


async def readable_assignment(
    session: AsyncSession, principal: Principal, assignment_id: uuid.UUID
) -> StretchAssignment:
    """The assignment when the caller reads its department or is on it or supervises
    someone on it (a supervisor from another department records the outcome), else 404."""
    departments = await readable_departments(session, principal)
    assignment = await get_or_404(
        session, StretchAssignment, principal.org_id, assignment_id, what=WHAT
    )
    if departments is None or assignment.department_id in departments:
        return assignment
    if principal.employee_id is None or not await stretch_repository.involves(
        session, principal.org_id, assignment.id, principal.employee_id
    ):
        raise not_found()
    return assignment


async def writable_assignment(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    *,
    for_update: bool = True,
) -> StretchAssignment:
    """The assignment (locked for a write) when the caller edits its department; 404 when
    they do not even read it, 403 when they read but may not edit it."""
    departments = await writable_departments(session, principal)
    assignment = await get_or_404(
        session,
        StretchAssignment,
        principal.org_id,
        assignment_id,
        what=WHAT,
        for_update=for_update,
    )
    if departments is not None and assignment.department_id not in departments:
        readable = await readable_departments(session, principal)
        if readable is not None and assignment.department_id not in readable:
            raise not_found()
        raise Forbidden(_("Only HR, the department's head or a manager in it may do this"))
    return assignment

"""Who may see and do what with employees: the reach every domain asks about.

Every domain asks the same two questions — whom may this caller see, and whose work data may
they change — and must get the same answers: `visibility`, `visible_employee_ids`,
`ensure_can_view` and `ensure_can_manage` (`people.api` hands other domains plain data).
Users see themselves, their direct and indirect reports and (department heads) their
department subtree; HR admins everyone. Outside reach is 404; visible but not allowed is 403.
Employee records are changed by HR writers only.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope
from hrcore.core.db import get_or_404
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import N_, _
from hrcore.org import api as org
from hrcore.people import repository
from hrcore.people.models import Employee


def is_hr_writer(principal: Principal) -> bool:
    """HR admins, and integration keys HR gave `employees:write`."""
    return principal.is_hr_admin or principal.has_scope(Scope.EMPLOYEES_WRITE)


async def _reach(
    session: AsyncSession, principal: Principal, *, include_self: bool
) -> ColumnElement[bool]:
    """The employees a user reaches: reports (direct and indirect) and the department subtree."""
    viewer = (
        await repository.employee_by_id(session, principal.org_id, principal.employee_id)
        if principal.employee_id is not None
        else None
    )
    return repository.reach_condition(
        self_id=viewer.id if viewer and include_self else None,
        reports_prefix=viewer.reports_prefix if viewer else None,
        subtree=await _department_scope(session, principal),
    )


async def visibility(
    session: AsyncSession, principal: Principal, *, key_scope: Scope | None = None
) -> ColumnElement[bool] | None:
    """A condition on `employees` for the rows the caller may see; `None` means all of the org.

    Users see themselves, their direct and indirect reports, and (department heads) their
    department subtree; HR admins everyone. Integration keys see everyone for a read that
    names the scope it needs (`key_scope`) when they hold it, and are refused (403) otherwise:
    a read that names none is not open to keys.
    """
    if principal.kind == "api_key":
        principal.require_key_scope(key_scope)
        return None
    if principal.is_hr_admin:
        return None
    return await _reach(session, principal, include_self=True)


async def visible_employee_ids(
    session: AsyncSession, principal: Principal, *, key_scope: Scope | None = None
) -> list[uuid.UUID] | None:
    """The ids of the employees the caller may see (`None`: the whole organization), for
    another domain to filter its rows by (`core.db.among`). HR admins and keys cost nothing;
    a user's reach is one query after the viewer's. Integration keys need `key_scope` (see
    `visibility`)."""
    condition = await visibility(session, principal, key_scope=key_scope)
    if condition is None:
        return None
    return await repository.ids_where(session, principal.org_id, condition)


async def _department_scope(session: AsyncSession, principal: Principal) -> list[uuid.UUID] | None:
    if not principal.is_dept_head or principal.department_scope is None:
        return None
    return await org.subtree_ids(session, principal.org_id, principal.department_scope)


async def ensure_can_view(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    *,
    key_scope: Scope | None = None,
) -> Employee:
    """The employee, or 404 when outside the caller's reach (existence must not leak).
    Integration keys need `key_scope` (see `visibility`)."""
    if principal.kind == "api_key" or principal.is_hr_admin:
        principal.require_key_scope(key_scope)
        employee = await repository.employee_by_id(session, principal.org_id, employee_id)
    else:
        employee = await repository.employee_in_reach(
            session,
            principal.org_id,
            employee_id,
            viewer_id=principal.employee_id,
            subtree=await _department_scope(session, principal),
            include_self=True,
        )
    if employee is None:
        raise NotFound(_("No such employee"))
    return employee


async def ensure_can_manage(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> None:
    """Work-data writes (ratings, evaluations): HR, the department head over the employee's
    department, or a manager up the chain — never on oneself.

    403 when the caller may see the employee but not do this; 404 when they cannot see it.
    """
    if principal.employee_id == employee_id:
        raise Forbidden(_("Nobody may do this on themself"))
    if is_hr_writer(principal):
        return
    if principal.kind == "api_key":
        raise Forbidden(_("This integration key lacks the employees:write scope"))
    managed = await repository.employee_in_reach(
        session,
        principal.org_id,
        employee_id,
        viewer_id=principal.employee_id,
        subtree=await _department_scope(session, principal),
        include_self=False,
    )
    if managed is not None:
        return
    # Today everyone a user sees but themself is someone they manage; when visibility grows
    # (mentors, raters) this keeps 403 for the visible and 404 for the rest.
    await ensure_can_view(session, principal, employee_id)
    raise Forbidden(_("Only the employee's managers, department head or HR may do this"))


async def find_for_write(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> Employee:
    """For writes: HR writers find any employee of the org, others only within reach."""
    if not is_hr_writer(principal):
        return await ensure_can_view(session, principal, employee_id)
    return await get_or_404(session, Employee, principal.org_id, employee_id, what=N_("employee"))


async def find_for_hr_write(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> Employee:
    """404 outside reach first, then 403 for a visible employee the caller may not change."""
    employee = await find_for_write(session, principal, employee_id)
    require_hr_writer(principal)
    return employee


def require_hr_writer(principal: Principal) -> None:
    if not is_hr_writer(principal):
        raise Forbidden(_("Only an HR admin may change employee records"))

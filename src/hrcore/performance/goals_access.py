"""Who may read and write goals.

Writes: organization goals HR admins; a department's goals its head (a department-scoped
account whose subtree holds it) or HR; a person's goals the employee, their managers up the
chain, the department head over them and HR (people's `ensure_can_manage`). Integration keys
neither read nor write goals.

Reads: HR admins every goal; anyone else the goals of the departments they head, of the
employees they reach (themself, their reports, their department subtree), of the employees a
relation opens to them (people's `related_employee_ids`: a mentor's mentees while the pairing
runs; audited on every read) and every goal above those (the chain they align to). A goal
outside that is 404; one read but not writable is 403.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import N_, _
from hrcore.core.i18n import Text as Message
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.performance import goals_repository
from hrcore.performance.goals_models import Goal

GOAL = N_("goal")


def no_such_goal() -> NotFound:
    return NotFound(_("No such {what}", what=Message(GOAL)))


@dataclass(frozen=True)
class Reach:
    """The goals a caller reads: everything, or those of these departments and employees
    and the goals above them."""

    everything: bool
    department_ids: list[uuid.UUID]
    employee_ids: list[uuid.UUID]


async def reach(session: AsyncSession, principal: Principal) -> Reach:
    principal.require_key_scope(None)
    if principal.is_hr_admin:
        return Reach(True, [], [])
    employees = await people.visible_employee_ids(session, principal) or []
    departments = (
        await org.subtree_ids(session, principal.org_id, principal.department_scope)
        if principal.is_dept_head and principal.department_scope
        else []
    )
    related = await people.related_employee_ids(session, principal, people.PERFORMANCE_GOALS)
    opened = {e: relation for e, relation in related.items() if e not in set(employees)}
    people.record_reads(session, principal, people.PERFORMANCE_GOALS, opened)
    return Reach(False, departments, [*employees, *opened])


async def readable_goal(
    session: AsyncSession, principal: Principal, goal_id: uuid.UUID
) -> asyncpg.Record:
    """The goal's row with its key results for whoever reads it; 404 otherwise."""
    caller = await reach(session, principal)
    row = await goals_repository.goal_row(session, principal.org_id, goal_id)
    if row is None or not (
        caller.everything
        or await goals_repository.seen_from(
            session, principal.org_id, goal_id, caller.department_ids, caller.employee_ids
        )
    ):
        raise no_such_goal()
    return row


async def heads(session: AsyncSession, principal: Principal, department_id: uuid.UUID) -> bool:
    """Whether the caller heads this department (it is in their scope's subtree)."""
    scope = principal.department_scope
    if not principal.is_dept_head or scope is None:
        return False
    paths = await org.department_paths(session, principal.org_id, [department_id, scope])
    return department_id in paths and paths[department_id].startswith(paths[scope])


async def require_department_editor(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID
) -> None:
    if not (principal.is_hr_admin or await heads(session, principal, department_id)):
        raise Forbidden(_("Only the department's head or HR may set its goals"))


async def require_person_editor(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> people.EmployeeInfo:
    """The employee, for themself or who may manage them (404 outside reach, else 403)."""
    employee = await people.ensure_can_view(session, principal, employee_id)
    if principal.employee_id != employee_id:
        await people.ensure_can_manage(session, principal, employee_id)
    return employee


async def require_editor(session: AsyncSession, principal: Principal, goal: Goal) -> None:
    """Who may change this goal and its key results; 404 for a goal the caller does not
    read, 403 for one they read but may not change."""
    principal.require_key_scope(None)
    if principal.is_hr_admin:
        return
    if goal.employee_id is not None:
        await require_person_editor(session, principal, goal.employee_id)
        return
    if goal.department_id is not None and await heads(session, principal, goal.department_id):
        return
    await readable_goal(session, principal, goal.id)
    raise Forbidden(
        _("Only HR may change the organization's goals")
        if goal.department_id is None
        else _("Only the department's head or HR may set its goals")
    )

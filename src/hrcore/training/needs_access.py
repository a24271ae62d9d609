"""Who may analyse whose training needs, and the people an analysis covers: a department's
subtree for HR admins (any) and department heads (inside their scope), one person for
whoever may see them (HR, their managers and department head, themself)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_or_dept_head
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import api as people


@dataclass(frozen=True)
class Person:
    """Someone analysed, with the post their position's model is read for."""

    ref: Ref
    department: Ref
    position_id: uuid.UUID | None


async def department_people(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID
) -> tuple[Ref, list[Person]]:
    """The department and the active people of its subtree within the caller's reach. 403
    for callers who are neither HR admins nor department heads; 404 for an unknown
    department, another organization's, or one outside a department head's scope."""
    require_hr_or_dept_head(
        principal, _("Only HR admins and department heads analyse a department's needs")
    )
    department = await org.department_ref(session, principal.org_id, department_id)
    if department is None:
        raise NotFound(_("No such department"))
    if not principal.is_hr_admin:
        await _ensure_in_scope(session, principal, department_id)
    subtree = await org.subtree_ids(session, principal.org_id, department_id)
    reach = await people.visible_employee_ids(session, principal)
    posts = await people.active_posts_in(session, principal.org_id, subtree, reach)
    return department, [
        Person(post.ref, post.department, post.position.id if post.position else None)
        for post in posts
    ]


async def _ensure_in_scope(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID
) -> None:
    scope = principal.department_scope
    assert scope is not None, "a department head has a scope"
    paths = await org.department_paths(session, principal.org_id, [department_id, scope])
    if not paths.get(department_id, "").startswith(paths.get(scope, "\0")):
        raise NotFound(_("No such department"))


async def one_person(session: AsyncSession, principal: Principal, employee_id: uuid.UUID) -> Person:
    """The employee, for whoever may see them (404 otherwise, another organization's
    included)."""
    employee = await people.ensure_can_view(session, principal, employee_id)
    departments = await org.department_refs(session, principal.org_id, [employee.department_id])
    return Person(
        Ref(id=employee.id, name=employee.full_name),
        departments[employee.department_id],
        employee.position_id,
    )

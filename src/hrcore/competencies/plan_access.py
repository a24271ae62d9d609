"""Who may see and edit a development plan: whoever may see the employee reads it and
comments (themself, their managers, their department head, HR); the employee, their
managers up the chain, the department head over them and HR edit and submit it. Anyone
else — another organization included — gets 404."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import plan_repository
from hrcore.competencies.models import DevelopmentPlan
from hrcore.core.authz import Principal
from hrcore.core.errors import NotFound
from hrcore.core.i18n import N_, _
from hrcore.core.i18n import Text as Message
from hrcore.people import api as people

PLAN = N_("development plan")


def no_such_plan() -> NotFound:
    return NotFound(_("No such {what}", what=Message(PLAN)))


async def readable_plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, *, for_update: bool = False
) -> tuple[DevelopmentPlan, people.EmployeeInfo]:
    """The plan and its employee for whoever may see the employee, or reads their plan
    through a relation (a mentor of a running pairing: audited by people); 404 otherwise."""
    plan = await plan_repository.plan_by_id(
        session, principal.org_id, plan_id, for_update=for_update
    )
    if plan is None:
        raise no_such_plan()
    try:
        employee = await people.ensure_can_view_for(
            session, principal, plan.employee_id, people.DEVELOPMENT_PLAN
        )
    except NotFound as exc:
        raise no_such_plan() from exc
    return plan, employee


async def require_editor(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> None:
    """The employee themself or who may manage them (people's rule: 404 outside reach)."""
    if principal.employee_id == employee_id:
        return
    await people.ensure_can_manage(session, principal, employee_id)

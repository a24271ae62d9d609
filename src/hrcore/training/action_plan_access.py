"""Who may see and act on an action plan: the employee their own, a manager or department
head the plans of those in their reach, HR admins every plan; outside that the plan does
not exist (404). The manager's score is given as a manager, whatever other roles the caller
has: an HR admin who does not manage the employee gives the HR score only."""

from __future__ import annotations

import dataclasses
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Role
from hrcore.core.db import get_or_404
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import N_, _
from hrcore.core.i18n import Text as Message
from hrcore.people import api as people
from hrcore.training.models import ActionPlan

WHAT = N_("action plan")


def no_plan() -> NotFound:
    return NotFound(_("No such {what}", what=Message(WHAT)))


async def ensure_in_reach(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> None:
    """404 (as no such plan) unless the caller is the employee, reaches them, or is HR."""
    principal.require_key_scope(None)
    if principal.is_hr_admin or principal.employee_id == employee_id:
        return
    try:
        await people.ensure_can_view(session, principal, employee_id)
    except NotFound:
        raise no_plan() from None


async def readable_plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, *, for_update: bool = False
) -> ActionPlan:
    """The plan, locked for a write when asked; 404 outside the caller's reach."""
    plan = await get_or_404(
        session, ActionPlan, principal.org_id, plan_id, what=WHAT, for_update=for_update
    )
    await ensure_in_reach(session, principal, plan.employee_id)
    return plan


def require_own(principal: Principal, plan: ActionPlan) -> None:
    if principal.employee_id != plan.employee_id:
        raise Forbidden(_("Only the employee submits their action plan"))


async def require_manager_of(session: AsyncSession, principal: Principal, plan: ActionPlan) -> None:
    """The caller manages the plan's employee (up the reporting line, or heads a department
    over them): 403 on one's own plan or for an HR admin who does not, 404 for anyone else."""
    if principal.employee_id == plan.employee_id:
        raise Forbidden(_("Nobody scores their own action plan"))
    as_manager = dataclasses.replace(principal, roles=principal.roles - {Role.HR_ADMIN})
    try:
        await people.ensure_can_view(session, as_manager, plan.employee_id)
    except NotFound:
        if principal.is_hr_admin:
            raise Forbidden(
                _("Only the employee's manager or a department head over them gives this score")
            ) from None
        raise no_plan() from None

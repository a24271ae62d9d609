"""Who reads chains and approvals: HR admins and department heads read chains and previews;
an approval is seen by HR admins, its requester and anyone who is or was on one of its steps
(others get 404)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals.models import APPROVAL_CHAINS, Approval, ApprovalAssignment, ApprovalChain
from hrcore.core.authz import Principal, require_hr_or_dept_head
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import _


def require_reader(principal: Principal) -> None:
    require_hr_or_dept_head(
        principal, _("Only HR admins and department heads read approval chains")
    )


async def readable_chain(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ApprovalChain:
    require_reader(principal)
    return await APPROVAL_CHAINS.require(session, principal.org_id, template_id)


def require_employee(principal: Principal) -> uuid.UUID:
    """Approvals are requested and decided by people: an account linked to an employee."""
    if principal.employee_id is None:
        raise Forbidden(_("Only an account linked to an employee record takes part in approvals"))
    return principal.employee_id


async def visible_approval(
    session: AsyncSession, principal: Principal, approval_id: uuid.UUID, *, for_update: bool = False
) -> Approval:
    statement = select(Approval).where(
        Approval.org_id == principal.org_id, Approval.id == approval_id
    )
    approval = await session.scalar(statement.with_for_update() if for_update else statement)
    if approval is None:
        raise NotFound(_("No such approval"))
    if principal.is_hr_admin or principal.employee_id == approval.requester_employee_id:
        return approval
    if principal.employee_id is not None:
        on_it = await session.scalar(
            select(ApprovalAssignment.id).where(
                ApprovalAssignment.org_id == principal.org_id,
                ApprovalAssignment.approval_id == approval.id,
                ApprovalAssignment.employee_id == principal.employee_id,
            )
        )
        if on_it is not None:
            return approval
    raise NotFound(_("No such approval"))

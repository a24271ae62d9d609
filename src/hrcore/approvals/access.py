"""Who reads chains and approvals: HR admins and department heads read chains and previews;
an approval is seen by HR admins, its requester and anyone who is or was on one of its steps
(others get 404). A requester or an approver is an employee or an account without one: the
caller is matched by both their employee record and their user id."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals.models import (
    APPROVAL_CHAINS,
    Approval,
    ApprovalAssignment,
    ApprovalChain,
    parts_of,
)
from hrcore.core.authz import Principal, require_hr_or_dept_head
from hrcore.core.errors import NotFound
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


def is_requester(principal: Principal, approval: Approval) -> bool:
    return (
        principal.employee_id is not None
        and principal.employee_id == approval.requester_employee_id
    ) or (principal.user_id is not None and principal.user_id == approval.requester_user_id)


def is_party(principal: Principal, approval: Approval) -> bool:
    """The requester or the subject, who never decide their own approval."""
    return is_requester(principal, approval) or (
        principal.employee_id is not None and principal.employee_id == approval.subject_employee_id
    )


def holds(principal: Principal, part: ApprovalAssignment) -> bool:
    """Whether the part is the caller's: by their employee record or their account."""
    return (principal.employee_id is not None and principal.employee_id == part.employee_id) or (
        principal.user_id is not None and principal.user_id == part.user_id
    )


async def locked(session: AsyncSession, org_id: uuid.UUID, approval_id: uuid.UUID) -> Approval:
    """The organization's approval, locked until the transaction ends; 404 without one."""
    approval = await session.scalar(
        select(Approval)
        .where(Approval.org_id == org_id, Approval.id == approval_id)
        .with_for_update()
    )
    if approval is None:
        raise NotFound(_("No such approval"))
    return approval


async def visible_approval(
    session: AsyncSession, principal: Principal, approval_id: uuid.UUID, *, for_update: bool = False
) -> Approval:
    if for_update:
        approval = await locked(session, principal.org_id, approval_id)
    else:
        found = await session.scalar(
            select(Approval).where(Approval.org_id == principal.org_id, Approval.id == approval_id)
        )
        if found is None:
            raise NotFound(_("No such approval"))
        approval = found
    if principal.is_hr_admin or is_requester(principal, approval):
        return approval
    on_it = await session.scalar(
        select(ApprovalAssignment.id)
        .where(
            and_(
                ApprovalAssignment.org_id == principal.org_id,
                ApprovalAssignment.approval_id == approval.id,
                parts_of(principal.employee_id, principal.user_id),
            )
        )
        .limit(1)
    )
    if on_it is not None:
        return approval
    raise NotFound(_("No such approval"))

"""Who may see and do what with contracts, and who is asked to act on them.

Contracts are HR data: HR admins see and write all of them, an employee sees their own and
confirms their own amendments; everyone else gets 404, as if the contract did not exist.
HR's work (renew-or-extend and program-conflict tasks) goes to the first HR admin linked to
an employee record; without one, every HR admin hears of it in the inbox.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import repository
from hrcore.contracts.models import Amendment, Contract
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.errors import Conflict, Forbidden, NotFound
from hrcore.core.i18n import _
from hrcore.identity import api as identity


def may_see(principal: Principal, employee_id: uuid.UUID) -> bool:
    """HR data: HR admins, and the employee it belongs to."""
    return principal.is_hr_admin or principal.employee_id == employee_id


async def contract_in_reach(
    session: AsyncSession, principal: Principal, contract_id: uuid.UUID, *, for_update: bool = False
) -> Contract:
    contract = await repository.contract_by_id(
        session, principal.org_id, contract_id, for_update=for_update
    )
    if contract is None or not may_see(principal, contract.employee_id):
        raise NotFound(_("No such contract"))
    return contract


async def active_contract_for_hr(
    session: AsyncSession, principal: Principal, contract_id: uuid.UUID
) -> Contract:
    """The contract HR changes (locked for the change); only an active one changes."""
    require_hr_admin(principal)
    contract = await contract_in_reach(session, principal, contract_id, for_update=True)
    if contract.status != "active":
        raise Conflict(_("The contract is not active"))
    return contract


async def amendment_in_reach(
    session: AsyncSession,
    principal: Principal,
    amendment_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Amendment:
    amendment = await repository.amendment_by_id(
        session, principal.org_id, amendment_id, for_update=for_update
    )
    if amendment is None or not may_see(principal, amendment.employee_id):
        raise NotFound(_("No such amendment"))
    return amendment


def require_confirmer(principal: Principal, amendment: Amendment) -> None:
    """Only the employee confirms their amendment; HR, who sees it, gets 403."""
    if principal.employee_id != amendment.employee_id:
        raise Forbidden(_("Only the employee may confirm their amendment"))


async def hr_recipients(
    session: AsyncSession, org_id: uuid.UUID
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """HR admins' employee records (the first one gets HR's tasks) and user accounts."""
    hr_users = await identity.hr_admin_user_ids(session, org_id)
    hr_employees = sorted(
        set((await identity.employee_ids_for_users(session, org_id, hr_users)).values())
    )
    return hr_employees, hr_users

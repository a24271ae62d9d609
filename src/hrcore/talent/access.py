"""Who may see and do what in talent pools and succession.

Pools: any user of the organization reads pool definitions (integration keys need
`org:read`); HR admins write them (`require_hr_admin` from core); HR admins and department
heads screen and see the 9-box. Memberships: HR sees all, department heads those in their
reach, employees their own; outside that a member answers 404. HR, department heads and the
employee themself nominate. Vacancies: HR admins see all, department heads those of their
department subtree (404 otherwise); everyone else is refused the list (403) and finds no
single vacancy (404). Integration keys see no membership and no vacancy (403).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, Scope, require_hr_or_dept_head
from hrcore.core.db import get_or_404
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import N_, _
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.talent import repository
from hrcore.talent.models import NominationSource, TalentPool, TalentPoolMember, Vacancy

# --- pools and members --------------------------------------------------------------------


def require_reader(principal: Principal) -> None:
    """Pool definitions: every user; integration keys with `org:read` (403 otherwise)."""
    if principal.kind == "api_key" and not principal.has_scope(Scope.ORG_READ):
        raise Forbidden(_("This integration key lacks the org:read scope"))


def require_screener(principal: Principal) -> None:
    """Screening and the 9-box: HR admins and department heads (403 otherwise)."""
    require_hr_or_dept_head(principal, _("Only HR admins and department heads screen for talent"))


async def readable_pool(
    session: AsyncSession, principal: Principal, pool_id: uuid.UUID
) -> TalentPool:
    """A pool of the caller's organization the caller may read, else 404."""
    require_reader(principal)
    return await get_or_404(session, TalentPool, principal.org_id, pool_id, what=N_("talent pool"))


async def member_employee_ids(
    session: AsyncSession, principal: Principal
) -> list[uuid.UUID] | None:
    """The ids of the employees whose memberships the caller sees (`None`: everyone):
    HR all; heads their reach; employees their own. Integration keys read pool definitions
    (`org:read`), never who is in a pool (403)."""
    principal.require_key_scope(None)
    if principal.is_hr_admin or principal.is_dept_head:
        return await people.visible_employee_ids(session, principal)
    return [principal.employee_id] if principal.employee_id is not None else []


async def member_in_reach(
    session: AsyncSession, principal: Principal, pool_id: uuid.UUID, member_id: uuid.UUID
) -> TalentPoolMember:
    """A member of the pool whose employee the caller sees, else 404."""
    member = await repository.member_by_id(session, principal.org_id, pool_id, member_id)
    if member is None:
        raise NotFound(_("No such member"))
    await people.ensure_can_view(session, principal, member.employee_id)
    return member


def nomination_source(principal: Principal, employee_id: uuid.UUID) -> NominationSource:
    """Who is nominating, which decides whether they may: the employee themself, HR or a
    department head (403 for anyone else)."""
    if principal.employee_id == employee_id:
        return NominationSource.SELF
    if principal.is_hr_admin:
        return NominationSource.HR
    if principal.is_dept_head:
        return NominationSource.DEPT_HEAD
    raise Forbidden(_("Only HR, department heads and the employee themself nominate"))


# --- vacancies ----------------------------------------------------------------------------


def require_vacancy_reader(principal: Principal) -> None:
    """The vacancy list: HR admins and department heads (403 otherwise)."""
    require_hr_or_dept_head(principal, _("Only HR admins and department heads see vacancies"))


async def vacancy_departments(
    session: AsyncSession, principal: Principal
) -> list[uuid.UUID] | None:
    """The ids of the departments whose vacancies the caller sees:
    HR all (`None`), department heads their subtree, anyone else none (404).

    Not people's department scope: there `None` means "no subtree adds to the reach",
    here it means every department."""
    if principal.is_hr_admin:
        return None
    if principal.is_dept_head and principal.department_scope is not None:
        return await org.subtree_ids(session, principal.org_id, principal.department_scope)
    raise NotFound(_("No such vacancy"))


async def vacancy_in_reach(
    session: AsyncSession, principal: Principal, vacancy_id: uuid.UUID, *, for_update: bool = False
) -> Vacancy:
    """The vacancy in the caller's reach, or 404; integration keys read no vacancies (403)."""
    principal.require_key_scope(None)
    departments = await vacancy_departments(session, principal)
    vacancy = await get_or_404(
        session, Vacancy, principal.org_id, vacancy_id, what=N_("vacancy"), for_update=for_update
    )
    if departments is not None and vacancy.department_id not in departments:
        raise NotFound(_("No such vacancy"))
    return vacancy

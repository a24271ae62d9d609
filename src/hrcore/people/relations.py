"""Relations that open some of an employee's records to another employee beyond the
reporting line. A domain above people declares one among its registry's providers
(`RelationProvider`: mentoring's "mentor of", while a pairing runs) with the records it opens
(`purposes`) and, in one statement, whom a viewer is related to now. The domains owning the
records ask here (`related_employee_ids`, `ensure_can_view_for`), so none of them imports the
domain that relates people; every read through a relation is audited."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, Scope
from hrcore.core.db import get_or_404
from hrcore.core.errors import NotFound
from hrcore.core.i18n import N_
from hrcore.people import access
from hrcore.people.models import Employee
from hrcore.people.references import EmployeeInfo, employee_info

PERFORMANCE_GOALS = "performance_goals"
DEVELOPMENT_PLAN = "development_plan"
PERFORMANCE_RATINGS = "performance_ratings"
COMPETENCY_PROFILE = "competency_profile"
READ_THROUGH_RELATION = "employee.read_through_relation"

RelatedIds = Callable[[AsyncSession, uuid.UUID, uuid.UUID], Awaitable[Sequence[uuid.UUID]]]
"""(session, org_id, viewer's employee id) → the employees the viewer is related to now."""


@dataclass(frozen=True)
class RelationProvider:
    """A domain's declaration (a `core.registry.Hook`): `relation` names it in the audit. A
    relation may be declared more than once, each time for other purposes with its own
    statement (a mentor reads a mentee's ratings only while the plan names a rating goal)."""

    relation: str
    purposes: frozenset[str]
    related: RelatedIds

    def install(self) -> None:
        _PROVIDERS[(self.relation, self.purposes)] = self


_PROVIDERS: dict[tuple[str, frozenset[str]], RelationProvider] = {}


async def related_employee_ids(
    session: AsyncSession, principal: Principal, purpose: str
) -> dict[uuid.UUID, str]:
    """The employees whose `purpose` records the caller reads through a relation, each with
    the relation; nothing is sent for a caller without an employee or a provider."""
    if principal.employee_id is None:
        return {}
    related: dict[uuid.UUID, str] = {}
    for provider in _PROVIDERS.values():
        if purpose in provider.purposes:
            for employee_id in await provider.related(
                session, principal.org_id, principal.employee_id
            ):
                related.setdefault(employee_id, provider.relation)
    return related


def record_reads(
    session: AsyncSession, principal: Principal, purpose: str, related: dict[uuid.UUID, str]
) -> None:
    """Audit that the caller read these employees' `purpose` records through relations."""
    for employee_id, relation in related.items():
        audit.record(
            session,
            principal,
            READ_THROUGH_RELATION,
            "employee",
            employee_id,
            org_id=principal.org_id,
            after={"relation": relation, "purpose": purpose},
        )


async def ensure_can_view_for(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    purpose: str,
    *,
    key_scope: Scope | None = None,
) -> EmployeeInfo:
    """`ensure_can_view` (integration keys need `key_scope`), or — for an employee outside
    the caller's reach — their record when a relation opens their `purpose` records to the
    caller (audited); 404 otherwise."""
    try:
        return employee_info(
            await access.ensure_can_view(session, principal, employee_id, key_scope=key_scope)
        )
    except NotFound:
        related = await related_employee_ids(session, principal, purpose)
        if employee_id not in related:
            raise
    employee = await get_or_404(
        session, Employee, principal.org_id, employee_id, what=N_("employee")
    )
    record_reads(session, principal, purpose, {employee_id: related[employee_id]})
    return employee_info(employee)

"""Employees and positions named by reference: checked when a request names them, shown
to other domains as links, summaries and names (the caller has checked reach)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import repository
from hrcore.people.models import Employee


async def require_employee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, field: str = "employee_id"
) -> Employee:
    """An employee referenced in a request body: 422 when it is not in this organization."""
    employee = await repository.employee_by_id(session, org_id, employee_id)
    if employee is None:
        raise Unprocessable(
            _("Unknown employee"), errors=[FieldError(field=field, message=_("no such employee"))]
        )
    return employee


async def employee_ref(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> Ref | None:
    employee = await repository.employee_by_id(session, org_id, employee_id)
    return Ref(id=employee.id, name=employee.full_name) if employee else None


async def require_position(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_id: uuid.UUID | None,
    field: str = "position_id",
) -> None:
    if position_id is not None:
        await org.require_position(session, org_id, position_id, field=field)


def employee_names(org_id: uuid.UUID) -> Select[Any]:
    """A SELECT of `(id, full_name)` of the organization's employees, for another domain to
    join where its list shows names (one query instead of a lookup after it)."""
    return repository.names(org_id)


@dataclass(frozen=True)
class EmployeeSummary:
    """What another domain shows of an employee in a list: a link and the department."""

    ref: Ref
    department_id: uuid.UUID
    status: str


async def employee_summaries(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, EmployeeSummary]:
    """Many employees in one query (for lists in other domains; the caller checked reach)."""
    rows = await repository.summaries_by_ids(session, org_id, list(dict.fromkeys(employee_ids)))
    return {
        row.id: EmployeeSummary(Ref(id=row.id, name=row.full_name), row.department_id, row.status)
        for row in rows
    }

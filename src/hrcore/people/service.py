"""Employees, employment events, ratings, growth profiles and the panoramic profile."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.schemas import Ref
from hrcore.people import repository
from hrcore.people.models import Employee


async def require_employee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, field: str = "employee_id"
) -> Employee:
    """An employee referenced in a request body: 422 when it is not in this organization."""
    employee = await repository.employee_by_id(session, org_id, employee_id)
    if employee is None:
        raise Unprocessable(
            "Unknown employee", errors=[FieldError(field=field, message="no such employee")]
        )
    return employee


async def employee_ref(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> Ref | None:
    employee = await repository.employee_by_id(session, org_id, employee_id)
    return Ref(id=employee.id, name=employee.full_name) if employee else None

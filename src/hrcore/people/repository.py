"""Queries of employees and their history."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.people.models import Employee


async def employee_by_id(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> Employee | None:
    return await session.scalar(
        select(Employee).where(Employee.org_id == org_id, Employee.id == employee_id)
    )

"""Privacy requests' queries: the list (own or the organization's), the policy row."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.privacy.requests_models import PrivacyPolicy, PrivacyRequest


def requests_statement(
    org_id: uuid.UUID, employee_id: uuid.UUID | None, status: str | None
) -> Select[Any]:
    statement = select(PrivacyRequest).where(PrivacyRequest.org_id == org_id)
    if employee_id is not None:
        statement = statement.where(PrivacyRequest.employee_id == employee_id)
    if status is not None:
        statement = statement.where(PrivacyRequest.status == status)
    return statement


async def requests_of(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[PrivacyRequest]:
    """Every request of the employee, oldest first (the export)."""
    result = await session.scalars(
        requests_statement(org_id, employee_id, None).order_by(
            PrivacyRequest.created_at, PrivacyRequest.id
        )
    )
    return list(result)


async def policy(
    session: AsyncSession, org_id: uuid.UUID, *, for_update: bool = False
) -> PrivacyPolicy | None:
    statement = select(PrivacyPolicy).where(PrivacyPolicy.org_id == org_id)
    return await session.scalar(statement.with_for_update() if for_update else statement)

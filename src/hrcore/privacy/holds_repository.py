"""Legal holds' queries."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.privacy.holds_models import LegalHold

ACTIVE_HOLD_REASON = """
    SELECT reason FROM legal_holds
    WHERE org_id = $1 AND employee_id = $2 AND released_at IS NULL
    ORDER BY created_at, id LIMIT 1
"""
HELD_EMPLOYEES = """
    SELECT DISTINCT employee_id FROM legal_holds WHERE org_id = $1 AND released_at IS NULL
"""


async def active_hold_reason(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> str | None:
    rows = await fetch(session, ACTIVE_HOLD_REASON, org_id, employee_id)
    return rows[0][0] if rows else None


async def held_employee_ids(session: AsyncSession, org_id: uuid.UUID) -> list[uuid.UUID]:
    return [row[0] for row in await fetch(session, HELD_EMPLOYEES, org_id)]


def holds(
    org_id: uuid.UUID,
    *,
    active: bool | None,
    employee_id: uuid.UUID | None,
    case_reference: str | None,
) -> Select[LegalHold]:
    statement = select(LegalHold).where(LegalHold.org_id == org_id)
    if active is not None:
        released = LegalHold.released_at.is_(None)
        statement = statement.where(released if active else ~released)
    if employee_id is not None:
        statement = statement.where(LegalHold.employee_id == employee_id)
    if case_reference is not None:
        statement = statement.where(LegalHold.case_reference == case_reference)
    return statement

"""What the other privacy parts may ask of legal holds, in plain values.

- `is_on_hold(session, org_id, employee_id)`: the reason of the person's oldest active
  hold, or None — a deletion request for a person under hold is refused with it.
- `held_employee_ids(session, org_id)`: everyone under an active hold (the purge spares
  them)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.privacy.holds_repository import active_hold_reason, held_employee_ids

__all__ = ["held_employee_ids", "is_on_hold"]


async def is_on_hold(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> str | None:
    return await active_hold_reason(session, org_id, employee_id)

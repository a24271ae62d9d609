"""Training's section of a person's own-data export (`core.personal_data`): their points
ledger, every award and correction with its reason, oldest first."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.training.models import LedgerEntry


async def points_ledger(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.org_id == org_id, LedgerEntry.employee_id == employee_id)
        .order_by(LedgerEntry.occurred_at, LedgerEntry.id)
    )
    return [
        {
            "occurred_at": entry.occurred_at.isoformat(),
            "category": entry.category,
            "points": entry.points,
            "source_type": entry.source_type,
            "reason": entry.reason,
        }
        for entry in rows
    ]

"""Contracts' section of a person's own-data export (`core.personal_data`): the amendments
of their contracts with the terms of each one's current version (the contracts themselves
are in the panoramic profile)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts.models import Amendment, AmendmentVersion


async def contract_amendments(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Amendment, AmendmentVersion)
        .join(
            AmendmentVersion,
            and_(
                AmendmentVersion.amendment_id == Amendment.id,
                AmendmentVersion.number == Amendment.current_version,
            ),
        )
        .where(Amendment.org_id == org_id, Amendment.employee_id == employee_id)
        .order_by(AmendmentVersion.effective_date, Amendment.id)
    )
    return [
        {
            "status": amendment.status,
            "effective_date": version.effective_date.isoformat(),
            "end_date": version.end_date.isoformat() if version.end_date else None,
            "changes": version.changes,
            "note": version.note,
            "confirmed_at": amendment.confirmed_at.isoformat() if amendment.confirmed_at else None,
        }
        for amendment, version in rows
    ]

"""Queries of imports. Progress is written with plain UPDATEs so it never races the ORM."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.imports.kinds import RowError
from hrcore.imports.models import ImportJob


async def set_state(
    session: AsyncSession, org_id: uuid.UUID, import_id: uuid.UUID, **values: Any
) -> None:
    await session.execute(
        update(ImportJob)
        .where(ImportJob.org_id == org_id, ImportJob.id == import_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def fail_stalled(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    cutoff: datetime,
    at: datetime,
    errors: list[RowError],
    import_id: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """Fail running imports whose last heartbeat is before `cutoff`; the status condition
    makes it safe to repeat and to race the job (which only runs a queued or running one)."""
    statement = (
        update(ImportJob)
        .where(
            ImportJob.org_id == org_id,
            ImportJob.status == "running",
            ImportJob.heartbeat_at < cutoff,
        )
        .values(**finished(at, status="failed", errors=errors))
        .returning(ImportJob.id)
        .execution_options(synchronize_session=False)
    )
    if import_id is not None:
        statement = statement.where(ImportJob.id == import_id)
    return list((await session.scalars(statement)).all())


def finished(at: datetime, **values: Any) -> dict[str, Any]:
    return {"finished_at": at, "content": None, **values}

"""Queries on uploaded files: no rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import String, any_, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among
from hrcore.files.models import StoredFile


async def file_by_id(
    session: AsyncSession, org_id: uuid.UUID, file_id: uuid.UUID
) -> StoredFile | None:
    return await session.scalar(
        select(StoredFile).where(StoredFile.org_id == org_id, StoredFile.id == file_id)
    )


async def files_for_update(
    session: AsyncSession, org_id: uuid.UUID, file_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, StoredFile]:
    """These files of the organization, locked: attaching and purging never cross."""
    if not file_ids:
        return {}
    rows = await session.scalars(
        select(StoredFile)
        .where(StoredFile.org_id == org_id, among(StoredFile.id, file_ids))
        .with_for_update()
    )
    return {row.id: row for row in rows}


async def detach_all_of(
    session: AsyncSession, org_id: uuid.UUID, subject_type: str, subject_ids: Sequence[uuid.UUID]
) -> None:
    """The subjects' files are referenced by nothing again (one statement for many)."""
    if not subject_ids:
        return
    await session.execute(
        update(StoredFile)
        .where(
            StoredFile.org_id == org_id,
            StoredFile.subject_type == subject_type,
            among(StoredFile.subject_id, subject_ids),  # type: ignore[arg-type]
        )
        .values(subject_type=None, subject_id=None),
        execution_options={"synchronize_session": False},
    )


async def detach_others(
    session: AsyncSession,
    org_id: uuid.UUID,
    subject_type: str,
    subject_id: uuid.UUID,
    keep: Sequence[uuid.UUID],
) -> None:
    """Files of the subject not in `keep` are referenced by nothing again."""
    statement = update(StoredFile).where(
        StoredFile.org_id == org_id,
        StoredFile.subject_type == subject_type,
        StoredFile.subject_id == subject_id,
    )
    if keep:
        statement = statement.where(~among(StoredFile.id, keep))
    await session.execute(
        statement.values(subject_type=None, subject_id=None),
        execution_options={"synchronize_session": False},
    )


async def attached_to(
    session: AsyncSession, org_id: uuid.UUID, subject_type: str, subject_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The files of each subject, oldest upload first, in one statement."""
    found: dict[uuid.UUID, list[uuid.UUID]] = {subject_id: [] for subject_id in subject_ids}
    if not subject_ids:
        return found
    rows = await session.execute(
        select(StoredFile.subject_id, StoredFile.id)
        .where(
            StoredFile.org_id == org_id,
            StoredFile.subject_type == subject_type,
            among(StoredFile.subject_id, subject_ids),  # type: ignore[arg-type]
        )
        .order_by(StoredFile.uploaded_at, StoredFile.id)
    )
    for subject_id, file_id in rows:
        found[cast(uuid.UUID, subject_id)].append(file_id)  # matched among the ids
    return found


async def unreferenced_before(
    session: AsyncSession, org_id: uuid.UUID, before: datetime, limit: int
) -> Sequence[StoredFile]:
    """Files nothing references, uploaded before `before`, locked (a submission attaching
    one at the same moment keeps it)."""
    rows = await session.scalars(
        select(StoredFile)
        .where(
            StoredFile.org_id == org_id,
            StoredFile.subject_id.is_(None),
            StoredFile.uploaded_at < before,
        )
        .order_by(StoredFile.uploaded_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return rows.all()


async def named_keys(session: AsyncSession, org_id: uuid.UUID, keys: Sequence[str]) -> set[str]:
    """Which of these storage keys a file row of the organization names (one statement)."""
    if not keys:
        return set()
    rows = await session.scalars(
        select(StoredFile.storage_key).where(
            StoredFile.org_id == org_id,
            StoredFile.storage_key == any_(literal(list(keys), ARRAY(String()))),
        )
    )
    return set(rows)

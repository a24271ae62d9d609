"""Queries of talent pools, members and 9-box placements. Tenant tables are also under RLS."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.talent.models import NineBoxPlacement, TalentPool, TalentPoolMember

OPEN_STATUSES = ("nominated", "active")


def pools_query(org_id: uuid.UUID, *, active: bool | None) -> Select[Any]:
    statement = select(TalentPool).where(TalentPool.org_id == org_id)
    if active is not None:
        statement = statement.where(TalentPool.active.is_(active))
    return statement


async def pool_by_id(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID
) -> TalentPool | None:
    return await session.scalar(
        select(TalentPool).where(TalentPool.org_id == org_id, TalentPool.id == pool_id)
    )


async def pool_by_name(session: AsyncSession, org_id: uuid.UUID, name: str) -> TalentPool | None:
    return await session.scalar(
        select(TalentPool).where(TalentPool.org_id == org_id, TalentPool.name == name)
    )


def members_query(
    org_id: uuid.UUID,
    pool_id: uuid.UUID,
    *,
    status: str | None,
    employee_ids: Select[Any] | None,
) -> Select[Any]:
    statement = select(TalentPoolMember).where(
        TalentPoolMember.org_id == org_id, TalentPoolMember.pool_id == pool_id
    )
    if status is not None:
        statement = statement.where(TalentPoolMember.status == status)
    if employee_ids is not None:
        statement = statement.where(TalentPoolMember.employee_id.in_(employee_ids))
    return statement


async def member_by_id(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID, member_id: uuid.UUID
) -> TalentPoolMember | None:
    return await session.scalar(
        select(TalentPoolMember).where(
            TalentPoolMember.org_id == org_id,
            TalentPoolMember.pool_id == pool_id,
            TalentPoolMember.id == member_id,
        )
    )


async def member_of(
    session: AsyncSession, org_id: uuid.UUID, pool_id: uuid.UUID, employee_id: uuid.UUID
) -> TalentPoolMember | None:
    return await session.scalar(
        select(TalentPoolMember)
        .where(
            TalentPoolMember.org_id == org_id,
            TalentPoolMember.pool_id == pool_id,
            TalentPoolMember.employee_id == employee_id,
        )
        .with_for_update()
    )


async def open_members_of_employee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[TalentPoolMember]:
    rows = await session.scalars(
        select(TalentPoolMember)
        .where(
            TalentPoolMember.org_id == org_id,
            TalentPoolMember.employee_id == employee_id,
            TalentPoolMember.status.in_(OPEN_STATUSES),
        )
        .with_for_update()
    )
    return list(rows)


async def latest_placements(
    session: AsyncSession, org_id: uuid.UUID, member_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, NineBoxPlacement]:
    """Each member's current 9-box placement (the latest), in one query."""
    if not member_ids:
        return {}
    rows = await session.scalars(
        select(NineBoxPlacement)
        .where(
            NineBoxPlacement.org_id == org_id,
            NineBoxPlacement.member_id.in_(list(member_ids)),
        )
        .ext(distinct_on(NineBoxPlacement.member_id))
        .order_by(
            NineBoxPlacement.member_id,
            NineBoxPlacement.placed_at.desc(),
            NineBoxPlacement.id.desc(),
        )
    )
    return {row.member_id: row for row in rows}


async def end_memberships(
    session: AsyncSession, member_ids: Sequence[uuid.UUID], *, status: str, at: datetime
) -> None:
    await session.execute(
        update(TalentPoolMember)
        .where(TalentPoolMember.id.in_(list(member_ids)))
        .values(status=status, ended_at=at, version=TalentPoolMember.version + 1)
        .execution_options(synchronize_session=False)
    )


async def count(session: AsyncSession, statement: Select[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(statement.subquery())) or 0)

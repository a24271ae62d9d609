"""Queries of rotation plans: no rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.rotation_models import RotationLeg, RotationPlan
from hrcore.core.db import among
from hrcore.core.pagination import PageParams, paginate


async def plan_by_id(
    session: AsyncSession, org_id: uuid.UUID, plan_id: uuid.UUID, *, lock: bool = False
) -> RotationPlan | None:
    statement = select(RotationPlan).where(
        RotationPlan.org_id == org_id, RotationPlan.id == plan_id
    )
    if lock:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def legs_of(
    session: AsyncSession, org_id: uuid.UUID, plan_ids: Collection[uuid.UUID]
) -> list[RotationLeg]:
    """The legs of these plans in plan order, in one statement."""
    if not plan_ids:
        return []
    statement = (
        select(RotationLeg)
        .where(RotationLeg.org_id == org_id, among(RotationLeg.plan_id, plan_ids))
        .order_by(RotationLeg.plan_id, RotationLeg.sequence)
    )
    return list((await session.execute(statement)).scalars())


async def plans_page(
    session: AsyncSession,
    org_id: uuid.UUID,
    params: PageParams,
    *,
    employee_id: uuid.UUID | None,
    visible: Sequence[uuid.UUID] | None,
    host_id: uuid.UUID | None,
) -> tuple[list[RotationPlan], str | None]:
    """Newest first. `visible` None: the whole organization; else plans of those employees
    and, for a host supervisor (`host_id`), the plans with a leg they host."""
    statement = select(RotationPlan).where(RotationPlan.org_id == org_id)
    if employee_id is not None:
        statement = statement.where(RotationPlan.employee_id == employee_id)
    if visible is not None:
        reach = among(RotationPlan.employee_id, visible)
        if host_id is not None:
            hosted = select(RotationLeg.plan_id).where(
                RotationLeg.org_id == org_id, RotationLeg.host_supervisor_id == host_id
            )
            reach = or_(reach, RotationPlan.id.in_(hosted))
        statement = statement.where(reach)
    return await paginate(session, statement, [RotationPlan.id], params, descending=True)


async def leg_by_id(
    session: AsyncSession, org_id: uuid.UUID, leg_id: uuid.UUID
) -> RotationLeg | None:
    statement = select(RotationLeg).where(RotationLeg.org_id == org_id, RotationLeg.id == leg_id)
    return (await session.execute(statement)).scalar_one_or_none()

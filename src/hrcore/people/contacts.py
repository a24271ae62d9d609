"""How notification channels reach employees (their DingTalk ids and departments), and the
work contact details another domain shows to someone the relation entitles (a mentee reads
their mentor's)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among
from hrcore.people import repository
from hrcore.people.models import Employee


@dataclass(frozen=True)
class DingTalkContact:
    """How a channel reaches an employee: their DingTalk id and department."""

    dingtalk_user_id: str | None
    department_id: uuid.UUID


async def dingtalk_contacts(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, DingTalkContact]:
    """Each known employee's DingTalk contact; unknown ids are absent. One query."""
    return {
        employee_id: DingTalkContact(dingtalk_user_id=dingtalk_id, department_id=department)
        for employee_id, dingtalk_id, department in await repository.dingtalk_contacts(
            session, org_id, employee_ids
        )
    }


async def employees_by_dingtalk_id(
    session: AsyncSession, org_id: uuid.UUID, dingtalk_user_ids: Sequence[str]
) -> dict[str, uuid.UUID]:
    """The employee linked to each DingTalk user id (unknown ids are absent). One query."""
    return await repository.employee_ids_by_dingtalk_ids(session, org_id, dingtalk_user_ids)


@dataclass(frozen=True)
class WorkContact:
    """An employee's work email and phone as people has them."""

    email: str | None
    phone: str | None


async def work_contacts(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, WorkContact]:
    """Each known employee's work contact details (the caller decided who may read them);
    unknown ids are absent. One query, none without ids."""
    if not employee_ids:
        return {}
    rows = await session.execute(
        select(Employee.id, Employee.email, Employee.phone).where(
            Employee.org_id == org_id, among(Employee.id, list(set(employee_ids)))
        )
    )
    return {row.id: WorkContact(email=row.email, phone=row.phone) for row in rows}

"""How notification channels reach employees: their DingTalk ids and departments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.people import repository


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

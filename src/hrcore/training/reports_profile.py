"""The panoramic profile's training sections, which people asks for through its providers
(`people.api.TrainingsProvider`, `PointsProvider`, listed in training's registry): one
statement each. The profile has checked the caller's reach already."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.schemas import Ref
from hrcore.people import api as people
from hrcore.training import reports_repository as repository


async def profile_trainings(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, timezone: str
) -> list[people.TrainingRecord]:
    """The courses the employee completed, newest first."""
    rows = await repository.profile_trainings(session, org_id, employee_id, timezone)
    return [
        people.TrainingRecord(
            course=Ref(id=row["id"], name=row["name"]),
            completed_on=row["completed_on"],
            result=row["result"],
        )
        for row in rows
    ]


async def profile_points(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[people.PointsRecord]:
    """The employee's points per year and quarter, newest first."""
    rows = await repository.profile_points(session, org_id, employee_id)
    return [people.PointsRecord(period=row["period"], total=row["total"]) for row in rows]

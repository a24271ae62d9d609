"""A person's mentoring as plain data for other domains (programs' participant dossier):
every pairing they are in as mentee or as mentor, oldest first, with the program, the other
person, the dates, the plan's shown status and how many sessions were held. Five statements
(six while a plan is submitted) however many pairings; who may read it is the caller's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among
from hrcore.core.references import refs_by_ids
from hrcore.core.schemas import Ref
from hrcore.mentoring import mentorship_repository, plans
from hrcore.mentoring.mentorship_models import MentoringSession, Mentorship
from hrcore.mentoring.models import MentoringProgram
from hrcore.people import api as people


@dataclass(frozen=True)
class MentoringRecord:
    """One pairing as the person in it sees it: `role` `mentee` or `mentor`, `other` the
    mentor (for a mentee) or the mentee (for a mentor)."""

    mentorship_id: uuid.UUID
    role: str
    program: Ref
    other: Ref
    status: str
    starts_on: date
    ends_on: date
    ended_at: datetime | None
    plan_status: str | None
    sessions_held: int


async def mentoring_record(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[MentoringRecord]:
    """The employee's pairings as mentee and as mentor, oldest first."""
    statement = mentorship_repository.pairings_of(org_id, employee_id, None).order_by(
        Mentorship.starts_on, Mentorship.id
    )
    rows = list(await session.scalars(statement))
    if not rows:
        return []
    ids = [row.id for row in rows]
    programs = await refs_by_ids(
        session, MentoringProgram.name, org_id, [row.program_id for row in rows]
    )
    others = {
        row.id: row.mentor_employee_id
        if row.mentee_employee_id == employee_id
        else row.mentee_employee_id
        for row in rows
    }
    employees = await people.employee_refs(session, org_id, list(set(others.values())))
    found = await mentorship_repository.plans_of(session, org_id, ids)
    statuses = await plans.shown_statuses(session, org_id, list(found.values()))
    counted = await session.execute(
        select(MentoringSession.mentorship_id, func.count())
        .where(MentoringSession.org_id == org_id, among(MentoringSession.mentorship_id, ids))
        .group_by(MentoringSession.mentorship_id)
    )
    held: dict[uuid.UUID, int] = {row[0]: row[1] for row in counted.all()}
    return [
        MentoringRecord(
            mentorship_id=row.id,
            role="mentee" if row.mentee_employee_id == employee_id else "mentor",
            program=programs[row.program_id],
            other=Ref(id=others[row.id], name=employees[others[row.id]].name),
            status=row.status,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            ended_at=row.ended_at,
            plan_status=statuses.get(row.id),
            sessions_held=held.get(row.id, 0),
        )
        for row in rows
    ]

"""Mentors: employees approved to mentor in a program, with the program's capacity per
mentor, their load (active pairings) and whether they have room for another."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.mentoring import access, mentorship_repository, repository
from hrcore.mentoring.models import Mentor
from hrcore.mentoring.schemas import MentorOut, MentorRuleCheck
from hrcore.people import api as people


async def mentor_views(session: AsyncSession, mentors: Sequence[Mentor]) -> list[MentorOut]:
    """Views of many mentors: their programs, employees and loads in one query each."""
    if not mentors:
        return []
    org_id = mentors[0].org_id
    programs = await repository.programs_by_ids(
        session, org_id, [mentor.program_id for mentor in mentors]
    )
    employees = await people.employee_refs(session, org_id, [row.employee_id for row in mentors])
    loads = await mentorship_repository.active_loads(session, org_id, [row.id for row in mentors])
    return [
        MentorOut(
            id=mentor.id,
            program=Ref(id=mentor.program_id, name=programs[mentor.program_id].name),
            employee=employees[mentor.employee_id],
            capacity=programs[mentor.program_id].capacity,
            load=loads.get(mentor.id, 0),
            available=loads.get(mentor.id, 0) < programs[mentor.program_id].capacity,
            approved_at=mentor.approved_at,
            flagged_at=mentor.flagged_at,
            flag_checks=(
                None
                if mentor.flag_checks is None
                else [MentorRuleCheck.model_validate(check) for check in mentor.flag_checks]
            ),
        )
        for mentor in mentors
    ]


async def list_mentors(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    program_id: uuid.UUID | None,
    flagged: bool | None = None,
) -> tuple[list[Mentor], str | None]:
    reach = await access.employee_reach(session, principal)
    statement = repository.mentors_query(
        principal.org_id, reach, program_id=program_id, flagged=flagged
    )
    return await paginate(session, statement, [Mentor.id], page)


async def get_mentor(session: AsyncSession, principal: Principal, mentor_id: uuid.UUID) -> Mentor:
    return await access.mentor_in_reach(session, principal, mentor_id)

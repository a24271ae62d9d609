"""Mentoring's section of a person's own-data export (`core.personal_data`): every pairing
they were in, as mentee or as mentor, with the other person, the program and each session
held (notes, checklist items covered, a skill test's score). Survey answers, and who gave
them, are never read here: a mentee answers about their mentor in confidence."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.mentoring.mentorship_models import MentoringSession, Mentorship
from hrcore.mentoring.models import MentoringProgram
from hrcore.people import api as people


async def mentorships(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Mentorship, MentoringProgram.name)
        .join(MentoringProgram, MentoringProgram.id == Mentorship.program_id)
        .where(
            Mentorship.org_id == org_id,
            or_(
                Mentorship.mentee_employee_id == employee_id,
                Mentorship.mentor_employee_id == employee_id,
            ),
        )
        .order_by(Mentorship.starts_on, Mentorship.id)
    )
    pairings: list[tuple[Mentorship, str]] = [(pairing, name) for pairing, name in rows]
    if not pairings:
        return []
    held: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for row in await session.scalars(
        select(MentoringSession)
        .where(
            MentoringSession.org_id == org_id,
            MentoringSession.mentorship_id.in_([pairing.id for pairing, _name in pairings]),
        )
        .order_by(MentoringSession.held_on, MentoringSession.id)
    ):
        held.setdefault(row.mentorship_id, []).append(
            {
                "held_on": row.held_on.isoformat(),
                "kind": row.kind,
                "notes": row.notes,
                "checklist_covered": row.checklist_covered,
                "score": float(row.score) if row.score is not None else None,
            }
        )
    others = {
        p.mentor_employee_id if p.mentee_employee_id == employee_id else p.mentee_employee_id
        for p, _name in pairings
    }
    names = await people.employee_refs(session, org_id, sorted(others))
    result = []
    for pairing, program in pairings:
        mentee = pairing.mentee_employee_id == employee_id
        other = pairing.mentor_employee_id if mentee else pairing.mentee_employee_id
        result.append(
            {
                "program": program,
                "role": "mentee" if mentee else "mentor",
                "mentor" if mentee else "mentee": names[other].name if other in names else None,
                "status": pairing.status,
                "starts_on": pairing.starts_on.isoformat(),
                "ends_on": pairing.ends_on.isoformat(),
                "end_reason": pairing.end_reason,
                "sessions": held.get(pairing.id, []),
            }
        )
    return result

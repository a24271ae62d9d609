"""The employee's own effectiveness as a mentor, per program where the worker scored it,
each part explained — for privacy's automated evaluations (PIPL Art. 24), through
`mentoring.api`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.references import refs_by_ids
from hrcore.core.schemas import Ref
from hrcore.mentoring.effectiveness_models import MentorEffectiveness
from hrcore.mentoring.effectiveness_reading import explain
from hrcore.mentoring.effectiveness_schemas import MentorEffectivenessPart
from hrcore.mentoring.models import Mentor, MentoringProgram


@dataclass(frozen=True)
class OwnEffectiveness:
    """A mentor's stored score (0–100) in one program and its parts, explained; never a
    mentee's name or figure."""

    mentor_id: uuid.UUID
    program: Ref
    score: float
    computed_at: datetime
    parts: list[MentorEffectivenessPart]


OWN_FIGURES = (
    select(
        Mentor.id,
        Mentor.program_id,
        MentorEffectiveness.score,
        MentorEffectiveness.computed_at,
        MentorEffectiveness.parts,
    )
    .join(
        MentorEffectiveness,
        (MentorEffectiveness.org_id == Mentor.org_id)
        & (MentorEffectiveness.mentor_id == Mentor.id),
    )
    .where(MentorEffectiveness.score.is_not(None))
    .order_by(Mentor.id)
)


async def own_effectiveness(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[OwnEffectiveness]:
    """The employee's effectiveness as a mentor in each program where the worker scored it:
    one statement for the figures, one for the programs' names (none without figures)."""
    rows = (
        await session.execute(
            OWN_FIGURES.where(Mentor.org_id == org_id, Mentor.employee_id == employee_id)
        )
    ).all()
    programs = await refs_by_ids(
        session, MentoringProgram.name, org_id, [row.program_id for row in rows]
    )
    return [
        OwnEffectiveness(
            mentor_id=row.id,
            program=programs[row.program_id],
            score=row.score,
            computed_at=row.computed_at,
            parts=[
                MentorEffectivenessPart.model_validate({**part, "explanation": explain(part)})
                for part in row.parts
            ],
        )
        for row in rows
    ]

"""Supervisor evaluations as competency evidence. An evaluation stage run on a review form
is where a program defines its evaluation criteria; indicators of the form that name
competencies make the supervisor's result evidence of them when HR publishes it (reviews
records it, `reviews.api.EvidenceKind`, declared in the registry), under its own source kind
so a profile says it came from a program: `program_evaluation`.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.programs import competency_queries

PROGRAM_EVALUATION = "program_evaluation"


async def evaluation_kind(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID
) -> str | None:
    """`program_evaluation` for a review cycle a supervisor-evaluation stage runs on, else
    None (one indexed statement)."""
    stage = await competency_queries.evaluation_stage_of_cycle(session, org_id, cycle_id)
    return PROGRAM_EVALUATION if stage is not None else None

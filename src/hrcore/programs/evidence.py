"""Supervisor evaluations as competency evidence. An evaluation stage run on a review form
whose indicators name competencies (the form is where a program's evaluation criteria are
defined) records the supervisor's computed result as evidence of each competency: source
kind `program_evaluation`, source id the review result, observed when the stage completed.

Reviews leaves these cycles to programs (`owns_cycle`, declared in the registry), so the
one rating never also counts as `review` evidence when HR publishes it, and announces their
results when computed and when an upheld appeal corrects one (`reviews.RESULTS_SCORED`,
subscribed in the registry): recording again replaces, never doubles.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core import audit
from hrcore.core.clock import Clock
from hrcore.programs import repository
from hrcore.reviews import api as reviews

PROGRAM_EVALUATION = "program_evaluation"
EVIDENCE_JOB = "programs.record_evaluation_evidence"


async def owns_cycle(session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID) -> bool:
    """Whether the review cycle is a program's supervisor evaluation (one statement)."""
    return await repository.evaluation_stage_of_cycle(session, org_id, cycle_id) is not None


async def record_evaluation(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID, clock: Clock
) -> int:
    """Record (or replace) the evidence of an evaluation stage's computed results; what was
    recorded is audited on the stage. How many results said something (a cycle that is no
    evaluation: 0)."""
    stage = await repository.evaluation_stage_of_cycle(session, org_id, cycle_id)
    if stage is None:
        return 0
    observed_at = stage.completed_at or clock.now()
    recorded = 0
    for result in await reviews.cycle_evidence(session, org_id, cycle_id):
        await competencies.replace_source_evidence(
            session,
            org_id,
            employee_id=result.employee_id,
            source_kind=PROGRAM_EVALUATION,
            source_id=result.result_id,
            observed_at=observed_at,
            values=result.values,
        )
        if not result.values:
            continue
        audit.record(
            session,
            None,
            "program_stage.evidence_recorded",
            "program_stage",
            stage.id,
            org_id=org_id,
            after={
                "result_id": str(result.result_id),
                "competency_evidence": [
                    {"competency_id": str(v.competency_id), "value": v.value} for v in result.values
                ],
            },
        )
        recorded += 1
    return recorded

"""Training stages that name courses 「培训环节」: no task of their own, they complete from
training's records — every course completed and, where the course has a pass mark, its exam
passed (`training.api.completed_courses`). The worker checks when the stage opens (courses
done before count) and whenever training announces a completed enrolment or a first passed
exam (`ENROLMENT_COMPLETED`, `EXAM_PASSED`) of a participant."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.programs import repository, training_queries
from hrcore.programs.models import ParticipantStage
from hrcore.programs.schemas import StageIn
from hrcore.programs.stages import complete_stage
from hrcore.training import api as training

PROGRESS_JOB = "programs.complete_training_stages"


async def check_opened(
    session: AsyncSession, org_id: uuid.UUID, stage_id: uuid.UUID, clock: Clock
) -> bool:
    """Complete the stage just opened when its courses are done already; whether it did.
    A stage no longer open is left alone."""
    stage = await training_queries.open_training_stage(session, org_id, stage_id)
    if stage is None:
        return False
    participant = await repository.participant_by_id(
        session, org_id, stage.run_id, stage.participant_id
    )
    assert participant is not None
    return await _complete_when_done(session, stage, participant.employee_id, clock)


async def check_enrolment(
    session: AsyncSession, org_id: uuid.UUID, enrolment_id: uuid.UUID, clock: Clock
) -> int:
    """After an enrolment completed or an exam passed: the employee's open training stages
    whose courses are now all done complete; how many did."""
    employee_id = await training.enrolment_employee(session, org_id, enrolment_id)
    if employee_id is None:
        return 0
    completed = 0
    for stage in await training_queries.open_training_stages_of(session, org_id, employee_id):
        completed += await _complete_when_done(session, stage, employee_id, clock)
    return completed


async def _complete_when_done(
    session: AsyncSession, stage: ParticipantStage, employee_id: uuid.UUID, clock: Clock
) -> bool:
    course_ids = StageIn.model_validate(stage.config).course_ids
    if not course_ids:
        return False
    done = await training.completed_courses(session, stage.org_id, employee_id, course_ids)
    if not set(course_ids) <= done:
        return False
    await complete_stage(session, stage, clock, None)
    return True

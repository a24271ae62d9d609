"""What other domains may call of training, in plain data:

- `known_courses` — which of some courses the organization has (a program template's
  training stages name them; 422 for the others).
- `completed_courses` — which of some courses an employee has done: completed and, for a
  course with a pass mark, its exam passed (programs' training stages complete from it).
- `enrolment_employee` — whose an enrolment is (the events carry ids only).
- `ENROLMENT_COMPLETED`, `EXAM_PASSED` — the events after which an employee's done courses
  may have changed; both carry `enrolment_id`.
- `first_completions` — when each person first finished a course (analytics' retention).
- `own_needs` → `TrainingNeedsOut` — the caller's own training needs analysis with its
  evidence and proposed courses, as `GET /training-needs?employee_id=` answers it with its
  defaults (privacy's automated evaluations); a fixed number of statements.
- `training_records` → `TrainingRecords` — enrolments (made, completed, exam passed, action
  plan submitted) and yearly points balances per category, for analytics; two statements.

Each a single statement, none for no ids."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.pagination import MAX_LIMIT, PageParams
from hrcore.training import exam_repository, needs
from hrcore.training.completions import first_completions
from hrcore.training.effect_records import (
    EnrolmentRecord,
    TrainingRecords,
    YearPoints,
    training_records,
)
from hrcore.training.events import ENROLMENT_COMPLETED, EXAM_PASSED
from hrcore.training.needs_schemas import TrainingNeedsOut

__all__ = [
    "ENROLMENT_COMPLETED",
    "EXAM_PASSED",
    "EnrolmentRecord",
    "TrainingNeedsOut",
    "TrainingRecords",
    "YearPoints",
    "completed_courses",
    "enrolment_employee",
    "first_completions",
    "known_courses",
    "own_needs",
    "training_records",
]


async def known_courses(
    session: AsyncSession, org_id: uuid.UUID, course_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these courses the organization has (another organization's are absent)."""
    if not course_ids:
        return set()
    return await exam_repository.known_courses(session, org_id, course_ids)


async def completed_courses(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    course_ids: Sequence[uuid.UUID],
) -> set[uuid.UUID]:
    """Which of these courses the employee has done: an enrolment completed (attended, or
    online progress at its threshold) and, where the course has a pass mark, its exam
    passed (`passed_at`)."""
    if not course_ids:
        return set()
    return await exam_repository.done_courses(session, org_id, employee_id, course_ids)


async def enrolment_employee(
    session: AsyncSession, org_id: uuid.UUID, enrolment_id: uuid.UUID
) -> uuid.UUID | None:
    """The employee of an enrolment of the organization, else None."""
    return await exam_repository.enrolled_employee(session, org_id, enrolment_id)


async def own_needs(session: AsyncSession, principal: Principal) -> TrainingNeedsOut:
    """The caller's training needs, each with its evidence and the courses proposed (the
    first 200 needs); 404 for an account not linked to an employee."""
    return await needs.analyse(
        session,
        principal,
        department_id=None,
        employee_id=own_employee_id(principal),
        thresholds=needs.DEFAULTS,
        page=PageParams(limit=MAX_LIMIT, cursor=None),
    )

"""The domain events training's parts emit and listen to (`core.events`); payloads carry ids
only, the listener re-reads the rest.

- `ENROLMENT_COMPLETED`: an enrolment was completed — an offline class attended (checked in,
  on time or late) or an online course's progress reached its threshold. Action plans are
  created from it. Payload: `enrolment_id`.
- `EXAM_PASSED`: an employee passed a course's exam for the first time (the enrolment's
  `passed_at` was set). Programs' training stages re-check from it. Payload: `enrolment_id`,
  `attempt_id`."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import events

ENROLMENT_COMPLETED = "training.enrolment_completed"
EXAM_PASSED = "training.exam_passed"


def emit_enrolment_completed(
    session: AsyncSession, org_id: uuid.UUID, enrolment_id: uuid.UUID
) -> None:
    """Queue the listeners of a completed enrolment, in the caller's transaction."""
    events.emit(session, ENROLMENT_COMPLETED, {"enrolment_id": str(enrolment_id)}, org_id=org_id)


def emit_exam_passed(
    session: AsyncSession, org_id: uuid.UUID, enrolment_id: uuid.UUID, attempt_id: uuid.UUID
) -> None:
    """Queue the listeners of a first passed exam, in the caller's transaction."""
    events.emit(
        session,
        EXAM_PASSED,
        {"enrolment_id": str(enrolment_id), "attempt_id": str(attempt_id)},
        org_id=org_id,
    )

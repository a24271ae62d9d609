"""Competency evidence: what sources say about an employee's competencies. Every source —
manual assessments now; reviews, programs, stretch assignments, training and mentoring as
they are connected — goes through `record_evidence`, one row per source event and
competency, and the employee's profile is recomputed in the worker."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository
from hrcore.competencies.models import Competency
from hrcore.competencies.profiles import RECOMPUTE_JOB
from hrcore.competencies.schemas import EvidenceIn, EvidenceOut
from hrcore.core import audit, outbox
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.people import api as people

MANUAL = "manual"
MENTORING_SKILL_TEST = "mentoring_skill_test"
"""A skill test logged in a mentorship (mentoring's sessions): its score / 10, about the
plan's competency goals."""
MENTORING_EFFECTIVENESS = "mentoring_effectiveness"
"""A mentor's effectiveness score / 10 when it moves, about the competency the setting
`mentoring_evidence_competency` names; the mentor is the source, so it is replaced, never
appended."""
TRAINING_COURSE_RESULT = "training_course_result"
"""A training course's exam score / 10 (the enrolment is the source), about the course's
competencies, recorded when the action plan after the course is scored."""
TRAINING_ACTION_PLAN = "training_action_plan"
"""An action plan's score (the mean of HR's and the manager's) / 10, about the course's
competencies (the plan is the source)."""


def stored(value: float) -> float:
    """A value as evidence keeps it: to 4 decimals (the profile shows 2). PostgreSQL's float
    arithmetic raises on underflow where Python yields 0, so a vanishingly small value
    (1e-310) would fail every recompute of its employee."""
    return round(value, 4)


@dataclass(frozen=True)
class SourceValue:
    """What one source event says about one competency: a 0–10 value and, optionally, how
    it was arrived at (shown with the evidence in the profile)."""

    competency_id: uuid.UUID
    value: float
    note: str | None = None


def _check_values(
    values: Sequence[SourceValue], known: Collection[uuid.UUID], weight: float
) -> None:
    """404 for a competency the organization does not have; 422 for a value outside 0–10 or
    a weight that is not positive."""
    if any(item.competency_id not in known for item in values):
        raise NotFound(_("No such competency"))
    errors = []
    if any(not 0 <= item.value <= 10 for item in values):
        errors.append(FieldError(field="value", message=_("from 0 to 10")))
    if weight <= 0:
        errors.append(FieldError(field="source_weight", message=_("greater than 0")))
    if errors:
        raise Unprocessable(_("The evidence is not valid"), errors=errors)


async def replace_source_evidence(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    employee_id: uuid.UUID,
    source_kind: str,
    source_id: uuid.UUID,
    observed_at: datetime,
    values: Sequence[SourceValue],
    source_weight: float = 1.0,
) -> list[uuid.UUID]:
    """Make one source event's evidence about the employee exactly `values`, in the
    caller's transaction: a row per competency recorded or replaced, the event's rows on
    competencies it no longer names removed (a corrected source never leaves stale
    evidence; no values withdraw it), and one profile recompute queued. The rows' ids.
    404 / 422 as `record_evidence`."""
    await people.require_employee(session, org_id, employee_id)
    ids = [item.competency_id for item in values]
    known = await repository.competency_levels(session, org_id, ids) if ids else {}
    _check_values(values, known, source_weight)
    recorded = [
        await repository.upsert_evidence(
            session,
            {
                "org_id": org_id,
                "employee_id": employee_id,
                "competency_id": item.competency_id,
                "value": stored(item.value),
                "source_kind": source_kind,
                "source_id": source_id,
                "observed_at": observed_at,
                "source_weight": source_weight,
                "note": item.note,
            },
        )
        for item in values
    ]
    removed = await repository.delete_source_evidence(
        session, org_id, employee_id, source_kind, source_id, keep=ids
    )
    if recorded or removed:
        outbox.enqueue(session, RECOMPUTE_JOB, {"employee_id": str(employee_id)}, org_id=org_id)
    return recorded


async def record_evidence(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    employee_id: uuid.UUID,
    competency_id: uuid.UUID,
    value: float,
    source_kind: str,
    source_id: uuid.UUID,
    observed_at: datetime,
    source_weight: float = 1.0,
    note: str | None = None,
) -> uuid.UUID:
    """Record (or, for a source event already recorded, replace) one piece of evidence and
    queue the employee's profile recompute, in the caller's transaction. 404 for a
    competency the organization does not have; 422 for an employee it does not have, a value
    outside 0–10 or a weight that is not positive."""
    await people.require_employee(session, org_id, employee_id)
    known = await repository.competency_levels(session, org_id, [competency_id])
    _check_values([SourceValue(competency_id, value)], known, source_weight)
    evidence_id = await repository.upsert_evidence(
        session,
        {
            "org_id": org_id,
            "employee_id": employee_id,
            "competency_id": competency_id,
            "value": stored(value),
            "source_kind": source_kind,
            "source_id": source_id,
            "observed_at": observed_at,
            "source_weight": source_weight,
            "note": note,
        },
    )
    outbox.enqueue(session, RECOMPUTE_JOB, {"employee_id": str(employee_id)}, org_id=org_id)
    return evidence_id


async def require_competencies(
    session: AsyncSession, org_id: uuid.UUID, fields: Mapping[str, uuid.UUID]
) -> None:
    """Competencies named in a request body (field → id), in one statement: 422 naming each
    field whose competency the organization does not have (another organization's
    included, so its ids reveal nothing)."""
    known = await repository.competency_levels(session, org_id, list(set(fields.values())))
    errors = [
        FieldError(field=field, message=_("no such competency"))
        for field, competency_id in fields.items()
        if competency_id not in known
    ]
    if errors:
        raise Unprocessable(_("Unknown competency"), errors=errors)


def _later(moment: datetime, now: datetime) -> bool:
    """Whether `moment` is after `now` (a moment without a zone is taken as UTC, as the
    database takes it)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) > now


async def assess(
    session: AsyncSession, principal: Principal, body: EvidenceIn, clock: Clock
) -> EvidenceOut:
    """A manual assessment by HR (anyone) or a manager or department head (within their
    reach; 404 outside it, 403 on oneself). Audited."""
    await people.ensure_can_manage(session, principal, body.employee_id)
    employee = await people.ensure_can_view(session, principal, body.employee_id)
    now = clock.now()
    if body.observed_at is not None and _later(body.observed_at, now):
        message = _("must not be in the future")
        raise Unprocessable(
            _("The evidence is not valid"),
            errors=[FieldError(field="observed_at", message=message)],
        )
    observed_at = body.observed_at or now
    source_id = uuid.uuid4()
    evidence_id = await record_evidence(
        session,
        principal.org_id,
        employee_id=employee.id,
        competency_id=body.competency_id,
        value=body.value,
        source_kind=MANUAL,
        source_id=source_id,
        observed_at=observed_at,
        note=body.note,
    )
    names = await repository.competency_levels(session, principal.org_id, [body.competency_id])
    audit.record(
        session,
        principal,
        "competency_evidence.recorded",
        "employee",
        employee.id,
        org_id=principal.org_id,
        after={
            "evidence_id": str(evidence_id),
            "competency_id": str(body.competency_id),
            "value": stored(body.value),
            "note": body.note,
        },
    )
    return EvidenceOut.model_validate(
        {
            "id": evidence_id,
            "employee_id": employee.id,
            "employee": {"id": employee.id, "name": employee.full_name},
            "competency_id": body.competency_id,
            "competency": {"id": body.competency_id, "name": names[body.competency_id][0]},
            "value": stored(body.value),
            "source_kind": MANUAL,
            "source_id": source_id,
            "source_weight": 1.0,
            "observed_at": observed_at,
            "note": body.note,
        }
    )


async def competency_named(session: AsyncSession, org_id: uuid.UUID, name: str) -> uuid.UUID | None:
    """The organization's competency of this name (names are unique per organization), for
    sources that a setting points at a competency; `None` when it has none."""
    found = await session.execute(
        select(Competency.id).where(Competency.org_id == org_id, Competency.name == name)
    )
    return found.scalar_one_or_none()

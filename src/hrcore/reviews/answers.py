"""Rater work: a rater reads their assignments, saves drafts and submits (final unless HR
reopens: `oversight`). Each answer must fit its indicator; answering after submitting or
after the cycle closed is 409. Someone else's assignment does not exist (404).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.files import api as files
from hrcore.people import api as people
from hrcore.reviews import access, repository
from hrcore.reviews.models import ReviewAssignment, ReviewCycle
from hrcore.reviews.schemas import (
    ANSWERS,
    INDICATORS,
    AnswersIn,
    AssignmentOut,
    Indicator,
    IndicatorAnswer,
)
from hrcore.workflow import api as workflow


async def assignment_views(
    session: AsyncSession,
    org_id: uuid.UUID,
    assignments: Sequence[ReviewAssignment],
    *,
    known_cycles: Sequence[ReviewCycle] = (),
) -> list[AssignmentOut]:
    """The views of `assignments`; `known_cycles`, already read by a write, are not read again."""
    cycles = {cycle.id: cycle for cycle in known_cycles}
    missing = list({a.cycle_id for a in assignments} - cycles.keys())
    if missing:
        cycles.update(await repository.cycles_by_ids(session, org_id, missing))
    participants = await repository.participants_by_ids(
        session, org_id, list({a.participant_id for a in assignments})
    )
    names = await people.employee_summaries(
        session, org_id, [p.employee_id for p in participants.values()]
    )
    attached = await files.attachments_of(
        session, org_id, access.FILES_SUBJECT, [a.id for a in assignments]
    )
    views = []
    for a in assignments:
        cycle, participant = cycles[a.cycle_id], participants[a.participant_id]
        views.append(
            AssignmentOut(
                id=a.id,
                cycle_id=a.cycle_id,
                cycle=Ref(id=cycle.id, name=cycle.name),
                participant_id=a.participant_id,
                participant=names[participant.employee_id].ref,
                relationship=a.relationship,
                status=a.status,
                due_on=cycle.due_on,
                indicators=form_indicators(cycle),
                answers=ANSWERS.validate_python(a.answers),
                comment=a.comment,
                evidence=a.evidence,
                attachments=attached[a.id],
                task_id=a.task_id,
                submitted_at=a.submitted_at,
                version=a.version,
            )
        )
    return views


_PARSED: dict[uuid.UUID, list[Indicator]] = {}
PARSED_FORMS_KEPT = 256


def form_indicators(cycle: ReviewCycle) -> list[Indicator]:
    """The cycle's indicators, parsed once per process: a cycle's form is copied when the
    cycle is created and never changes, and every save, submit and read of an answer shows
    or checks it (20 indicators took ~5 % of a submission's CPU to parse)."""
    parsed = _PARSED.get(cycle.id)
    if parsed is None:
        if len(_PARSED) >= PARSED_FORMS_KEPT:
            _PARSED.clear()
        parsed = _PARSED[cycle.id] = INDICATORS.validate_python(cycle.form["indicators"])
    return parsed


async def list_my_assignments(
    session: AsyncSession, principal: Principal, page: PageParams, *, status: str | None
) -> tuple[list[ReviewAssignment], str | None]:
    if principal.employee_id is None:
        return [], None
    statement = repository.assignments_query(
        principal.org_id, rater_employee_id=principal.employee_id, status=status
    )
    return await paginate(session, statement, [ReviewAssignment.id], page)


async def get_assignment(
    session: AsyncSession, principal: Principal, assignment_id: uuid.UUID
) -> ReviewAssignment:
    return await access.own_assignment(session, principal, assignment_id)


def _check_answers(indicators: Sequence[Indicator], answers: dict[str, IndicatorAnswer]) -> None:
    by_key = {indicator.key: indicator for indicator in indicators}
    errors = []
    for key, answer in answers.items():
        indicator = by_key.get(key)
        field = f"answers.{key}"
        if indicator is None:
            errors.append(FieldError(field=field, message=_("not an indicator of this form")))
        elif indicator.kind == "qualitative":
            scale = indicator.scale
            assert scale is not None
            if answer.score is None or not scale.min <= answer.score <= scale.max:
                errors.append(
                    FieldError(
                        field=f"{field}.score",
                        message=_("between {min} and {max}", min=scale.min, max=scale.max),
                    )
                )
        elif answer.actual is None or answer.actual < 0:
            errors.append(FieldError(field=f"{field}.actual", message=_("the actual result, ≥ 0")))
    if errors:
        raise Unprocessable(_("Some answers do not fit the form"), errors=errors)


async def _writable(
    session: AsyncSession, principal: Principal, assignment_id: uuid.UUID
) -> tuple[ReviewAssignment, ReviewCycle]:
    assignment = await access.own_assignment(session, principal, assignment_id, for_update=True)
    cycle = await repository.cycle_by_id(session, principal.org_id, assignment.cycle_id)
    assert cycle is not None
    if cycle.status != "open":
        raise Conflict(_("The cycle is {status}", status=label(cycle.status)))
    if assignment.status == "submitted":
        raise Conflict(_("This assignment is submitted; HR can reopen it"))
    return assignment, cycle


async def save_answers(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    body: AnswersIn,
    *,
    if_match: str | None,
) -> tuple[ReviewAssignment, ReviewCycle]:
    """Save a draft (partial answers allowed, each must fit the form); the assignment and its
    cycle."""
    assignment, cycle = await _writable(session, principal, assignment_id)
    check_version(assignment.version, if_match=if_match, body_version=body.version)
    _check_answers(form_indicators(cycle), body.answers)
    assignment.answers = {k: v.model_dump(mode="json") for k, v in body.answers.items()}
    assignment.comment = body.comment
    assignment.evidence = [e.model_dump(mode="json") for e in body.evidence]
    await files.attach(
        session,
        org_id=assignment.org_id,
        refs=body.attachments,
        employee_id=assignment.rater_employee_id,
        subject_type=access.FILES_SUBJECT,
        subject_id=assignment.id,
        field="attachments",
    )
    assignment.status = "draft"
    await session.flush()
    return assignment, cycle


async def submit_answers(
    session: AsyncSession, principal: Principal, assignment_id: uuid.UUID, clock: Clock
) -> tuple[ReviewAssignment, ReviewCycle]:
    """Make the saved answers final and complete the rater's task; the assignment and its
    cycle."""
    assignment, cycle = await _writable(session, principal, assignment_id)
    if not assignment.answers:
        raise Unprocessable(
            _("Answer at least one indicator before submitting"),
            errors=[FieldError(field="answers", message=_("empty"))],
        )
    assignment.status, assignment.submitted_at = "submitted", clock.now()
    await session.flush()
    if assignment.task_id is not None:
        await workflow.complete_task(
            session,
            org_id=assignment.org_id,
            task_id=assignment.task_id,
            clock=clock,
            actor=principal,
        )
    audit.record(
        session,
        principal,
        "review_assignment.submitted",
        "review_assignment",
        assignment.id,
        org_id=assignment.org_id,
        after={"relationship": assignment.relationship},
    )
    return assignment, cycle

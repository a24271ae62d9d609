"""Outcomes of stretch assignments, and reading an assignment with its people.

An outcome is about one assignee: named figures (revenue delivered, customers won), the
supervisor's rating of every competency the assignment develops, and optionally peers'
ratings. Peers follow the reviews' anonymity rule: a competency's peer ratings count only
when at least `review_anonymity_threshold` peers answered, and only their mean is kept —
never a single answer, never who. Per competency the supervisor's rating and the peers' mean
combine by `stretch_outcome_weights` into the evidence recorded through `record_evidence`
(kind `stretch_assignment`, one source event per assignee), so the profile moves in the
worker. Recording again replaces the outcome and its evidence (audited as a correction),
never adds to it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from statistics import fmean
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import (
    repository,
    stretch,
    stretch_access,
    stretch_assigning,
    stretch_repository,
)
from hrcore.competencies.evidence import record_evidence
from hrcore.competencies.models import StretchAssignee, StretchAssignment, StretchOutcome
from hrcore.competencies.stretch_schemas import (
    OutcomeIn,
    OutcomeOut,
    StretchAssignmentDetailOut,
)
from hrcore.core import audit, events
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.scoring import weighted_mean
from hrcore.people import api as people
from hrcore.settings import Settings
from hrcore.webhooks import api as webhooks
from hrcore.workflow import api as workflow

SOURCE_KIND = "stretch_assignment"
OUTCOME_RECORDED = "stretch_assignment.outcome_recorded"
"""The domain event (`core.events`) each recording announces, ids only."""


def _invalid(errors: list[FieldError]) -> Unprocessable:
    return Unprocessable(_("The outcome is not valid"), errors=errors)


def _check_rated(body: OutcomeIn, developed: list[uuid.UUID]) -> None:
    """Every developed competency rated once; peers only on developed ones, once each."""
    errors: list[FieldError] = []
    named: list[tuple[str, list[uuid.UUID]]] = [
        ("ratings", [item.competency_id for item in body.ratings]),
        ("peer_feedback", [item.competency_id for item in body.peer_feedback]),
    ]
    for name, competency_ids in named:
        seen: set[uuid.UUID] = set()
        for index, competency_id in enumerate(competency_ids):
            field = f"{name}.{index}.competency_id"
            if competency_id not in developed:
                message = _("not a competency this assignment develops")
                errors.append(FieldError(field=field, message=message))
            elif competency_id in seen:
                errors.append(FieldError(field=field, message=_("named twice")))
            seen.add(competency_id)
    rated = {item.competency_id for item in body.ratings}
    if not errors and rated != set(developed):
        message = _("rate every competency the assignment develops")
        errors.append(FieldError(field="ratings", message=message))
    if errors:
        raise _invalid(errors)


def _lines(body: OutcomeIn, developed: list[uuid.UUID], settings: Settings) -> list[dict[str, Any]]:
    """Per developed competency: the supervisor's rating, the peers' mean and count when
    enough answered (else neither), and the evidence value both make."""
    ratings = {item.competency_id: item.rating for item in body.ratings}
    peers = {item.competency_id: item.ratings for item in body.peer_feedback}
    threshold = settings.review_anonymity_threshold
    weights = {str(key): value for key, value in settings.stretch_outcome_weights.items()}
    lines = []
    for competency_id in developed:
        answers = peers.get(competency_id, [])
        shown = len(answers) >= threshold
        parts = {"supervisor": ratings[competency_id]}
        if shown:
            parts["peers"] = round(fmean(answers), 2)
        value = weighted_mean(parts, weights)
        lines.append(
            {
                "competency_id": str(competency_id),
                "supervisor_rating": ratings[competency_id],
                "peer_mean": parts.get("peers"),
                "peer_count": len(answers) if shown else None,
                "evidence": round(value if value is not None else parts["supervisor"], 2),
            }
        )
    return lines


async def _may_record(
    session: AsyncSession, principal: Principal, assignee: StretchAssignee
) -> None:
    """The assignee's supervisor, or who manages the assignee (HR, their managers, their
    department head); 403 on oneself, 404 outside reach."""
    if principal.employee_id is not None and principal.employee_id == assignee.supervisor_id:
        return
    await people.ensure_can_manage(session, principal, assignee.employee_id)


async def record(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    body: OutcomeIn,
    clock: Clock,
    settings: Settings,
) -> OutcomeOut:
    """Record (or correct) one assignee's outcome: evidence per developed competency, the
    outcome task completed, a webhook event and a domain event. Audited."""
    assignment = await stretch_access.readable_assignment(session, principal, assignment_id)
    assignee = await stretch_repository.assignee_of(
        session, principal.org_id, assignment.id, body.employee_id
    )
    if assignee is None:
        message = _("not on this stretch assignment")
        raise _invalid([FieldError(field="employee_id", message=message)])
    await _may_record(session, principal, assignee)
    developed = [uuid.UUID(entry["competency_id"]) for entry in assignment.competencies]
    _check_rated(body, developed)
    lines = _lines(body, developed, settings)
    now = clock.now()
    note = _evidence_note(assignment, body)
    for line in lines:
        await record_evidence(
            session,
            principal.org_id,
            employee_id=assignee.employee_id,
            competency_id=uuid.UUID(line["competency_id"]),
            value=line["evidence"],
            source_kind=SOURCE_KIND,
            source_id=assignee.id,
            observed_at=now,
            note=note,
        )
    await stretch_repository.drop_evidence_except(
        session,
        principal.org_id,
        source_kind=SOURCE_KIND,
        source_id=assignee.id,
        competency_ids=developed,
    )
    outcome, before = await _store(session, principal, assignee, body, lines)
    assignee.status = "completed"
    await session.flush()
    await _complete_outcome_task(session, principal, assignee, clock)
    corrected = before is not None
    audit.record(
        session,
        principal,
        "stretch_assignment.outcome_corrected"
        if corrected
        else "stretch_assignment.outcome_recorded",
        "stretch_assignment",
        assignment.id,
        org_id=principal.org_id,
        before=before,
        after=_state(outcome),
    )
    await _announce(session, assignment, assignee, outcome, corrected)
    await session.refresh(outcome)
    names = await people.employee_refs(session, principal.org_id, [assignee.employee_id])
    [view] = await outcome_views(session, principal.org_id, [(assignee, outcome)], names)
    return OutcomeOut.model_validate(view)


def _evidence_note(assignment: StretchAssignment, body: OutcomeIn) -> str:
    """What the evidence says of its source: the assignment and the figures delivered."""
    figures = "; ".join(
        f"{figure.name}: {figure.value:g}{' ' + figure.unit if figure.unit else ''}"
        for figure in body.figures
    )
    return f"{assignment.title} ({figures})" if figures else assignment.title


def _state(outcome: StretchOutcome) -> dict[str, Any]:
    return {
        "assignee_id": str(outcome.assignee_id),
        "figures": outcome.figures,
        "competencies": outcome.competencies,
        "note": outcome.note,
        "recorded_times": outcome.recorded_times,
    }


async def _store(
    session: AsyncSession,
    principal: Principal,
    assignee: StretchAssignee,
    body: OutcomeIn,
    lines: list[dict[str, Any]],
) -> tuple[StretchOutcome, dict[str, Any] | None]:
    """The outcome row, new or replaced; what it held before when replaced."""
    figures = [figure.model_dump() for figure in body.figures]
    outcome = await stretch_repository.outcome_of(session, principal.org_id, assignee.id)
    if outcome is None:
        outcome = StretchOutcome(
            org_id=principal.org_id,
            assignee_id=assignee.id,
            figures=figures,
            competencies=lines,
            note=body.note,
            recorded_by=principal.id,
            recorded_times=1,
        )
        session.add(outcome)
        await session.flush()
        return outcome, None
    before = _state(outcome)
    outcome.figures, outcome.competencies, outcome.note = figures, lines, body.note
    outcome.recorded_by = principal.id
    outcome.recorded_times += 1
    await session.flush()
    return outcome, before


async def _complete_outcome_task(
    session: AsyncSession, principal: Principal, assignee: StretchAssignee, clock: Clock
) -> None:
    """The supervisor's outcome task is done once an outcome exists (a correction finds it
    done already)."""
    task_id = assignee.task_ids[-1]
    if await workflow.task_status(session, principal.org_id, task_id) == "open":
        await workflow.complete_task(
            session, org_id=principal.org_id, task_id=task_id, clock=clock, actor=principal
        )


async def _announce(
    session: AsyncSession,
    assignment: StretchAssignment,
    assignee: StretchAssignee,
    outcome: StretchOutcome,
    corrected: bool,
) -> None:
    ids = {
        "assignment_id": str(assignment.id),
        "assignee_id": str(assignee.id),
        "employee_id": str(assignee.employee_id),
        "outcome_id": str(outcome.id),
    }
    events.emit(session, OUTCOME_RECORDED, ids, org_id=assignment.org_id)
    await webhooks.publish(
        session,
        org_id=assignment.org_id,
        event_type=webhooks.EventType.STRETCH_ASSIGNMENT_OUTCOME_RECORDED,
        payload=ids
        | {
            "department_id": str(assignment.department_id),
            "corrected": corrected,
            "figures": outcome.figures,
            "competencies": [
                {"competency_id": line["competency_id"], "evidence": line["evidence"]}
                for line in outcome.competencies
            ],
        },
    )


async def outcome_required(
    session: AsyncSession, task: workflow.TaskInfo, submission: workflow.Submission | None
) -> None:
    """The outcome task closes by recording the outcome, which the task cannot carry."""
    if await stretch_repository.outcome_of(session, task.org_id, task.subject_id) is None:
        assignee = await session.get(StretchAssignee, task.subject_id)
        assignment_id = assignee.assignment_id if assignee is not None else task.subject_id
        raise Unprocessable(
            _(
                "Record the outcome itself: POST /stretch-assignments/{id}/outcomes",
                id=assignment_id,
            ),
            errors=[FieldError(field="task", message=_("completed by recording the outcome"))],
        )


async def outcome_views(
    session: AsyncSession,
    org_id: uuid.UUID,
    pairs: Sequence[tuple[StretchAssignee, StretchOutcome]],
    employees: dict[uuid.UUID, Any],
) -> list[dict[str, Any]]:
    """Outcomes with their names (`employees` links the assignees): one statement for the
    competencies' names, whatever their number."""
    competency_ids = {
        uuid.UUID(line["competency_id"]) for _, outcome in pairs for line in outcome.competencies
    }
    names = await repository.competency_levels(session, org_id, list(competency_ids))
    return [
        {
            "id": outcome.id,
            "assignment_id": assignee.assignment_id,
            "employee_id": assignee.employee_id,
            "employee": employees[assignee.employee_id],
            "figures": outcome.figures,
            "competencies": [
                line
                | {
                    "competency": {
                        "id": line["competency_id"],
                        "name": names.get(uuid.UUID(line["competency_id"]), ("", 0))[0],
                    }
                }
                for line in outcome.competencies
            ],
            "note": outcome.note,
            "recorded_times": outcome.recorded_times,
            "created_at": outcome.created_at,
            "updated_at": outcome.updated_at,
        }
        for assignee, outcome in pairs
    ]


async def read(
    session: AsyncSession, principal: Principal, assignment_id: uuid.UUID
) -> StretchAssignmentDetailOut:
    """The assignment with its people for whoever reads its department; an outcome only for
    who may see the assignee (themself, their managers, department head, HR) and their
    supervisor."""
    assignment = await stretch_access.readable_assignment(session, principal, assignment_id)
    assignees = await stretch_repository.assignees_of(session, principal.org_id, assignment.id)
    reach = await people.visible_employee_ids(session, principal) if assignees else None
    visible = set(reach) if reach is not None else None
    shown = [
        row
        for row in assignees
        if visible is None
        or row.employee_id in visible
        or row.supervisor_id == principal.employee_id
    ]
    found = await stretch_repository.outcomes_of(
        session, principal.org_id, [row.id for row in shown]
    )
    pairs = [(row, found[row.id]) for row in shown if row.id in found]
    names = await stretch_assigning.people_names(session, principal.org_id, assignees)
    views = await outcome_views(session, principal.org_id, pairs, names) if pairs else []
    outcomes = {assignee.id: view for (assignee, _), view in zip(pairs, views, strict=True)}
    [view] = await stretch.views(session, principal.org_id, [assignment])
    view["assignees"] = stretch_assigning.assignee_views(assignees, names, outcomes)
    return StretchAssignmentDetailOut.model_validate(view)

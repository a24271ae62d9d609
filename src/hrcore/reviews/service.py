"""Reviews and 360: templates, cycles, rater work, aggregation and results.

Flow: HR builds a template (weights checked), creates a cycle from it (the form is copied,
so later template edits never reach a running cycle), adds participants and opens it —
each participant gets a self assignment, one for their manager, their peers (same manager,
or nominated: `nominations`) and their direct reports, each a task with the cycle's due date
through the tasks engine. Raters save drafts and submit (final unless HR reopens:
`oversight`). Closing enqueues one aggregation; the worker computes each participant's
result with `core.scoring`. Published results can be appealed (`appeals`).

Anonymity is a property of the stored result, not of a view: aggregation leaves a peer or
subordinate group with fewer answers than the threshold out of every figure (scores, rater
counts, comments; the relationship weights renormalised over the groups that remain) and
records only which groups it withheld. Every reader — result views, dossiers, progress,
calibration, appeals — reads that result; only HR's audited raw access (`oversight`) sees
individual answers. Peer and subordinate rater tasks are confidential (workflow).
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, outbox, scoring
from hrcore.core.authz import Principal, Scope, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.db import insert_all, insert_new
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.models import new_id
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.identity import service as identity
from hrcore.notifications import service as notifications
from hrcore.org import service as org
from hrcore.people import service as people
from hrcore.reviews import repository
from hrcore.reviews.models import (
    ReviewAssignment,
    ReviewCycle,
    ReviewParticipant,
    ReviewResult,
    ReviewTemplate,
)
from hrcore.reviews.schemas import (
    Adjustment,
    AnswersIn,
    AssignmentOut,
    Calibration,
    CycleIn,
    CycleKind,
    CycleOut,
    GroupScore,
    Indicator,
    IndicatorAnswer,
    IndicatorResult,
    KindWeights,
    MinRaters,
    ParticipantQuery,
    ParticipantsAdded,
    ParticipantsIn,
    RecommendationIn,
    ResultOut,
    TemplateIn,
    TemplateOut,
    TemplatePatch,
)
from hrcore.workflow import api as workflow
from hrcore.workflow.api import Submission, Task

AGGREGATE_JOB = "reviews.aggregate"
TASK_KIND = "review.rate"
SUBJECT = "review_assignment"
ANONYMOUS = frozenset({"peer", "subordinate"})
INDICATORS = TypeAdapter(list[Indicator])
ANSWERS = TypeAdapter(dict[str, IndicatorAnswer])
RESULT_BATCH = 1000
RESULTS_SCOPE = Scope.RATINGS_READ
"""A review result is a rating: integration keys read cycles and their results with
`ratings:read`, in the view managers get (anonymous groups below the threshold left out, no
calibration notes). Templates, progress, assignments, nominations and appeals stay closed to
keys; review tasks in `/tasks` are `reviews:read`."""
MAX_BY_QUERY = 20_000
Scorer = Callable[[dict[str, Any]], float | None]


# --- templates ----------------------------------------------------------------------------


def _require_reader(principal: Principal, *, key_scope: Scope | None = None) -> None:
    """HR admins and department heads; integration keys only for a read that names the scope
    it needs (`key_scope`), when they hold it."""
    if principal.kind == "api_key":
        principal.require_key_scope(key_scope)
        return
    if not (principal.is_hr_admin or principal.is_dept_head):
        raise Forbidden("Only HR admins and department heads read review setups")


def template_view(template: ReviewTemplate) -> TemplateOut:
    return TemplateOut.model_validate(
        {
            "id": template.id,
            "name": template.name,
            "indicators": template.indicators,
            "kind_weights": template.kind_weights,
            "department_overrides": template.department_overrides,
            "revision": template.revision,
            "created_at": template.created_at,
            "updated_at": template.updated_at,
            "version": template.version,
        }
    )


async def _template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ReviewTemplate:
    _require_reader(principal)
    template = await repository.template_by_id(session, principal.org_id, template_id)
    if template is None:
        raise NotFound("No such review template")
    return template


async def list_templates(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ReviewTemplate], str | None]:
    _require_reader(principal)
    statement = repository.templates_query(principal.org_id)
    return await paginate(session, statement, [ReviewTemplate.id], page)


async def get_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> ReviewTemplate:
    return await _template(session, principal, template_id)


async def _check_template(
    session: AsyncSession, org_id: uuid.UUID, body: TemplateIn, template_id: uuid.UUID | None
) -> None:
    same = await repository.template_by_name(session, org_id, body.name)
    if same is not None and same.id != template_id:
        raise Conflict(f"A review template named {body.name!r} exists")
    for index, override in enumerate(body.department_overrides):
        await org.require_department(
            session, org_id, override.department_id, f"department_overrides.{index}.department_id"
        )


def _content(body: TemplateIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "indicators": [i.model_dump(mode="json") for i in body.indicators],
        "kind_weights": body.kind_weights.model_dump(mode="json"),
        "department_overrides": [o.model_dump(mode="json") for o in body.department_overrides],
    }


async def create_template(
    session: AsyncSession, principal: Principal, body: TemplateIn
) -> ReviewTemplate:
    require_hr_admin(principal)
    await _check_template(session, principal.org_id, body, None)
    template = ReviewTemplate(org_id=principal.org_id, revision=1, **_content(body))
    session.add(template)
    await session.flush()
    audit.record(
        session,
        principal,
        "review_template.created",
        "review_template",
        template.id,
        org_id=principal.org_id,
        after=_content(body),
    )
    return template


async def update_template(
    session: AsyncSession,
    principal: Principal,
    template_id: uuid.UUID,
    body: TemplatePatch,
    *,
    if_match: str | None,
) -> ReviewTemplate:
    """Replace the form; running cycles keep the copy they started with."""
    require_hr_admin(principal)
    template = await _template(session, principal, template_id)
    check_version(template.version, if_match=if_match, body_version=body.version)
    await _check_template(session, principal.org_id, body, template.id)
    before = {k: getattr(template, k) for k in _content(body)}
    for name, value in _content(body).items():
        setattr(template, name, value)
    template.revision += 1
    await session.flush()
    await session.refresh(template)
    old, new = audit.changes(before, _content(body))
    audit.record(
        session,
        principal,
        "review_template.updated",
        "review_template",
        template.id,
        org_id=principal.org_id,
        before=old,
        after=new | {"revision": template.revision},
    )
    return template


# --- cycles -------------------------------------------------------------------------------


async def cycle_views(session: AsyncSession, cycles: Sequence[ReviewCycle]) -> list[CycleOut]:
    if not cycles:
        return []
    counts = await repository.participant_counts(session, cycles[0].org_id, [c.id for c in cycles])
    return [
        CycleOut(
            id=c.id,
            name=c.name,
            kind=c.kind,
            template_id=c.template_id,
            template_revision=c.template_revision,
            relationship_weights=c.relationship_weights,
            starts_on=c.starts_on,
            due_on=c.due_on,
            status=c.status,
            participants=counts.get(c.id, 0),
            peer_nomination=c.peer_nomination,
            min_raters=MinRaters.model_validate(c.min_raters),
            opened_at=c.opened_at,
            closed_at=c.closed_at,
            version=c.version,
        )
        for c in cycles
    ]


async def _cycle(
    session: AsyncSession,
    principal: Principal,
    cycle_id: uuid.UUID,
    *,
    for_update: bool = False,
    key_scope: Scope | None = None,
) -> ReviewCycle:
    _require_reader(principal, key_scope=key_scope)
    cycle = await repository.cycle_by_id(session, principal.org_id, cycle_id, for_update=for_update)
    if cycle is None:
        raise NotFound("No such review cycle")
    return cycle


async def list_cycles(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ReviewCycle], str | None]:
    _require_reader(principal, key_scope=RESULTS_SCOPE)
    return await paginate(
        session, repository.cycles_query(principal.org_id), [ReviewCycle.id], page
    )


async def get_cycle(
    session: AsyncSession, principal: Principal, cycle_id: uuid.UUID
) -> ReviewCycle:
    return await _cycle(session, principal, cycle_id, key_scope=RESULTS_SCOPE)


def _new_cycle(org_id: uuid.UUID, template: ReviewTemplate, body: CycleIn) -> ReviewCycle:
    """A draft cycle on a copy of the template's current form."""
    return ReviewCycle(
        org_id=org_id,
        name=body.name,
        kind=body.kind,
        template_id=template.id,
        template_revision=template.revision,
        form={
            "indicators": template.indicators,
            "kind_weights": template.kind_weights,
            "department_overrides": template.department_overrides,
        },
        relationship_weights=body.relationship_weights.as_dict(),
        peer_nomination=body.peer_nomination,
        min_raters=body.min_raters.model_dump(),
        starts_on=body.starts_on,
        due_on=body.due_on,
        status="draft",
    )


async def create_cycle(session: AsyncSession, principal: Principal, body: CycleIn) -> ReviewCycle:
    """A cycle on a copy of the template's current form."""
    require_hr_admin(principal)
    template = await repository.template_by_id(session, principal.org_id, body.template_id)
    if template is None:
        raise Unprocessable(
            "Unknown review template",
            errors=[FieldError(field="template_id", message="no such template")],
        )
    cycle = _new_cycle(principal.org_id, template, body)
    session.add(cycle)
    await session.flush()
    audit.record(
        session,
        principal,
        "review_cycle.created",
        "review_cycle",
        cycle.id,
        org_id=principal.org_id,
        after={"name": body.name, "kind": body.kind, "template_revision": template.revision},
    )
    return cycle


async def add_participants(
    session: AsyncSession, principal: Principal, cycle_id: uuid.UUID, body: ParticipantsIn
) -> ParticipantsAdded:
    """Add employees by hand and/or a department subtree (draft cycles; repeats ignored)."""
    require_hr_admin(principal)
    cycle = await _cycle(session, principal, cycle_id, for_update=True)
    if cycle.status != "draft":
        raise Conflict("Participants are added before the cycle opens")
    if not body.employee_ids and body.department_id is None and body.query is None:
        raise Unprocessable(
            "Name employees, a department or a query",
            errors=[FieldError(field="employee_ids", message="or department_id, or query")],
        )
    wanted = list(body.employee_ids)
    if body.department_id is not None:
        await org.require_department(session, principal.org_id, body.department_id)
        wanted += await people.active_employees_in_subtree(
            session, principal.org_id, body.department_id
        )
    if body.query is not None:
        wanted += await _matching(session, principal, body.query)
    found = await people.employee_summaries(session, principal.org_id, wanted)
    missing = [
        str(i) for i in dict.fromkeys(wanted) if i not in found or found[i].status == "exited"
    ]
    if missing:
        raise Unprocessable(
            "Some employees are unknown or have left",
            errors=[FieldError(field="employee_ids", message=", ".join(missing[:20]))],
        )
    rows = [
        {
            "org_id": principal.org_id,
            "cycle_id": cycle.id,
            "employee_id": e.ref.id,
            "department_id": e.department_id,
        }
        for e in found.values()
    ]
    added = await insert_new(
        session,
        ReviewParticipant,
        rows,
        unique=["org_id", "cycle_id", "employee_id"],
        returning=[ReviewParticipant.id],
    )
    counts = await repository.participant_counts(session, principal.org_id, [cycle.id])
    total = counts.get(cycle.id, 0)
    audit.record(
        session,
        principal,
        "review_cycle.participants_added",
        "review_cycle",
        cycle.id,
        org_id=cycle.org_id,
        after={"added": len(added), "participants": total},
    )
    return ParticipantsAdded(added=len(added), participants=total)


async def _matching(
    session: AsyncSession, principal: Principal, query: ParticipantQuery
) -> list[uuid.UUID]:
    """The active employees a people list with this query shows (422 beyond the cap)."""
    if query.department_id is not None:
        await org.require_department(session, principal.org_id, query.department_id)
    filters = people.EmployeeFilters(
        status="active",
        department_id=query.department_id,
        include_subtree=query.include_subtree,
        manager_id=query.manager_id,
        position_id=query.position_id,
        q=query.q,
    )
    found = await people.matching_employee_ids(session, principal, filters, limit=MAX_BY_QUERY + 1)
    if len(found) > MAX_BY_QUERY:
        raise Unprocessable(
            f"The query matches more than {MAX_BY_QUERY} people: narrow it",
            errors=[FieldError(field="query", message=f"over {MAX_BY_QUERY} matches")],
        )
    return found


def _raters(
    employee_id: uuid.UUID, team: people.Team | None, peers_nominated: bool
) -> list[tuple[uuid.UUID, str]]:
    """Self, the manager, the peers (unless the participant nominates them) and reports."""
    pairs = [(employee_id, "self")]
    if team is not None:
        if team.manager_id is not None:
            pairs.append((team.manager_id, "supervisor"))
        if not peers_nominated:
            pairs += [(peer, "peer") for peer in team.peers]
        pairs += [(report, "subordinate") for report in team.reports]
    return pairs


async def open_cycle(
    session: AsyncSession, principal: Principal, cycle_id: uuid.UUID, clock: Clock
) -> ReviewCycle:
    """Create every rater assignment and its task (self, supervisor, peers, reports)."""
    require_hr_admin(principal)
    cycle = await _cycle(session, principal, cycle_id, for_update=True)
    if cycle.status != "draft":
        raise Conflict(f"The cycle is {cycle.status}")
    members = await repository.participants(session, principal.org_id, cycle.id)
    if not members:
        raise Unprocessable(
            "A cycle needs participants before it opens",
            errors=[FieldError(field="participants", message="none added")],
        )
    return await _open(session, principal, cycle, members, clock)


@dataclass(frozen=True)
class Rating:
    """One rater asked to review one participant."""

    member: ReviewParticipant
    rater: uuid.UUID
    relationship: str
    participant_name: str


async def assign(
    session: AsyncSession,
    cycle: ReviewCycle,
    member: ReviewParticipant,
    rater: uuid.UUID,
    relationship: str,
    participant_name: str,
    *,
    actor: Principal | None,
) -> None:
    """One rater's assignment on one participant, with its task due with the cycle."""
    rating = Rating(member, rater, relationship, participant_name)
    await assign_many(session, cycle, [rating], actor=actor)


async def assign_many(
    session: AsyncSession,
    cycle: ReviewCycle,
    ratings: Sequence[Rating],
    *,
    actor: Principal | None,
) -> None:
    """Rater assignments with their tasks, all due with the cycle, in a few statements.

    Tasks are created first, so each assignment row is inserted with its `task_id`.
    """
    if not ratings:
        return
    assignment_ids = [new_id() for _ in ratings]
    task_ids = await workflow.create_tasks(
        session,
        org_id=cycle.org_id,
        tasks=[
            workflow.NewTask(
                subject_type=SUBJECT,
                subject_id=assignment_id,
                kind=TASK_KIND,
                assignee_employee_id=rating.rater,
                title=_task_title(cycle, rating.relationship, rating.participant_name),
                due=cycle.due_on,
                confidential=rating.relationship in ANONYMOUS,
            )
            for rating, assignment_id in zip(ratings, assignment_ids, strict=True)
        ],
        actor=actor,
    )
    await insert_all(
        session,
        ReviewAssignment,
        [
            {
                "id": assignment_id,
                "org_id": cycle.org_id,
                "cycle_id": cycle.id,
                "participant_id": rating.member.id,
                "rater_employee_id": rating.rater,
                "relationship": rating.relationship,
                "status": "pending",
                "answers": {},
                "evidence": [],
                "task_id": task_id,
            }
            for rating, assignment_id, task_id in zip(
                ratings, assignment_ids, task_ids, strict=True
            )
        ],
    )


async def _open(
    session: AsyncSession,
    principal: Principal | None,
    cycle: ReviewCycle,
    members: Sequence[ReviewParticipant],
    clock: Clock,
    *,
    relationships: Collection[str] | None = None,
) -> ReviewCycle:
    teams = await people.teams_of(session, cycle.org_id, [m.employee_id for m in members])
    names = await people.employee_summaries(session, cycle.org_id, [m.employee_id for m in members])
    ratings = [
        Rating(member, rater, relationship, names[member.employee_id].ref.name)
        for member in members
        for rater, relationship in _raters(
            member.employee_id, teams.get(member.employee_id), cycle.peer_nomination
        )
        if relationships is None or relationship in relationships
    ]
    await assign_many(session, cycle, ratings, actor=principal)
    cycle.status, cycle.opened_at = "open", clock.now()
    await session.flush()
    audit.record(
        session,
        principal,
        "review_cycle.opened",
        "review_cycle",
        cycle.id,
        org_id=cycle.org_id,
        after={"participants": len(members)},
    )
    return cycle


async def start_cycle(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    template_id: uuid.UUID,
    name: str,
    kind: CycleKind,
    starts_on: date,
    due_on: date,
    employee_ids: Sequence[uuid.UUID],
    clock: Clock,
    actor: Principal | None = None,
    relationships: Collection[str] | None = None,
) -> ReviewCycle:
    """Create and open a cycle for these employees in one go (programs' review stages);
    `relationships` limits who is asked (a supervisor evaluation: only `supervisor`)."""
    template = await repository.template_by_id(session, org_id, template_id)
    if template is None:
        raise NotFound("No such review template")
    body = CycleIn(
        name=name, kind=kind, template_id=template_id, starts_on=starts_on, due_on=due_on
    )
    cycle = _new_cycle(org_id, template, body)
    session.add(cycle)
    await session.flush()
    summaries = await people.employee_summaries(session, org_id, employee_ids)
    members = [
        ReviewParticipant(
            org_id=org_id, cycle_id=cycle.id, employee_id=e.ref.id, department_id=e.department_id
        )
        for e in summaries.values()
        if e.status != "exited"
    ]
    session.add_all(members)
    await session.flush()
    return await _open(session, actor, cycle, members, clock, relationships=relationships)


def _task_title(cycle: ReviewCycle, relationship: str, participant: str) -> str:
    if relationship == "self":
        return f"{cycle.name}: your self-assessment"
    return f"{cycle.name}: review {participant} ({relationship})"[:200]


async def close_cycle(
    session: AsyncSession, principal: Principal, cycle_id: uuid.UUID, clock: Clock
) -> ReviewCycle:
    """Stop answering, withdraw open rater tasks, queue the aggregation (once)."""
    require_hr_admin(principal)
    cycle = await _cycle(session, principal, cycle_id, for_update=True)
    return await close(session, cycle, clock, actor=principal)


async def close(
    session: AsyncSession, cycle: ReviewCycle, clock: Clock, *, actor: Principal | None = None
) -> ReviewCycle:
    """Close a locked cycle (for other domains too): idempotent, one aggregation."""
    if cycle.status in ("closed", "aggregated"):
        return cycle
    if cycle.status != "open":
        raise Conflict("Only an open cycle can be closed")
    task_ids = await repository.unanswered_task_ids(session, cycle.org_id, cycle.id)
    await workflow.cancel_open_tasks(
        session, org_id=cycle.org_id, task_ids=task_ids, clock=clock, actor=actor
    )
    cycle.status, cycle.closed_at = "closed", clock.now()
    outbox.enqueue(session, AGGREGATE_JOB, {"cycle_id": str(cycle.id)}, org_id=cycle.org_id)
    await session.flush()
    audit.record(
        session,
        actor,
        "review_cycle.closed",
        "review_cycle",
        cycle.id,
        org_id=cycle.org_id,
        after={"unanswered": len(task_ids)},
    )
    return cycle


async def cycle_task_ids(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID
) -> list[uuid.UUID]:
    """The rater tasks of a cycle (for a domain that follows the cycle, like programs)."""
    assignments = await repository.assignments_of_cycle(session, org_id, cycle_id)
    return [a.task_id for a in assignments if a.task_id is not None]


async def close_by_id(
    session: AsyncSession,
    org_id: uuid.UUID,
    cycle_id: uuid.UUID,
    clock: Clock,
    *,
    actor: Principal | None = None,
) -> None:
    """`close` for a domain that keeps only the cycle's id; a cycle that is gone is ignored."""
    cycle = await repository.cycle_by_id(session, org_id, cycle_id, for_update=True)
    if cycle is not None:
        await close(session, cycle, clock, actor=actor)


# --- rater work ---------------------------------------------------------------------------


async def _own_assignment(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> ReviewAssignment:
    """The caller's own assignment; anyone else's is 404, whoever asks."""
    assignment = await repository.assignment_by_id(
        session, principal.org_id, assignment_id, for_update=for_update
    )
    if (
        assignment is None
        or principal.employee_id is None
        or assignment.rater_employee_id != principal.employee_id
    ):
        raise NotFound("No such review assignment")
    return assignment


async def assignment_views(
    session: AsyncSession, org_id: uuid.UUID, assignments: Sequence[ReviewAssignment]
) -> list[AssignmentOut]:
    cycles = await repository.cycles_by_ids(
        session, org_id, list({a.cycle_id for a in assignments})
    )
    participants = await repository.participants_by_ids(
        session, org_id, list({a.participant_id for a in assignments})
    )
    names = await people.employee_summaries(
        session, org_id, [p.employee_id for p in participants.values()]
    )
    views = []
    for a in assignments:
        cycle, participant = cycles[a.cycle_id], participants[a.participant_id]
        views.append(
            AssignmentOut(
                id=a.id,
                cycle_id=a.cycle_id,
                participant_id=a.participant_id,
                participant=names[participant.employee_id].ref,
                relationship=a.relationship,
                status=a.status,
                due_on=cycle.due_on,
                indicators=INDICATORS.validate_python(cycle.form["indicators"]),
                answers=ANSWERS.validate_python(a.answers),
                comment=a.comment,
                evidence=a.evidence,
                task_id=a.task_id,
                submitted_at=a.submitted_at,
                version=a.version,
            )
        )
    return views


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
    return await _own_assignment(session, principal, assignment_id)


def _check_answers(indicators: Sequence[Indicator], answers: dict[str, IndicatorAnswer]) -> None:
    by_key = {indicator.key: indicator for indicator in indicators}
    errors = []
    for key, answer in answers.items():
        indicator = by_key.get(key)
        field = f"answers.{key}"
        if indicator is None:
            errors.append(FieldError(field=field, message="not an indicator of this form"))
        elif indicator.kind == "qualitative":
            scale = indicator.scale
            assert scale is not None
            if answer.score is None or not scale.min <= answer.score <= scale.max:
                errors.append(
                    FieldError(
                        field=f"{field}.score", message=f"between {scale.min} and {scale.max}"
                    )
                )
        elif answer.actual is None or answer.actual < 0:
            errors.append(FieldError(field=f"{field}.actual", message="the actual result, ≥ 0"))
    if errors:
        raise Unprocessable("Some answers do not fit the form", errors=errors)


async def _writable(
    session: AsyncSession, principal: Principal, assignment_id: uuid.UUID
) -> tuple[ReviewAssignment, ReviewCycle]:
    assignment = await _own_assignment(session, principal, assignment_id, for_update=True)
    cycle = await repository.cycle_by_id(session, principal.org_id, assignment.cycle_id)
    assert cycle is not None
    if cycle.status != "open":
        raise Conflict(f"The cycle is {cycle.status}")
    if assignment.status == "submitted":
        raise Conflict("This assignment is submitted; HR can reopen it")
    return assignment, cycle


async def save_answers(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    body: AnswersIn,
    *,
    if_match: str | None,
) -> ReviewAssignment:
    """Save a draft (partial answers allowed, each must fit the form)."""
    assignment, cycle = await _writable(session, principal, assignment_id)
    check_version(assignment.version, if_match=if_match, body_version=body.version)
    _check_answers(INDICATORS.validate_python(cycle.form["indicators"]), body.answers)
    assignment.answers = {k: v.model_dump(mode="json") for k, v in body.answers.items()}
    assignment.comment = body.comment
    assignment.evidence = [e.model_dump(mode="json") for e in body.evidence]
    assignment.status = "draft"
    await session.flush()
    return assignment


async def submit_answers(
    session: AsyncSession, principal: Principal, assignment_id: uuid.UUID, clock: Clock
) -> ReviewAssignment:
    """Make the saved answers final and complete the rater's task."""
    assignment, _ = await _writable(session, principal, assignment_id)
    if not assignment.answers:
        raise Unprocessable(
            "Answer at least one indicator before submitting",
            errors=[FieldError(field="answers", message="empty")],
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
    return assignment


async def _submitted_only(session: AsyncSession, task: Task, submission: Submission | None) -> None:
    """A rater's task closes by submitting the answers, which it cannot carry itself."""
    assignment = await repository.assignment_by_id(session, task.org_id, task.subject_id)
    if assignment is not None and assignment.status != "submitted":
        raise Unprocessable(
            f"Submit the review itself: POST /review-assignments/{assignment.id}/submit",
            errors=[FieldError(field="task", message="completed by submitting the review")],
        )


workflow.register_submission_validator(TASK_KIND, _submitted_only)


# --- aggregation (the worker) -------------------------------------------------------------


def _kind_weights(form: dict[str, Any], path: str | None, paths: dict[str, str]) -> KindWeights:
    """The most specific department override covering `path`, else the form's weights."""
    best: tuple[int, dict[str, Any]] | None = None
    for override in form.get("department_overrides", []):
        prefix = paths.get(str(override["department_id"]))
        if path and prefix and path.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), override["kind_weights"])
    return KindWeights.model_validate(best[1] if best else form["kind_weights"])


def _item_weights(indicators: Sequence[Indicator], kinds: KindWeights) -> dict[str, float]:
    share = {"quantitative": kinds.quantitative, "qualitative": kinds.qualitative}
    return {i.key: share[i.kind] * i.weight / 100 for i in indicators}


def _scorer(indicator: Indicator) -> Scorer:
    """How a stored answer to `indicator` becomes a 0–100 score (built once per cycle; the
    answers were checked against the form when saved)."""
    if indicator.kind == "qualitative":
        low, high = (indicator.scale.min, indicator.scale.max) if indicator.scale else (1, 5)

        def rated(answer: dict[str, Any]) -> float | None:
            value = answer.get("score")
            return None if value is None else scoring.scale_score(value, low=low, high=high)

        return rated
    spec, target = indicator.formula, indicator.target or 0
    if spec is None:
        return lambda answer: None
    formula = scoring.Formula(
        kind=spec.kind,
        cap=spec.cap,
        floor=spec.floor,
        bands=tuple(scoring.Band(b.at_least, b.score) for b in spec.bands),
    )

    def measured(answer: dict[str, Any]) -> float | None:
        actual = answer.get("actual")
        if actual is None:
            return None
        return scoring.formula_score(formula, target=target, actual=actual)

    return measured


def _withheld(answered: Sequence[Any], threshold: int) -> list[str]:
    """The anonymous groups that answered, but fewer than `threshold` of them."""
    counts = Counter(row.relationship for row in answered if row.relationship in ANONYMOUS)
    return sorted(group for group, count in counts.items() if count < threshold)


def _anonymous_cells_shown(ratings: list[scoring.Rating], threshold: int) -> list[scoring.Rating]:
    """Drop an anonymous group's ratings of an indicator fewer than `threshold` of its raters
    rated (answers may be partial: three peers answered, one rated leadership)."""
    cells = Counter((r.group, r.item) for r in ratings if r.group in ANONYMOUS)
    return [r for r in ratings if r.group not in ANONYMOUS or cells[r.group, r.item] >= threshold]


def _result_row(
    cycle: ReviewCycle,
    member: ReviewParticipant,
    answered: Sequence[Any],
    scorers: dict[str, Scorer],
    weights: dict[str, float],
    threshold: int,
) -> dict[str, Any]:
    """One participant's result as every reader but the raw-answer auditor will see it."""
    withheld = _withheld(answered, threshold)
    ratings, comments = [], defaultdict(list)
    for row in answered:
        if row.relationship in withheld:
            continue
        rater = str(row.rater_employee_id)
        for key, answer in row.answers.items():
            scorer = scorers.get(key)
            value = scorer(answer) if scorer is not None else None
            if value is not None:
                ratings.append(scoring.Rating(rater, row.relationship, key, value))
            if answer.get("comment"):
                comments[row.relationship].append(answer["comment"])
        if row.comment:
            comments[row.relationship].append(row.comment)
    result = scoring.aggregate(
        _anonymous_cells_shown(ratings, threshold),
        item_weights=weights,
        group_weights=cycle.relationship_weights,
    )
    return {
        "org_id": cycle.org_id,
        "cycle_id": cycle.id,
        "participant_id": member.id,
        "employee_id": member.employee_id,
        "overall": round(Decimal(result.overall), 2) if result.overall is not None else None,
        "scores": {
            "raters": result.raters,
            "indicators": {
                key: {
                    "score": s.score,
                    "weight": weights[key],
                    "raters": s.raters,
                    "groups": {
                        g: {"score": f.score, "raters": f.raters} for g, f in s.groups.items()
                    },
                }
                for key, s in result.items.items()
            },
            "withheld": withheld,
        },
        "comments": dict(comments),
        "adjustments": [],
        "status": "computed",
        "version": 1,
    }


async def aggregate_cycle(
    session: AsyncSession, org_id: uuid.UUID, cycle_id: uuid.UUID, *, threshold: int
) -> int:
    """Compute every participant's result in batches (idempotent: one result each), with
    the anonymous groups below `threshold` left out (`_result_row`)."""
    cycle = await repository.cycle_by_id(session, org_id, cycle_id, for_update=True)
    if cycle is None or cycle.status != "closed":
        return 0
    indicators = INDICATORS.validate_python(cycle.form["indicators"])
    members = await repository.participants(session, org_id, cycle.id)
    override_ids = [o["department_id"] for o in cycle.form.get("department_overrides", [])]
    paths = await org.department_paths(
        session,
        org_id,
        [uuid.UUID(str(i)) for i in override_ids] + [m.department_id for m in members],
    )
    text_paths = {str(k): v for k, v in paths.items()}
    scorers = {indicator.key: _scorer(indicator) for indicator in indicators}
    made = 0
    for start in range(0, len(members), RESULT_BATCH):
        batch = members[start : start + RESULT_BATCH]
        answered = await repository.submitted_answers(
            session, org_id, cycle.id, [m.id for m in batch]
        )
        by_member: dict[uuid.UUID, list[Any]] = defaultdict(list)
        for row in answered:
            by_member[row.participant_id].append(row)
        rows = [
            _result_row(
                cycle,
                m,
                by_member[m.id],
                scorers,
                _item_weights(
                    indicators, _kind_weights(cycle.form, paths.get(m.department_id), text_paths)
                ),
                threshold,
            )
            for m in batch
        ]
        made += len(
            await insert_new(
                session,
                ReviewResult,
                rows,
                unique=["org_id", "participant_id"],
                returning=[ReviewResult.id],
            )
        )
    cycle.status = "aggregated"
    await session.flush()
    return made


# --- results ------------------------------------------------------------------------------


async def _result(
    session: AsyncSession,
    principal: Principal,
    result_id: uuid.UUID,
    *,
    for_update: bool = False,
    key_scope: Scope | None = None,
) -> ReviewResult:
    """HR any; the employee their own once published; their managers and heads in reach;
    integration keys holding `key_scope` any (a read that names none is closed to keys)."""
    principal.require_key_scope(key_scope)
    result = await repository.result_by_id(
        session, principal.org_id, result_id, for_update=for_update
    )
    if result is None:
        raise NotFound("No such review result")
    if principal.is_hr_admin:
        return result
    if principal.employee_id == result.employee_id:
        if result.status != "published":
            raise NotFound("No such review result")
        return result
    await people.ensure_can_view(session, principal, result.employee_id, key_scope=key_scope)
    return result


def result_view(result: ReviewResult, cycle: ReviewCycle, employee: Ref, *, hr: bool) -> ResultOut:
    """The stored result (anonymous groups below the threshold already left out at
    aggregation), comments unattributed in alphabetical order."""
    names = {i["key"]: i["name"] for i in cycle.form["indicators"]}
    indicators = []
    for key, figure in result.scores.get("indicators", {}).items():
        groups = [
            GroupScore(relationship=g, score=round(v["score"], 2), raters=v["raters"])
            for g, v in sorted(figure["groups"].items())
        ]
        indicators.append(
            IndicatorResult(
                key=key,
                name=names.get(key, key),
                score=round(figure["score"], 2),
                raters=figure["raters"],
                groups=groups,
            )
        )
    computed = float(result.overall) if result.overall is not None else None
    adjusted = float(result.adjusted_overall) if result.adjusted_overall is not None else None
    return ResultOut(
        id=result.id,
        cycle_id=result.cycle_id,
        employee=employee,
        overall=adjusted if adjusted is not None else computed,
        computed_overall=computed,
        raters=result.scores.get("raters", 0),
        indicators=indicators,
        withheld_groups=result.scores.get("withheld", []),
        comments=sorted(text for texts in result.comments.values() for text in texts),
        adjustments=[Adjustment.model_validate(a) for a in result.adjustments] if hr else [],
        status=result.status,
        published_at=result.published_at,
        recommendation=result.recommendation,
        version=result.version,
    )


async def result_views(
    session: AsyncSession, principal: Principal, results: Sequence[ReviewResult]
) -> list[ResultOut]:
    names = await people.employee_summaries(
        session, principal.org_id, [r.employee_id for r in results]
    )
    cycles = await repository.cycles_by_ids(
        session, principal.org_id, list({r.cycle_id for r in results})
    )
    return [
        result_view(
            r,
            cycles[r.cycle_id],
            names[r.employee_id].ref,
            hr=principal.is_hr_admin,
        )
        for r in results
    ]


async def result_in_cycle(
    session: AsyncSession,
    principal: Principal,
    cycle_id: uuid.UUID,
    employee_id: uuid.UUID,
) -> ResultOut | None:
    """An employee's result of one cycle under the usual rules (the employee sees it once
    published; anonymity kept), or None when there is none the caller may see."""
    found = await repository.result_of(session, principal.org_id, cycle_id, employee_id)
    if found is None:
        return None
    try:
        result = await _result(session, principal, found.id)
    except NotFound:
        return None
    [view] = await result_views(session, principal, [result])
    return view


async def get_result(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID, *, for_update: bool = False
) -> ReviewResult:
    """A result to act on (appeals, calibration…): closed to integration keys."""
    return await _result(session, principal, result_id, for_update=for_update)


async def read_result(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID
) -> ReviewResult:
    """A result to read: integration keys need `ratings:read` (see RESULTS_SCOPE)."""
    return await _result(session, principal, result_id, key_scope=RESULTS_SCOPE)


async def list_cycle_results(
    session: AsyncSession, principal: Principal, cycle_id: uuid.UUID, page: PageParams
) -> tuple[list[ReviewResult], str | None]:
    cycle = await _cycle(session, principal, cycle_id, key_scope=RESULTS_SCOPE)
    statement = repository.results_query(
        principal.org_id,
        cycle_id=cycle.id,
        employee_ids=await people.visible_employee_ids(session, principal, key_scope=RESULTS_SCOPE),
    )
    return await paginate(session, statement, [ReviewResult.id], page)


async def list_my_results(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ReviewResult], str | None]:
    statement = repository.results_query(
        principal.org_id, employee_ids=people.own_employee_ids(principal), status="published"
    )
    return await paginate(session, statement, [ReviewResult.id], page, descending=True)


async def calibrate(
    session: AsyncSession,
    principal: Principal,
    result_id: uuid.UUID,
    body: Calibration,
    clock: Clock,
) -> ReviewResult:
    """HR adjusts the overall score with a reason; the computed one stays beside it."""
    result = await _result(session, principal, result_id, for_update=True)
    require_hr_admin(principal)
    check_version(result.version, if_match=None, body_version=body.version)
    if result.status == "published":
        raise Conflict("A published result changes through an appeal")
    before = float(result.adjusted_overall or result.overall or 0) if result.overall else None
    result.adjusted_overall = round(Decimal(body.overall), 2)
    result.adjustments = [
        *result.adjustments,
        {
            "original": before,
            "adjusted": body.overall,
            "reason": body.reason,
            "at": clock.now().isoformat(),
            "by": str(principal.id),
        },
    ]
    await session.flush()
    audit.record(
        session,
        principal,
        "review_result.calibrated",
        "review_result",
        result.id,
        org_id=result.org_id,
        before={"overall": before},
        after={"overall": body.overall, "reason": body.reason},
    )
    return result


async def publish(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID, clock: Clock
) -> ReviewResult:
    """Show the result to the employee and tell them (HR; publishing twice changes nothing)."""
    result = await _result(session, principal, result_id, for_update=True)
    require_hr_admin(principal)
    if result.status == "published":
        return result
    result.status, result.published_at = "published", clock.now()
    await session.flush()
    users = await identity.user_ids_for_employees(session, result.org_id, [result.employee_id])
    user_ids = users.get(result.employee_id, [])
    await notifications.notify(
        session,
        org_id=result.org_id,
        user_ids=user_ids,
        kind="review.published",
        title="Your review result is published",
        body="Read it in the app; you may object to an item within the appeal window.",
        subject_type="review_result",
        subject_id=result.id,
        dedupe_key=f"review_result:{result.id}:published",
    )
    audit.record(
        session,
        principal,
        "review_result.published",
        "review_result",
        result.id,
        org_id=result.org_id,
        after={"published_at": result.published_at.isoformat()},
    )
    return result


async def recommend(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID, body: RecommendationIn
) -> ReviewResult:
    """The supervisor (or anyone up the chain, the department head) or HR recommends."""
    result = await _result(session, principal, result_id, for_update=True)
    employee = await people.ensure_can_view(session, principal, result.employee_id)
    await people.ensure_can_manage(session, principal, employee)
    check_version(result.version, if_match=None, body_version=body.version)
    before = result.recommendation
    result.recommendation, result.recommended_by = body.recommendation, principal.id
    await session.flush()
    audit.record(
        session,
        principal,
        "review_result.recommended",
        "review_result",
        result.id,
        org_id=result.org_id,
        before={"recommendation": before},
        after={"recommendation": body.recommendation},
    )
    return result


async def latest_recommendation(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> tuple[str | None, float | None, datetime | None]:
    """For later domains (pools, vacancies): the latest result's recommendation, score and
    publication time."""
    result = await repository.latest_result_of(session, org_id, employee_id)
    if result is None:
        return None, None, None
    score = result.adjusted_overall if result.adjusted_overall is not None else result.overall
    return result.recommendation, float(score) if score is not None else None, result.published_at


async def latest_published_recommendations(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[str | None, float | None, datetime | None]]:
    """`latest_recommendation` for many employees in one query, published results only:
    what other domains show the employee (vacancy rankings) must be what they may see."""
    results = await repository.latest_published_results(session, org_id, employee_ids)
    return {result.employee_id: _recommendation_of(result) for result in results}


def _recommendation_of(result: ReviewResult) -> tuple[str | None, float | None, datetime | None]:
    score = result.adjusted_overall if result.adjusted_overall is not None else result.overall
    return result.recommendation, float(score) if score is not None else None, result.published_at

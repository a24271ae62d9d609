"""Review cycles: HR creates one on a copy of a form, opens it (every rater assignment and
its task at once) and closes it (unanswered tasks withdrawn, one aggregation queued).

Opening asks each participant's self, manager, peers (same manager, unless the cycle lets
participants nominate them: `nominations`) and direct reports. Programs open and close
cycles of their own through `start_cycle` and `close_by_id`.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import api as approvals
from hrcore.core import audit, outbox, templates
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.references import refs_by_ids
from hrcore.people import api as people
from hrcore.reviews import access, aggregation, repository
from hrcore.reviews.assignments import Rating, assign_many
from hrcore.reviews.models import (
    NOMINATION_APPROVAL,
    REVIEW_TEMPLATES,
    ReviewCycle,
    ReviewParticipant,
    ReviewTemplate,
)
from hrcore.reviews.schemas import CycleIn, CycleKind, CycleOut, MinRaters
from hrcore.workflow import api as workflow

# What a cycle keeps of its form (`templates.copy`): later revisions never reach it.
FORM = ("indicators", "kind_weights", "department_overrides")


async def cycle_views(session: AsyncSession, cycles: Sequence[ReviewCycle]) -> list[CycleOut]:
    if not cycles:
        return []
    org_id = cycles[0].org_id
    counts = await repository.participant_counts(session, org_id, [c.id for c in cycles])
    templates = await refs_by_ids(
        session, ReviewTemplate.name, org_id, [c.template_id for c in cycles]
    )
    return [
        CycleOut(
            id=c.id,
            name=c.name,
            kind=c.kind,
            template_id=c.template_id,
            template=templates[c.template_id],
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


async def list_cycles(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[ReviewCycle], str | None]:
    access.require_setup_reader(principal, key_scope=access.RESULTS_SCOPE)
    return await paginate(
        session, repository.cycles_query(principal.org_id), [ReviewCycle.id], page
    )


async def get_cycle(
    session: AsyncSession, principal: Principal, cycle_id: uuid.UUID
) -> ReviewCycle:
    return await access.readable_cycle(session, principal, cycle_id, key_scope=access.RESULTS_SCOPE)


def _new_cycle(org_id: uuid.UUID, template: ReviewTemplate, body: CycleIn) -> ReviewCycle:
    """A draft cycle on a copy of the template's current form."""
    form = templates.copy(template, FORM)
    return ReviewCycle(
        org_id=org_id,
        name=body.name,
        kind=body.kind,
        template_id=template.id,
        template_revision=form.revision,
        form=form.content,
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
    template = await REVIEW_TEMPLATES.by_id(session, principal.org_id, body.template_id)
    if template is None:
        raise Unprocessable(
            _("Unknown review template"),
            errors=[FieldError(field="template_id", message=_("no such template"))],
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
    cycle = await access.readable_cycle(session, principal, cycle_id, for_update=True)
    if cycle.status != "draft":
        raise Conflict(_("The cycle is {status}", status=label(cycle.status)))
    members = await repository.participants(session, principal.org_id, cycle.id)
    if not members:
        raise Unprocessable(
            _("A cycle needs participants before it opens"),
            errors=[FieldError(field="participants", message=_("none added"))],
        )
    return await _open(session, principal, cycle, members, clock)


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
) -> uuid.UUID:
    """Create and open a cycle for these employees in one go (programs' review stages);
    `relationships` limits who is asked (a supervisor evaluation: only `supervisor`).
    Returns the cycle's id."""
    template = await REVIEW_TEMPLATES.require(session, org_id, template_id)
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
    await _open(session, actor, cycle, members, clock, relationships=relationships)
    return cycle.id


async def close_cycle(
    session: AsyncSession, principal: Principal, cycle_id: uuid.UUID, clock: Clock
) -> ReviewCycle:
    """Stop answering, withdraw open rater tasks, queue the aggregation (once)."""
    require_hr_admin(principal)
    cycle = await access.readable_cycle(session, principal, cycle_id, for_update=True)
    return await close(session, cycle, clock, actor=principal)


async def close(
    session: AsyncSession, cycle: ReviewCycle, clock: Clock, *, actor: Principal | None = None
) -> ReviewCycle:
    """Close a locked cycle (for other domains too): idempotent, one aggregation. Undecided
    peer nominations stay as they are; their approvals are withdrawn (no one is left asking
    for a decision)."""
    if cycle.status in ("closed", "aggregated"):
        return cycle
    if cycle.status != "open":
        raise Conflict(_("Only an open cycle can be closed"))
    task_ids = await repository.unanswered_task_ids(session, cycle.org_id, cycle.id)
    await workflow.cancel_open_tasks(
        session, org_id=cycle.org_id, task_ids=task_ids, clock=clock, actor=actor
    )
    undecided = await repository.undecided_nomination_ids(session, cycle.org_id, cycle.id)
    await approvals.withdraw_for_subjects(
        session, cycle.org_id, NOMINATION_APPROVAL, undecided, clock, actor
    )
    cycle.status, cycle.closed_at = "closed", clock.now()
    outbox.enqueue(
        session, aggregation.AGGREGATE_JOB, {"cycle_id": str(cycle.id)}, org_id=cycle.org_id
    )
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

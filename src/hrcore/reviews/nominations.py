"""Peer nominations: in a cycle with `peer_nomination`, participants choose who rates them
as peers; each nomination is an approval of kind `reviews.peer_nomination`, and an approved
nominee gets a peer assignment and its task, in the transaction of the last decision.

The kind's default chain is the participant's direct manager; on it, whoever decided before
the flow ran on the engine still decides through `/review-nominations/{id}/decision` (the
supervisor chain, the department head, HR). An organization's own chain says who decides:
that endpoint then decides the caller's own part of the current step. A rejection rejects
the nomination; a return leaves it nominated for the participant to resubmit (with a word
for the approvers) or withdraw; a withdrawal takes it back (the row goes, the approval
keeps it). A rejection on `/decision` needs its reason, which — like any decision's comment,
wherever it was made — is the approval's comment and reaches the participant's notification
(and, once approved, the nominee's, who is asked to rate; a rejected nominee is not told:
who would have rated whom stays between the participant and the approvers).

Nominating oneself, an unknown or departed employee, or fewer peers than the cycle's
minimum is 422; nominations are made while the cycle is open.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import api as approvals
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404, insert_new
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.labels import label
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.reviews import access, repository
from hrcore.reviews.assignments import assign
from hrcore.reviews.models import (
    NOMINATION_APPROVAL,
    ReviewCycle,
    ReviewNomination,
    ReviewParticipant,
)
from hrcore.reviews.schemas import NominationDecision, NominationOut, NominationsIn

SUBJECT = "review_nomination"
APPROVAL_KIND = NOMINATION_APPROVAL
FACTS = (
    approvals.Fact("department_id"),
    approvals.Fact("grade", "grade"),
    approvals.Fact("position_family"),
    approvals.Fact("requester_id"),
    approvals.Fact("nominee_department_id"),
)
"""The participant's department, grade and position family, who asked, and the nominee's
department (another department involved)."""
DEFAULT_STEPS = ({"approver": {"rule": "manager", "level": 1}, "mode": "any"},)


async def nomination_views(
    session: AsyncSession, org_id: uuid.UUID, rows: Sequence[ReviewNomination]
) -> list[NominationOut]:
    names = await people.employee_summaries(session, org_id, [n.nominee_employee_id for n in rows])
    return [
        NominationOut(
            id=n.id,
            participant_id=n.participant_id,
            nominee=names[n.nominee_employee_id].ref,
            status=n.status,
            decided_at=n.decided_at,
            version=n.version,
        )
        for n in rows
    ]


async def _participant(
    session: AsyncSession, org_id: uuid.UUID, participant_id: uuid.UUID
) -> tuple[ReviewParticipant, ReviewCycle]:
    participant = await get_or_404(
        session, ReviewParticipant, org_id, participant_id, what=N_("review participant")
    )
    cycle = await repository.cycle_by_id(session, org_id, participant.cycle_id, for_update=True)
    assert cycle is not None
    return participant, cycle


def _require_nominating(cycle: ReviewCycle) -> None:
    if not cycle.peer_nomination:
        raise Conflict(_("Peers are not nominated in this cycle"))
    if cycle.status != "open":
        raise Conflict(_("The cycle is {status}", status=label(cycle.status)))


async def _check_nominees(
    session: AsyncSession, participant: ReviewParticipant, nominees: list[uuid.UUID]
) -> None:
    if participant.employee_id in nominees:
        raise Unprocessable(
            _("You cannot rate yourself as a peer"),
            errors=[FieldError(field="employee_ids", message=_("includes yourself"))],
        )
    teams = await people.teams_of(session, participant.org_id, [participant.employee_id])
    team = teams.get(participant.employee_id)
    already = {team.manager_id, *team.reports} if team is not None else set()
    if already & set(nominees):
        raise Unprocessable(
            _("Your manager and your reports already rate you in their own right"),
            errors=[
                FieldError(field="employee_ids", message=_("includes your manager or a report"))
            ],
        )
    found = await people.employee_summaries(session, participant.org_id, nominees)
    unknown = [str(i) for i in nominees if i not in found or found[i].status == "exited"]
    if unknown:
        raise Unprocessable(
            _("Some nominees are unknown or have left"),
            errors=[FieldError(field="employee_ids", message=", ".join(unknown))],
        )


async def nominate(
    session: AsyncSession,
    principal: Principal,
    participant_id: uuid.UUID,
    body: NominationsIn,
    clock: Clock,
) -> list[ReviewNomination]:
    """The participant names their peers (repeats ignored), each new one put to approval; the
    minimum counts all standing nominations, rejected ones excepted."""
    participant, cycle = await _participant(session, principal.org_id, participant_id)
    if principal.employee_id != participant.employee_id:
        raise NotFound(_("No such review participant"))
    _require_nominating(cycle)
    nominees = list(dict.fromkeys(body.employee_ids))
    await _check_nominees(session, participant, nominees)
    standing = {
        n.nominee_employee_id
        for n in await repository.nominations_of(session, participant.org_id, participant.id)
        if n.status != "rejected"
    }
    minimum = int(cycle.min_raters.get("peer", 0))
    if len(standing | set(nominees)) < minimum:
        raise Unprocessable(
            _("Nominate at least {minimum} peers", minimum=minimum),
            errors=[
                FieldError(field="employee_ids", message=_("at least {minimum}", minimum=minimum))
            ],
        )
    rows = [
        {
            "org_id": participant.org_id,
            "cycle_id": cycle.id,
            "participant_id": participant.id,
            "nominee_employee_id": nominee,
            "status": "nominated",
            "version": 1,
        }
        for nominee in nominees
    ]
    made = await insert_new(
        session,
        ReviewNomination,
        rows,
        unique=["org_id", "participant_id", "nominee_employee_id"],
        returning=[ReviewNomination.id, ReviewNomination.nominee_employee_id],
    )
    await _submit(session, participant, [(row[0], row[1]) for row in made], principal, clock)
    audit.record(
        session,
        principal,
        "review_nominations.made",
        "review_participant",
        participant.id,
        org_id=participant.org_id,
        after={"nominees": [str(n) for n in nominees]},
    )
    return await repository.nominations_of(session, participant.org_id, participant.id)


async def list_nominations(
    session: AsyncSession, principal: Principal, participant_id: uuid.UUID
) -> list[ReviewNomination]:
    participant, _ = await _participant(session, principal.org_id, participant_id)
    if principal.employee_id != participant.employee_id:
        await access.require_reviewer(session, principal, participant.employee_id)
    return await repository.nominations_of(session, participant.org_id, participant.id)


async def _submit(
    session: AsyncSession,
    participant: ReviewParticipant,
    made: Sequence[tuple[uuid.UUID, uuid.UUID]],
    actor: Principal,
    clock: Clock,
) -> list[uuid.UUID]:
    """Put each `(nomination id, nominee)` to approval, requested by the participant."""
    if not made:
        return []
    org_id = participant.org_id
    subject = await people.require_employee(session, org_id, participant.employee_id)
    names = await people.employee_summaries(session, org_id, [subject.id, *(n for _, n in made)])
    facts: dict[str, Any] = {
        "department_id": str(subject.department_id),
        "requester_id": str(subject.id),
    }
    if subject.position_id is not None:
        position = await org.require_position(session, org_id, subject.position_id)
        family = (await org.position_families(session, org_id, [position.id])).get(position.id)
        facts["grade"] = position.grade
        if family is not None:
            facts["position_family"] = family
    return [
        await approvals.submit(
            session,
            org_id=org_id,
            kind=APPROVAL_KIND,
            title=str(
                _(
                    "Peer nomination: {nominee} to rate {participant}",
                    nominee=names[nominee].ref.name,
                    participant=subject.full_name,
                )
            ),
            subject_employee_id=subject.id,
            subject_id=nomination_id,
            requester_employee_id=subject.id,
            facts=facts | {"nominee_department_id": str(names[nominee].department_id)},
            clock=clock,
            actor=actor,
        )
        for nomination_id, nominee in made
    ]


async def decide(
    session: AsyncSession,
    principal: Principal,
    nomination_id: uuid.UUID,
    body: NominationDecision,
    clock: Clock,
) -> ReviewNomination:
    """Decide the nomination's approval at its current step (409 once decided). On the
    default chain the supervisor chain, department head or HR decide it (404 / 403 for
    others, as before the engine); on the organization's own chain only the step's approvers.
    A nomination made before nominations ran on the engine is put to approval first. Locks
    the approval, then the nomination and its cycle: the order `/approvals/{id}/approve`
    takes them in."""
    nomination = await get_or_404(
        session, ReviewNomination, principal.org_id, nomination_id, what=N_("nomination")
    )
    approval = await approvals.subject_approval(
        session, principal.org_id, APPROVAL_KIND, nomination.id
    )
    await session.refresh(nomination, with_for_update=True)
    participant, cycle = await _participant(session, principal.org_id, nomination.participant_id)
    on_default = approval is None or approval.on_default_chain
    if approval is not None and not on_default and principal.employee_id not in approval.approvers:
        raise NotFound(_("No such {what}", what=_("nomination")))
    if on_default:
        await access.require_reviewer(session, principal, participant.employee_id)
    _require_nominating(cycle)
    if nomination.status != "nominated":
        raise Conflict(_("The nomination is {status}", status=label(nomination.status)))
    reason = (body.reason or "").strip() or None
    if not body.approve and reason is None:
        raise Unprocessable(
            _("Give the reason for rejecting the nomination"),
            errors=[FieldError(field="reason", message=_("required when rejecting"))],
        )
    if approval is not None and approval.status == "returned":
        raise Conflict(_("The nomination is returned to the participant, who resubmits it"))
    if approval is None or approval.status != "pending":
        made = [(nomination.id, nomination.nominee_employee_id)]
        [approval_id] = await _submit(session, participant, made, principal, clock)
    else:
        approval_id = approval.id
    await approvals.decide_current_step(
        session,
        principal,
        approval_id,
        "approved" if body.approve else "rejected",
        clock,
        authority=on_default,
        comment=reason,
    )
    return nomination


async def _standing(session: AsyncSession, subject: approvals.ApprovedSubject) -> ReviewNomination:
    return await get_or_404(
        session,
        ReviewNomination,
        subject.org_id,
        subject.subject_id,
        what=N_("nomination"),
        for_update=True,
    )


async def approved(session: AsyncSession, subject: approvals.ApprovedSubject, clock: Clock) -> None:
    """The chain approved the nomination: the nominee gets a peer assignment and its task
    (409, undoing the last decision, once the nomination or its cycle is no longer open)."""
    nomination = await _standing(session, subject)
    participant, cycle = await _participant(session, subject.org_id, nomination.participant_id)
    _require_nominating(cycle)
    if nomination.status != "nominated":
        raise Conflict(_("The nomination is {status}", status=label(nomination.status)))
    actor = subject.actor
    nomination.status, nomination.decided_at = "approved", clock.now()
    nomination.decided_by = actor.id if actor is not None else None
    names = await people.employee_summaries(session, participant.org_id, [participant.employee_id])
    await assign(
        session,
        cycle,
        participant,
        nomination.nominee_employee_id,
        "peer",
        names[participant.employee_id].ref.name,
        actor=actor,
    )
    await session.flush()
    _audit(session, subject, nomination, "approved")
    await _notify(session, subject, nomination, participant.employee_id, "approved")


async def ended(
    session: AsyncSession, subject: approvals.ApprovedSubject, status: str, clock: Clock
) -> None:
    """Rejected: the nomination is rejected; withdrawn by the participant: it is taken back
    (deleted, so the peer may be nominated again)."""
    nomination = await _standing(session, subject)
    if nomination.status != "nominated":
        return
    if status == "withdrawn":
        await session.delete(nomination)
        await session.flush()
        _audit(session, subject, nomination, "withdrawn")
        return
    actor = subject.actor
    nomination.status, nomination.decided_at = "rejected", clock.now()
    nomination.decided_by = actor.id if actor is not None else None
    await session.flush()
    _audit(session, subject, nomination, "rejected")
    participant, _cycle = await _participant(session, subject.org_id, nomination.participant_id)
    await _notify(session, subject, nomination, participant.employee_id, "rejected")


def _audit(
    session: AsyncSession,
    subject: approvals.ApprovedSubject,
    nomination: ReviewNomination,
    action: str,
) -> None:
    audit.record(
        session,
        subject.actor,
        f"review_nomination.{action}",
        SUBJECT,
        nomination.id,
        org_id=nomination.org_id,
        after={
            "nominee": str(nomination.nominee_employee_id),
            "approval_id": str(subject.approval_id),
            "reason": subject.comment,
        },
    )


async def _notify(
    session: AsyncSession,
    subject: approvals.ApprovedSubject,
    nomination: ReviewNomination,
    participant_id: uuid.UUID,
    outcome: str,
) -> None:
    """The participant hears the decision on their nomination with its reason; an approved
    nominee, that they are asked to rate the participant, with the same reason."""
    org_id, nominee_id = nomination.org_id, nomination.nominee_employee_id
    names = await people.employee_summaries(session, org_id, [participant_id, nominee_id])
    users = await identity.user_ids_for_employees(session, org_id, [participant_id, nominee_id])
    body = (
        _("Reason: {reason}", reason=subject.comment)
        if subject.comment
        else _("No reason was given.")
    )
    nominee, participant = names[nominee_id].ref.name, names[participant_id].ref.name
    messages = [
        notifications.Message(
            user_ids=users.get(participant_id, []),
            kind=f"review.nomination_{outcome}",
            title=_("Your peer nomination of {nominee} is approved", nominee=nominee)
            if outcome == "approved"
            else _("Your peer nomination of {nominee} is rejected", nominee=nominee),
            body=body,
            subject_type=SUBJECT,
            subject_id=nomination.id,
            dedupe_key=f"review_nomination:{nomination.id}:{outcome}:{subject.approval_id}",
        )
    ]
    if outcome == "approved":
        messages.append(
            notifications.Message(
                user_ids=users.get(nominee_id, []),
                kind="review.nomination_rater",
                title=_("You are asked to rate {participant} as a peer", participant=participant),
                body=body,
                subject_type=SUBJECT,
                subject_id=nomination.id,
                dedupe_key=f"review_nomination:{nomination.id}:rater:{subject.approval_id}",
            )
        )
    await notifications.notify_many(session, org_id=org_id, messages=messages)

"""Peer nominations: in a cycle with `peer_nomination`, participants choose who rates them
as peers; their supervisor (anyone up the chain, the department head) or HR approves each
one, and an approved nominee gets a peer assignment and its task.

Nominating oneself, an unknown or departed employee, or fewer peers than the cycle's
minimum is 422; nominations are made while the cycle is open.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404, insert_new
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.labels import label
from hrcore.people import api as people
from hrcore.reviews import access, repository
from hrcore.reviews.assignments import assign
from hrcore.reviews.models import ReviewCycle, ReviewNomination, ReviewParticipant
from hrcore.reviews.schemas import NominationDecision, NominationOut, NominationsIn

SUBJECT = "review_nomination"


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
    session: AsyncSession, principal: Principal, participant_id: uuid.UUID
) -> tuple[ReviewParticipant, ReviewCycle]:
    participant = await get_or_404(
        session, ReviewParticipant, principal.org_id, participant_id, what=N_("review participant")
    )
    cycle = await repository.cycle_by_id(
        session, principal.org_id, participant.cycle_id, for_update=True
    )
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
    session: AsyncSession, principal: Principal, participant_id: uuid.UUID, body: NominationsIn
) -> list[ReviewNomination]:
    """The participant names their peers (repeats ignored); the minimum counts all standing
    nominations, rejected ones excepted."""
    participant, cycle = await _participant(session, principal, participant_id)
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
    await insert_new(
        session,
        ReviewNomination,
        rows,
        unique=["org_id", "participant_id", "nominee_employee_id"],
        returning=[ReviewNomination.id],
    )
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
    participant, _ = await _participant(session, principal, participant_id)
    if principal.employee_id != participant.employee_id:
        await access.require_reviewer(session, principal, participant.employee_id)
    return await repository.nominations_of(session, participant.org_id, participant.id)


async def decide(
    session: AsyncSession,
    principal: Principal,
    nomination_id: uuid.UUID,
    body: NominationDecision,
    clock: Clock,
) -> ReviewNomination:
    """Approve (the nominee gets a peer assignment and task) or reject, once."""
    nomination = await get_or_404(
        session,
        ReviewNomination,
        principal.org_id,
        nomination_id,
        what=N_("nomination"),
        for_update=True,
    )
    participant, cycle = await _participant(session, principal, nomination.participant_id)
    await access.require_reviewer(session, principal, participant.employee_id)
    _require_nominating(cycle)
    if nomination.status != "nominated":
        raise Conflict(_("The nomination is {status}", status=label(nomination.status)))
    nomination.status = "approved" if body.approve else "rejected"
    nomination.decided_by, nomination.decided_at = principal.id, clock.now()
    if body.approve:
        names = await people.employee_summaries(
            session, participant.org_id, [participant.employee_id]
        )
        await assign(
            session,
            cycle,
            participant,
            nomination.nominee_employee_id,
            "peer",
            names[participant.employee_id].ref.name,
            actor=principal,
        )
    await session.flush()
    audit.record(
        session,
        principal,
        f"review_nomination.{nomination.status}",
        SUBJECT,
        nomination.id,
        org_id=nomination.org_id,
        after={"nominee": str(nomination.nominee_employee_id)},
    )
    return nomination

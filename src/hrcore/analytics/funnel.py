"""The funnel 「人才漏斗」 of the develop → assess → use loop: people joining a talent pool,
completing its program, reaching the competency bar 「达标」 and being appointed. Every
step counts pool members only, so each step converts from the one before; a person is
counted in their department now, in the month the step happened.

Membership activations, program completions and profile recomputes raise no domain event:
the figure is recollected every half hour for them, and at once for the person an
employment event (an appointment's promotion recorded, a future one reaching its date) or a
member's removal names."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.figures import Fact, Figure
from hrcore.competencies import api as competencies
from hrcore.core.i18n import N_
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.programs import api as programs
from hrcore.talent import api as talent

NAME = "funnel"

STEPS = (
    ("pool_member", N_("Pool members")),
    ("program_completion", N_("Program completions")),
    ("attainment", N_("Competency attainment")),
    ("appointment", N_("Appointments")),
)

REASONS = {
    "pool_member": N_("Became an active member of the pool {pool} on {joined_on}"),
    "completed": N_("Completed every stage of the program {run} on {done_on}"),
    "graduated": N_("Graduated from the program {run} on appointment, on {done_on}"),
    "attainment": N_(
        "Meets every required level of the model of {position} (profile of {computed_on})"
    ),
    "appointment": N_("Promoted to {position} on {effective_on}"),
    "promotion": N_("Promoted on {effective_on}"),
}


async def collect(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, wanted: Sequence[uuid.UUID] | None
) -> list[Fact]:
    """The pool members' steps: a fixed number of statements for any number of people."""
    memberships = await talent.activated_memberships(session, org_id, now, wanted)
    members = list({m.employee_id for m in memberships})
    posts = await people.posts_of(session, org_id, members)
    facts = [
        Fact(
            step="pool_member",
            subject_type="pool_membership",
            subject_id=m.id,
            employee_id=m.employee_id,
            department_id=posts[m.employee_id].department_id,
            occurred_on=m.activated_at.date(),
            reason_key=REASONS["pool_member"],
            reason_params={"pool": m.pool.name, "joined_on": m.activated_at.date().isoformat()},
        )
        for m in memberships
        if m.employee_id in posts
    ]
    for done in await programs.program_completions(session, org_id, now, members):
        if done.employee_id in posts:
            day = done.ended_at.date()
            facts.append(
                Fact(
                    step="program_completion",
                    subject_type="program_participant",
                    subject_id=done.participant_id,
                    employee_id=done.employee_id,
                    department_id=posts[done.employee_id].department_id,
                    occurred_on=day,
                    reason_key=REASONS[done.status],
                    reason_params={"run": done.run.name, "done_on": day.isoformat()},
                )
            )
    facts += await _attainments(session, org_id, memberships, posts)
    facts += await _appointments(session, org_id, now, memberships, posts)
    return facts


async def _attainments(
    session: AsyncSession,
    org_id: uuid.UUID,
    memberships: Sequence[talent.PoolMembership],
    posts: dict[uuid.UUID, people.Post],
) -> list[Fact]:
    """Current members (active, graduated or appointed) still employed whose newest profile
    meets every required level of their pool's target position — their own position for a
    job family's pool — in their department's variant of its model; counted in the month
    of that profile."""
    targets: dict[uuid.UUID, competencies.Candidate] = {}
    for m in memberships:
        post = posts.get(m.employee_id)
        if m.status not in CURRENT or post is None or not post.active:
            continue
        position = m.target_position_id or post.position_id
        if position is not None:
            targets[m.id] = (m.employee_id, position, post.department_id)
    matches = await competencies.match_for_candidates(session, org_id, list(set(targets.values())))
    attained = {
        member_id: (candidate, match.profile_computed_at.date())
        for member_id, candidate in targets.items()
        if (match := matches.get(candidate)) is not None
        and match.attained
        and match.profile_computed_at is not None
    }
    names = await org.position_refs(
        session, org_id, list({position for (_, position, _), _ in attained.values()})
    )
    return [
        Fact(
            step="attainment",
            subject_type="pool_membership",
            subject_id=member_id,
            employee_id=employee_id,
            department_id=department_id,
            occurred_on=day,
            reason_key=REASONS["attainment"],
            reason_params={"position": names[position].name, "computed_on": day.isoformat()},
        )
        for member_id, ((employee_id, position, department_id), day) in attained.items()
    ]


CURRENT = frozenset({"active", "graduated", "appointed"})
"""Memberships that still count for attainment (removed and left ones do not)."""


async def _appointments(
    session: AsyncSession,
    org_id: uuid.UUID,
    now: datetime,
    memberships: Sequence[talent.PoolMembership],
    posts: dict[uuid.UUID, people.Post],
) -> list[Fact]:
    """Promotions (an appointment to a vacancy records one) effective by today, on or after
    the person first became an active pool member."""
    first: dict[uuid.UUID, datetime] = {}
    for m in memberships:
        if m.employee_id not in first or m.activated_at < first[m.employee_id]:
            first[m.employee_id] = m.activated_at
    promotions = [
        p
        for p in await people.promotions_of(session, org_id, list(first), now.date())
        if p.effective_date >= first[p.employee_id].date() and p.employee_id in posts
    ]
    names = await org.position_refs(
        session, org_id, list({p.position_id for p in promotions if p.position_id})
    )
    return [
        Fact(
            step="appointment",
            subject_type="employment_event",
            subject_id=p.event_id,
            employee_id=p.employee_id,
            department_id=posts[p.employee_id].department_id,
            occurred_on=p.effective_date,
            reason_key=REASONS["appointment" if p.position_id in names else "promotion"],
            reason_params={"effective_on": p.effective_date.isoformat()}
            | ({"position": names[p.position_id].name} if p.position_id in names else {}),
        )
        for p in promotions
    ]


FIGURE = Figure(
    name=NAME,
    steps=STEPS,
    collect=collect,
    events=(
        people.EMPLOYMENT_EVENT_RECORDED,
        people.EMPLOYMENT_EVENT_APPLIED,
        people.EMPLOYMENT_EVENT_WITHDRAWN,
        talent.MEMBER_REMOVED,
    ),
    every_minutes=30,
)

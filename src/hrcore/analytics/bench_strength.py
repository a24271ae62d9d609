"""Bench strength 「继任梯队」 per key position: the target positions of active talent pools
and their successors (the pools' active members) by readiness — ready now, in 1–2 years,
in 3+ years, not yet assessed. Each fact is one successor for one position, counted in the
position's department on the day of the refresh (a current state, not a history). A
position without successors has no fact: the view reads the key positions from talent and
flags those without cells. Readiness changes announce no event, so the figure is
recollected every few minutes (one statement), and at once for a person removed from a pool
or whose employment changed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.figures import Fact, Figure
from hrcore.core.i18n import N_
from hrcore.people import api as people
from hrcore.talent import api as talent

NAME = "bench_strength"
SUBJECT = "pool_member"
NOT_ASSESSED = "not_assessed"

REASONS = {
    talent.Readiness.READY_NOW.value: N_("Successor for {position} in the pool {pool}: ready now"),
    talent.Readiness.ONE_TO_TWO_YEARS.value: N_(
        "Successor for {position} in the pool {pool}: ready in 1–2 years"
    ),
    talent.Readiness.THREE_PLUS_YEARS.value: N_(
        "Successor for {position} in the pool {pool}: ready in 3 or more years"
    ),
    NOT_ASSESSED: N_("Successor for {position} in the pool {pool}: readiness not assessed"),
}


async def collect(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, employees: Sequence[uuid.UUID] | None
) -> list[Fact]:
    """Those people's places as successors today."""
    found = await talent.successors(session, org_id, employees)
    return [
        Fact(
            step=successor.readiness or NOT_ASSESSED,
            subject_type=SUBJECT,
            subject_id=successor.member_id,
            employee_id=successor.employee_id,
            department_id=successor.department_id,
            occurred_on=now.date(),
            reason_key=REASONS[successor.readiness or NOT_ASSESSED],
            reason_params={"position": successor.position_title, "pool": successor.pool_name},
            dimension=str(successor.position_id),
        )
        for successor in found
    ]


FIGURE = Figure(
    name=NAME,
    steps=(
        (talent.Readiness.READY_NOW.value, N_("Ready now")),
        (talent.Readiness.ONE_TO_TWO_YEARS.value, N_("Ready in 1–2 years")),
        (talent.Readiness.THREE_PLUS_YEARS.value, N_("Ready in 3+ years")),
        (NOT_ASSESSED, N_("Readiness not assessed")),
    ),
    collect=collect,
    events=(
        talent.MEMBER_REMOVED,
        people.EMPLOYMENT_EVENT_RECORDED,
        people.EMPLOYMENT_EVENT_APPLIED,
    ),
    every_minutes=10,
)

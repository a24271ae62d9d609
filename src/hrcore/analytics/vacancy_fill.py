"""Vacancies filled 「空缺填补」: each vacancy filled is one fact of its appointee, in the
vacancy's department and the month it was filled — `internal` when filled from inside (an
active pool member's appointment, or an internal competition's applicant), `other` when
someone outside both was appointed (an override). The dimension is the whole days from
opening to filling, so the rollups hold the distribution of times to fill and the median
is read from them; the value is the same days (their sum gives the mean).

Appointments record a promotion: its event recollects the appointee at once; the half-hourly
refresh catches the rest."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.figures import Fact, Figure
from hrcore.core.i18n import N_
from hrcore.people import api as people
from hrcore.talent import api as talent

NAME = "vacancy_fill"
SUBJECT = "vacancy"

REASONS = {
    "pool": N_(
        "Filled on {filled_on} from a talent pool, {days} days after it opened on {opened_on}"
    ),
    "competition": N_(
        "Filled on {filled_on} by an internal competition's applicant, {days} days after it "
        "opened on {opened_on}"
    ),
    "other": N_(
        "Filled on {filled_on} by someone neither in a pool for it nor an applicant, {days} "
        "days after it opened on {opened_on}"
    ),
}


async def collect(
    session: AsyncSession, org_id: uuid.UUID, now: datetime, wanted: Sequence[uuid.UUID] | None
) -> list[Fact]:
    """The vacancies filled by `now` (by these appointees): one statement."""
    facts = []
    for vacancy in await talent.filled_vacancies(session, org_id, now, wanted):
        days = max((vacancy.filled_at - vacancy.opened_at).days, 0)
        source = (
            "pool" if vacancy.from_pool else "competition" if vacancy.from_competition else "other"
        )
        facts.append(
            Fact(
                step="other" if source == "other" else "internal",
                subject_type=SUBJECT,
                subject_id=vacancy.id,
                employee_id=vacancy.employee_id,
                department_id=vacancy.department_id,
                occurred_on=vacancy.filled_at.date(),
                reason_key=REASONS[source],
                reason_params={
                    "filled_on": vacancy.filled_at.date().isoformat(),
                    "opened_on": vacancy.opened_at.date().isoformat(),
                    "days": days,
                },
                dimension=str(days),
                value=Decimal(days),
            )
        )
    return facts


FIGURE = Figure(
    name=NAME,
    steps=(("internal", N_("Filled from inside")), ("other", N_("Filled otherwise"))),
    collect=collect,
    events=(people.EMPLOYMENT_EVENT_RECORDED, people.EMPLOYMENT_EVENT_WITHDRAWN),
    every_minutes=30,
)

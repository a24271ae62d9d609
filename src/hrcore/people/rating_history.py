"""Named queries for what mentoring measures about mentees: each employee's ratings as
numbers on the 1–5 scale with the day their period ends, and their promotions' dates. One
statement each however many employees (a nightly recompute reads 10,000 mentees)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among
from hrcore.people.models import EmploymentEvent, PerformanceRating
from hrcore.people.screening_queries import LETTER_SCORES

_LAST_MONTH = {"H1": 6, "H2": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12}
_LAST_DAY = {3: 31, 6: 30, 9: 30, 12: 31}


@dataclass(frozen=True)
class RatedPeriod:
    """A rating as a 1–5 number (a letter counts as screening counts it: A 5 … D 2)."""

    period: str
    ends_on: date
    value: float


def period_end(period: str) -> date:
    """The last day of a rating period: `2025` → 31 Dec, `2025-H1` → 30 Jun, `2025-Q3` →
    30 Sep."""
    year, _, part = period.partition("-")
    month = _LAST_MONTH.get(part, 12)
    return date(int(year), month, _LAST_DAY[month])


async def rating_histories(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[RatedPeriod]]:
    """Each employee's ratings, oldest period end first (employees without one are absent)."""
    if not employee_ids:
        return {}
    letter = case(
        *((PerformanceRating.letter == key, value) for key, value in LETTER_SCORES.items())
    )
    rows = await session.execute(
        select(
            PerformanceRating.employee_id,
            PerformanceRating.period,
            func.coalesce(cast(PerformanceRating.score, Float), letter),
        ).where(
            PerformanceRating.org_id == org_id,
            among(PerformanceRating.employee_id, set(employee_ids)),
        )
    )
    found: dict[uuid.UUID, list[RatedPeriod]] = defaultdict(list)
    for employee_id, period, value in rows:
        found[employee_id].append(RatedPeriod(period, period_end(period), float(value)))
    return {key: sorted(value, key=lambda r: (r.ends_on, r.period)) for key, value in found.items()}


async def promotion_dates(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[date]]:
    """Each employee's promotions' effective dates, oldest first (recorded ones, applied or
    still ahead)."""
    if not employee_ids:
        return {}
    rows = await session.execute(
        select(EmploymentEvent.employee_id, EmploymentEvent.effective_date)
        .where(
            EmploymentEvent.org_id == org_id,
            EmploymentEvent.kind == "promotion",
            among(EmploymentEvent.employee_id, set(employee_ids)),
        )
        .order_by(EmploymentEvent.effective_date)
    )
    found: dict[uuid.UUID, list[date]] = defaultdict(list)
    for employee_id, effective in rows:
        found[employee_id].append(effective)
    return dict(found)

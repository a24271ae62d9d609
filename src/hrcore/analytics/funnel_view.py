"""The funnel and the vacancy fill as responses, from their rollups: the steps with their
conversions, and the internal fill rate with the median time to fill (read from the
rollups' distribution of days, so no fact is read)."""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import access, funnel, reading, vacancy_fill, window
from hrcore.analytics.funnel_schemas import FunnelOut, FunnelStep, VacancyFillOut
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.i18n import translate


async def funnel_steps(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID | None,
    query: window.WindowQuery,
    clock: Clock,
) -> FunnelOut:
    scope = await access.readable_scope(session, principal, department_id)
    start, end = await window.resolve(session, principal.org_id, query, clock)
    cells, refreshed_at = await reading.cells(
        session, principal.org_id, funnel.FIGURE, scope, start, end
    )
    counts: Counter[str] = Counter()
    for cell in cells:
        counts[cell.step] += cell.count
    steps, before = [], None
    for step, label in funnel.FIGURE.steps:
        steps.append(
            FunnelStep(
                step=step,
                label=translate(label),
                people=counts[step],
                conversion=round(counts[step] / before, 4) if before else None,
            )
        )
        before = counts[step]
    return FunnelOut(
        department=scope.department, start=start, end=end, refreshed_at=refreshed_at, steps=steps
    )


async def vacancies_filled(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID | None,
    query: window.WindowQuery,
    clock: Clock,
) -> VacancyFillOut:
    scope = await access.readable_scope(session, principal, department_id)
    start, end = await window.resolve(session, principal.org_id, query, clock)
    cells, refreshed_at = await reading.cells(
        session, principal.org_id, vacancy_fill.FIGURE, scope, start, end
    )
    by_step: Counter[str] = Counter()
    by_days: Counter[int] = Counter()
    for cell in cells:
        by_step[cell.step] += cell.count
        by_days[int(cell.dimension)] += cell.count
    filled = by_step["internal"] + by_step["other"]
    return VacancyFillOut(
        department=scope.department,
        start=start,
        end=end,
        refreshed_at=refreshed_at,
        filled=filled,
        internal=by_step["internal"],
        other=by_step["other"],
        internal_fill_rate=round(by_step["internal"] / filled, 4) if filled else None,
        median_days_to_fill=_median(by_days),
    )


def _median(counts: Counter[int]) -> float | None:
    """The median of a distribution given as value → how many."""
    total = sum(counts.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value in sorted(counts):
        seen += counts[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
    return sum(found) / 2

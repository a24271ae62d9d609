"""The retention figure as a response: each population's headcount on the day before the
window and on its last day, summed from every rollup up to then, and its exits in the
window; turnover = exits ÷ the average of the two headcounts (the standard HR formula)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import access, reading, retention, window
from hrcore.analytics.retention_schemas import (
    CohortTurnover,
    ReasonTurnover,
    StaffRetentionOut,
    StaffTurnover,
)
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.i18n import translate
from hrcore.people import api as people

Cells = Counter[tuple[str, str]]
"""Counts by (step, dimension)."""

BEGINNING = date(1900, 1, 1)
"""Headcounts sum every rollup from here: hires of any age are in them; a window starting
earlier has nobody before it."""


async def staff_retention(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID | None,
    query: window.WindowQuery,
    clock: Clock,
) -> StaffRetentionOut:
    scope = await access.readable_scope(session, principal, department_id)
    start, end = await window.resolve(session, principal.org_id, query, clock)
    figure = retention.FIGURE
    before: list[reading.Cell] = []
    if start > BEGINNING:
        before, _stamp = await reading.cells(
            session, principal.org_id, figure, scope, BEGINNING, start - timedelta(days=1)
        )
    inside, refreshed_at = await reading.cells(session, principal.org_id, figure, scope, start, end)
    earlier = Counter({(cell.step, cell.dimension): cell.count for cell in before})
    during = Counter({(cell.step, cell.dimension): cell.count for cell in inside})
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    counts = {
        name: _counts(earlier, during, name) for name in (retention.EVERYONE, *retention.COHORTS)
    }
    everyone = counts[retention.EVERYONE]
    overall = _turnover(everyone, months)
    leavers = sum(during[("left_for", reason)] for reason in retention.REASONS)
    return StaffRetentionOut(
        department=scope.department,
        start=start,
        end=end,
        refreshed_at=refreshed_at,
        months=months,
        overall=overall,
        cohorts=[
            CohortTurnover(
                cohort=name,
                label=translate(label),
                members=_turnover(counts[name], months),
                rest=_turnover(
                    tuple(a - b for a, b in zip(everyone, counts[name], strict=True)), months
                ),
            )
            for name, label in retention.COHORTS.items()
        ],
        by_reason=[
            ReasonTurnover(
                reason=reason,
                label=_reason_label(reason),
                leavers=during[("left_for", reason)],
                rate=_ratio(during[("left_for", reason)], overall.average_headcount),
                share=_ratio(during[("left_for", reason)], leavers),
            )
            for reason in retention.REASONS
        ],
    )


def _counts(earlier: Cells, during: Cells, cohort: str) -> tuple[int, int, int]:
    """(headcount the day before the window, headcount on its last day, leavers in it)."""

    def present(counts: Cells) -> int:
        return counts[("joined", cohort)] - counts[("left", cohort)] - counts[("moved_on", cohort)]

    first = present(earlier)
    return first, first + present(during), during[("left", cohort)]


def _turnover(counts: tuple[int, ...], months: int) -> StaffTurnover:
    start, end, leavers = counts
    average = (start + end) / 2
    rate = _ratio(leavers, average)
    return StaffTurnover(
        headcount_start=start,
        headcount_end=end,
        average_headcount=average,
        leavers=leavers,
        rate=rate,
        annualized_rate=round(rate * 12 / months, 4) if rate is not None else None,
    )


def _ratio(part: int, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _reason_label(reason: str) -> str:
    if reason == retention.NOT_RECORDED:
        return translate(retention.NOT_RECORDED_LABEL)
    return people.exit_reason_label(reason) or reason

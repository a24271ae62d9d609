"""The on-time figure as a response: per area, tasks done on time, late and still overdue
in the window, and the rate."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import access, on_time, reading, window
from hrcore.analytics.schemas import OnTimeArea, OnTimeOut
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.i18n import N_, translate

ALL_LABEL = N_("All areas")


async def on_time_rates(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID | None,
    query: window.WindowQuery,
    clock: Clock,
) -> OnTimeOut:
    scope = await access.readable_scope(session, principal, department_id)
    start, end = await window.resolve(session, principal.org_id, query, clock)
    cells, refreshed_at = await reading.cells(
        session, principal.org_id, on_time.FIGURE, scope, start, end
    )
    counts = {(cell.dimension, cell.step): cell.count for cell in cells}
    areas = [
        _area(area, translate(label), [counts.get((area, step), 0) for step in STEPS])
        for area, label in on_time.AREA_LABELS.items()
    ]
    total = [sum(counts.get((area, step), 0) for area in on_time.AREAS) for step in STEPS]
    return OnTimeOut(
        department=scope.department,
        start=start,
        end=end,
        refreshed_at=refreshed_at,
        areas=areas,
        overall=_area("all", translate(ALL_LABEL), total),
    )


STEPS = on_time.FIGURE.step_names


def _area(area: str, label: str, counts: list[int]) -> OnTimeArea:
    on_time_count, late, overdue = counts
    total = on_time_count + late + overdue
    return OnTimeArea(
        area=area,
        label=label,
        on_time=on_time_count,
        late=late,
        overdue=overdue,
        rate=round(on_time_count / total, 4) if total else None,
    )

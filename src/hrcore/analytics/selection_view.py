"""Selection accuracy as a response: per mark, the appointees' outcomes and the shares."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import access, reading, selection, window
from hrcore.analytics.selection_schemas import SelectionAccuracyOut, SelectionMark
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.i18n import translate

STEPS = selection.FIGURE.step_names


async def selection_accuracy(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID | None,
    query: window.WindowQuery,
    clock: Clock,
) -> SelectionAccuracyOut:
    scope = await access.readable_scope(session, principal, department_id)
    start, end = await window.resolve(session, principal.org_id, query, clock)
    cells, refreshed_at = await reading.cells(
        session, principal.org_id, selection.FIGURE, scope, start, end
    )
    counts = {(cell.dimension, cell.step): cell.count for cell in cells}
    return SelectionAccuracyOut(
        department=scope.department,
        start=start,
        end=end,
        refreshed_at=refreshed_at,
        marks=[
            _mark(mark, translate(label), {step: counts.get((mark, step), 0) for step in STEPS})
            for mark, label in selection.MARK_LABELS.items()
        ],
    )


def _mark(mark: str, label: str, by_step: dict[str, int]) -> SelectionMark:
    appointed = sum(by_step.values())
    in_post = by_step["rated_well"] + by_step["rated_below"] + by_step["not_rated"]
    return SelectionMark(
        mark=mark,
        label=label,
        appointed=appointed,
        in_post_share=round(in_post / appointed, 4) if appointed else None,
        accuracy=round(by_step["rated_well"] / appointed, 4) if appointed else None,
        **by_step,
    )

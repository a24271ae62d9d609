"""The mentoring effectiveness figure as a response: counts of pairings and sessions, the
held rate, and the mean of each outcome, summed from the rollups of the scope and window."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import access, mentoring_effect, reading, window
from hrcore.analytics.mentoring_effect_schemas import (
    MentoringCount,
    MentoringEffectOut,
    MentoringMean,
)
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.i18n import translate

FIGURE = mentoring_effect.FIGURE
PAIRING_STEPS = ("active", "completed", "cancelled")
SESSION_STEPS = ("session_planned", "session_held")
OUTCOME_STEPS = ("performance_gain", "skill_gain", "goals_reached", "mentor_score")


async def mentoring_figure(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID | None,
    query: window.WindowQuery,
    clock: Clock,
) -> MentoringEffectOut:
    scope = await access.readable_scope(session, principal, department_id)
    start, end = await window.resolve(session, principal.org_id, query, clock)
    cells, refreshed_at = await reading.cells(session, principal.org_id, FIGURE, scope, start, end)
    counts: dict[str, int] = {}
    sums: dict[str, float] = {}
    for cell in cells:
        counts[cell.step] = counts.get(cell.step, 0) + cell.count
        sums[cell.step] = sums.get(cell.step, 0.0) + (cell.value_sum or 0.0)
    planned, held = counts.get("session_planned", 0), counts.get("session_held", 0)
    return MentoringEffectOut(
        department=scope.department,
        start=start,
        end=end,
        refreshed_at=refreshed_at,
        pairings=[_count(step, counts) for step in PAIRING_STEPS],
        sessions=[_count(step, counts) for step in SESSION_STEPS],
        held_rate=round(held / planned, 4) if planned else None,
        outcomes=[
            MentoringMean(
                step=step,
                label=translate(FIGURE.label(step)),
                counted=counts.get(step, 0),
                mean=round(sums[step] / counts[step], 2) if counts.get(step) else None,
            )
            for step in OUTCOME_STEPS
        ],
    )


def _count(step: str, counts: dict[str, int]) -> MentoringCount:
    return MentoringCount(step=step, label=translate(FIGURE.label(step)), count=counts.get(step, 0))

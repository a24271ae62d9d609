"""The training figure as a response: per course category the enrolments made, completed
and examined, exams passed and action plans submitted with their rates, and the people per
points band of each category, summed from the rollups of the scope and window."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import access, reading, training_effect, window
from hrcore.analytics.training_effect_schemas import (
    PointsBand,
    PointsDistribution,
    TrainingEffectCategory,
    TrainingEffectOut,
)
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.i18n import translate

FIGURE = training_effect.FIGURE
EFFECT_STEPS = ("enrolled", "completed", "examined", "exam_passed", "action_plan")
BAND_NAMES = [name for _lowest, name in training_effect.BANDS] + [training_effect.TOP_BAND]


async def training_figure(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID | None,
    query: window.WindowQuery,
    clock: Clock,
) -> TrainingEffectOut:
    scope = await access.readable_scope(session, principal, department_id)
    start, end = await window.resolve(session, principal.org_id, query, clock)
    cells, refreshed_at = await reading.cells(session, principal.org_id, FIGURE, scope, start, end)
    counts = {(cell.step, cell.dimension): cell.count for cell in cells}
    sums = {(cell.step, cell.dimension): cell.value_sum or 0.0 for cell in cells}
    categories = sorted({dim for step, dim in counts if step in EFFECT_STEPS})
    return TrainingEffectOut(
        department=scope.department,
        start=start,
        end=end,
        refreshed_at=refreshed_at,
        effect=[_effect(category, counts, {category}) for category in categories],
        overall=_effect("all", counts, set(categories)),
        points=[_distribution(step, counts, sums) for step in training_effect.CATEGORIES],
    )


def _effect(
    name: str, counts: dict[tuple[str, str], int], categories: set[str]
) -> TrainingEffectCategory:
    enrolled, completed, examined, passed, plans = (
        sum(counts.get((step, category), 0) for category in categories) for step in EFFECT_STEPS
    )
    return TrainingEffectCategory(
        category=name,
        enrolled=enrolled,
        completed=completed,
        examined=examined,
        exam_passed=passed,
        action_plans=plans,
        completion_rate=round(completed / enrolled, 4) if enrolled else None,
        pass_rate=round(passed / examined, 4) if examined else None,
    )


def _distribution(
    step: str, counts: dict[tuple[str, str], int], sums: dict[tuple[str, str], float]
) -> PointsDistribution:
    people = sum(counts.get((step, name), 0) for name in BAND_NAMES)
    total = sum(sums.get((step, name), 0.0) for name in BAND_NAMES)
    return PointsDistribution(
        category=step,
        label=translate(FIGURE.label(step)),
        people=people,
        mean=round(total / people, 2) if people else None,
        bands=[PointsBand(band=name, people=counts.get((step, name), 0)) for name in BAND_NAMES],
    )

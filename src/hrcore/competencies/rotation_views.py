"""Rotation plans as the API shows them: every id named, in a fixed number of statements
whatever the number of plans and legs."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository
from hrcore.competencies.rotation_models import RotationLeg, RotationPlan
from hrcore.competencies.rotation_schemas import (
    CompetencyRatingOut,
    LegRatingOut,
    RotationLegOut,
    RotationPlanOut,
)
from hrcore.core.clock import Clock
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import api as people


def _state(leg: RotationLeg, today: date) -> str:
    if leg.withdrawn_at is not None:
        return "withdrawn"
    if today < leg.start_date:
        return "upcoming"
    return "running" if today <= leg.end_date else "ended"


async def plan_views(
    session: AsyncSession,
    org_id: uuid.UUID,
    plans: list[RotationPlan],
    legs: list[RotationLeg],
    clock: Clock,
) -> list[RotationPlanOut]:
    """Plans with their legs, employees, departments and rated competencies named."""
    by_plan: dict[uuid.UUID, list[RotationLeg]] = defaultdict(list)
    for leg in legs:
        by_plan[leg.plan_id].append(leg)
    employee_ids = {plan.employee_id for plan in plans} | {leg.host_supervisor_id for leg in legs}
    employees = await people.employee_refs(session, org_id, list(employee_ids))
    departments = await org.department_refs(
        session, org_id, list({leg.department_id for leg in legs})
    )
    rated = {uuid.UUID(r["competency_id"]) for leg in legs for r in leg.ratings or []}
    competencies = await repository.competency_levels(session, org_id, list(rated))
    today = await people.org_today(session, org_id, clock) if legs else clock.now().date()

    def leg_view(leg: RotationLeg, employee_id: uuid.UUID) -> RotationLegOut:
        rating = None
        if leg.ratings is not None and leg.rated_at is not None:
            rating = LegRatingOut(
                ratings=[
                    CompetencyRatingOut(
                        competency=Ref(
                            id=uuid.UUID(r["competency_id"]),
                            name=competencies[uuid.UUID(r["competency_id"])][0],
                        ),
                        value=r["value"],
                    )
                    for r in leg.ratings
                    if uuid.UUID(r["competency_id"]) in competencies
                ],
                note=leg.rating_note,
                rated_by=leg.rated_by,
                rated_at=leg.rated_at,
            )
        return RotationLegOut(
            id=leg.id,
            employee_id=employee_id,
            sequence=leg.sequence,
            department=departments[leg.department_id],
            post_title=leg.post_title,
            host_supervisor=employees[leg.host_supervisor_id],
            start_date=leg.start_date,
            end_date=leg.end_date,
            allowance=leg.allowance,
            state=_state(leg, today),
            employment_event_id=leg.employment_event_id,
            rating_task_id=leg.rating_task_id,
            rating=rating,
            withdrawn_at=leg.withdrawn_at,
            withdrawal_reason=leg.withdrawal_reason,
        )

    return [
        RotationPlanOut(
            id=plan.id,
            employee=employees[plan.employee_id],
            title=plan.title,
            status=plan.status,
            legs=[leg_view(leg, plan.employee_id) for leg in by_plan[plan.id]],
            created_at=plan.created_at,
            confirmed_at=plan.confirmed_at,
            version=plan.version,
        )
        for plan in plans
    ]

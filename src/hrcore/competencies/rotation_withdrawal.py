"""Withdrawing a confirmed rotation leg before its first day.

Confirming a plan recorded each leg as a temporary post; a leg that has not begun can be
called off with a reason: its temporary post is withdrawn through people (contracts then
withdraws the amendment the employee has not confirmed), the host's rating task is
cancelled (there is nothing to rate) and the leg stays in the plan, marked. A leg that has
begun is ended early instead (`rotations.end_leg_early`)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import rotation_repository
from hrcore.competencies.rotation_models import RotationLeg, RotationPlan
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, NotFound
from hrcore.core.i18n import _
from hrcore.people import api as people
from hrcore.workflow import api as workflow


async def withdraw_leg(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    leg_id: uuid.UUID,
    reason: str,
    clock: Clock,
) -> tuple[RotationPlan, list[RotationLeg]]:
    """HR admin (as for ending a leg early; 403 otherwise): 404 for a leg the plan does not
    have, 409 while the plan is a draft, once the leg has begun or when it is withdrawn
    already. Audited on the leg (`rotation_leg.withdrawn`) and on its employment event."""
    require_hr_admin(principal)
    org_id = principal.org_id
    plan = await rotation_repository.plan_by_id(session, org_id, plan_id, lock=True)
    legs = [] if plan is None else await rotation_repository.legs_of(session, org_id, [plan.id])
    leg = next((leg for leg in legs if leg.id == leg_id), None)
    if plan is None or leg is None:
        raise NotFound(_("No such rotation leg"))
    if plan.status != "confirmed" or leg.employment_event_id is None:
        raise Conflict(_("The rotation plan is not confirmed yet"))
    if leg.withdrawn_at is not None:
        raise Conflict(_("The rotation leg was withdrawn"))
    if leg.start_date <= await people.org_today(session, org_id, clock):
        raise Conflict(_("The rotation leg has begun: end it early instead"))
    await people.withdraw_temporary_post(session, principal, leg.employment_event_id, reason, clock)
    leg.withdrawn_at, leg.withdrawal_reason = clock.now(), reason
    if leg.rating_task_id is not None:
        await workflow.cancel_open_tasks(
            session, org_id=org_id, task_ids=[leg.rating_task_id], clock=clock, actor=principal
        )
    plan.version += 1
    await session.flush()
    audit.record(
        session,
        principal,
        "rotation_leg.withdrawn",
        "rotation_leg",
        leg.id,
        org_id=org_id,
        before={"withdrawn_at": None},
        after={"withdrawn_at": leg.withdrawn_at.isoformat(), "reason": reason},
    )
    return plan, legs

"""Withdrawing a recorded temporary post that has not begun.

A temporary post recorded ahead of its first day (a rotation leg, a stretch assignment's
post) may be called off before it starts. The event stays — rotation legs, stretch
assignees and contract amendments name it — marked withdrawn with its reason, so it never
applies and no longer shows as a pending change. Contracts hears of it
(`EMPLOYMENT_EVENT_WITHDRAWN`) and withdraws the amendment the employee has not confirmed.
A post that has begun is ended early instead (`employment_events.end_temporary_post`).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, NotFound
from hrcore.core.i18n import _
from hrcore.people import access, repository
from hrcore.people.employment_events import EMPLOYMENT_EVENT_WITHDRAWN, announce
from hrcore.people.models import EmploymentEvent
from hrcore.people.profile import org_today


async def withdraw_temporary_post(
    session: AsyncSession,
    principal: Principal,
    event_id: uuid.UUID,
    reason: str,
    clock: Clock,
    *,
    employee_id: uuid.UUID | None = None,
) -> EmploymentEvent:
    """Withdraw a temporary post before its first day (HR only), with a reason. 404 for
    another kind of event, another organization's or (`employee_id` given) another
    employee's; 409 once it has begun (end it early) or when it is withdrawn already.
    Audited and announced."""
    event = await repository.event_by_id(session, principal.org_id, event_id, lock=True)
    if (
        event is None
        or event.kind != "temporary_post"
        or employee_id not in (None, event.employee_id)
    ):
        raise NotFound(_("No such temporary post"))
    await access.find_for_hr_write(session, principal, event.employee_id)
    if event.withdrawn_at is not None:
        raise Conflict(_("The temporary post is already withdrawn"))
    if event.applied_at is not None or event.effective_date <= await org_today(
        session, event.org_id, clock
    ):
        raise Conflict(_("The temporary post has begun: end it early instead"))
    event.withdrawn_at, event.withdrawal_reason = clock.now(), reason
    await session.flush()
    audit.record(
        session,
        principal,
        "employment_event.withdrawn",
        "employment_event",
        event.id,
        org_id=event.org_id,
        before={"withdrawn_at": None},
        after={"withdrawn_at": event.withdrawn_at.isoformat(), "reason": reason},
    )
    announce(session, event, EMPLOYMENT_EVENT_WITHDRAWN, applied=False)
    return event

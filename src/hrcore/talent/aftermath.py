"""The loop after an appointment: what the appointee was being developed for is done.

In the appointment's transaction: the appointee's other open memberships end, each with the
appointment's reason, audited and in the member's history — active ones `graduated`, pending
nominations `rejected` (a nomination is rejected, never removed: the appointment is HR's
decision on it, published as `nomination.decided`, and HR's task to decide it is withdrawn);
their programs under way end as `graduated` with their open stage work cancelled (programs
answers through `AppointeeProgramsProvider`, declared in its registry: talent does not
import programs); and the employee is told. When the move was dated later, they are told
again on the day it takes effect (a job on people's `EMPLOYMENT_EVENT_APPLIED`).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.i18n import Day, _
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.org import api as org
from hrcore.talent import approving, history, nominations, repository
from hrcore.talent.models import MemberStatus, TalentPoolMember

APPOINTMENT_SUBJECT = "vacancy_appointment"
"""An appointee's notifications are about their appointment."""
APPLIED_JOB = "talent.tell_appointment_in_effect"

AppointeePrograms = Callable[[AsyncSession, Principal, uuid.UUID, Clock, str], Awaitable[int]]
"""(session, the appointing principal, employee id, clock, reason) → how many participations
graduated."""
_PROGRAMS: list[AppointeePrograms] = []


@dataclass(frozen=True)
class AppointeeProgramsProvider:
    """Programs' declaration (a `core.registry.Hook`): it ends an appointee's programs."""

    graduate: AppointeePrograms

    def install(self) -> None:
        _PROGRAMS[:] = [self.graduate]


@dataclass(frozen=True)
class LoopClosed:
    """What the appointment ended, for its audit event and webhook."""

    memberships_ended: int
    programs_graduated: int


async def close_loop(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    reason: str,
    clock: Clock,
    now: datetime,
) -> LoopClosed:
    """End the appointee's open memberships and programs; call after the appointed
    membership was marked, so it is not among them."""
    if not _PROGRAMS:
        raise RuntimeError("No appointee programs hook: install hrcore.domains.DOMAINS")
    members = await repository.open_members_of_employee(session, principal.org_id, employee_id)
    active = [m for m in members if m.status == MemberStatus.ACTIVE.value]
    nominated = [m for m in members if m.status == MemberStatus.NOMINATED.value]
    if active:
        await repository.end_memberships(
            session,
            [m.id for m in active],
            status=MemberStatus.GRADUATED.value,
            at=now,
            reason=reason,
        )
        await _record_ends(session, principal, active, MemberStatus.GRADUATED, now, reason)
    if nominated:
        for member in nominated:
            member.status, member.ended_at = MemberStatus.REJECTED.value, now
            member.ended_reason = reason
            member.decided_by, member.decided_at = principal.user_id, now
            member.decision_reason = reason
        await session.flush()
        await _record_ends(session, principal, nominated, MemberStatus.REJECTED, now, reason)
        await approving.cancel(session, principal.org_id, nominated, clock, principal)
        for member in nominated:
            await nominations.publish_decided(session, member)
    graduated = await _PROGRAMS[0](session, principal, employee_id, clock, reason)
    return LoopClosed(len(members), graduated)


async def _record_ends(
    session: AsyncSession,
    principal: Principal,
    members: list[TalentPoolMember],
    status: MemberStatus,
    now: datetime,
    reason: str,
) -> None:
    """The member's history and the audit of memberships the appointment ended: active ones
    graduated, pending nominations rejected."""
    was = MemberStatus.ACTIVE if status is MemberStatus.GRADUATED else MemberStatus.NOMINATED
    for member in members:
        history.record_hr_status(
            session, member, status.value, by=principal.user_id, at=now, reason=reason
        )
    await audit.record_many(
        session,
        principal,
        f"talent_member.{status.value}",
        "talent_member",
        [(member.id, {"status": status.value, "reason": reason}) for member in members],
        org_id=principal.org_id,
        before={"status": was.value},
    )


async def tell_appointee(
    session: AsyncSession,
    org_id: uuid.UUID,
    appointment_id: uuid.UUID,
    employee_id: uuid.UUID,
    position_id: uuid.UUID,
    effective_date: date,
    *,
    moment: Literal["made", "made_pending", "in_effect"],
) -> None:
    """The appointee's inbox (and DingTalk): appointed (in effect, or from a later date), or
    the later date has come."""
    position = await org.require_position(session, org_id, position_id)
    users = await identity.user_ids_for_employees(session, org_id, [employee_id])
    title = _("You are appointed {position}", position=position.title)
    if moment == "made":
        body = _(
            "Your new post is in effect from {date}. Your talent pool memberships and "
            "development programs have ended.",
            date=Day(effective_date),
        )
    elif moment == "made_pending":
        body = _(
            "Your appointment takes effect on {date}; until then your current post stays. "
            "Your talent pool memberships and development programs have ended.",
            date=Day(effective_date),
        )
    else:
        title = _("Your appointment as {position} is in effect", position=position.title)
        body = _(
            "From {date} your post is {position}; your manager and team follow the new post.",
            date=Day(effective_date),
            position=position.title,
        )
    await notifications.notify(
        session,
        org_id=org_id,
        user_ids=users.get(employee_id, []),
        kind="talent.appointment_in_effect" if moment == "in_effect" else "talent.appointed",
        title=title,
        body=body,
        subject_type=APPOINTMENT_SUBJECT,
        subject_id=appointment_id,
        dedupe_key=f"appointment:{appointment_id}:{moment}",
    )


async def tell_in_effect(
    session: AsyncSession, org_id: uuid.UUID, employment_event_id: uuid.UUID
) -> None:
    """A pending move reached the record: if it was an appointment, tell the appointee."""
    appointment = await repository.appointment_by_event(session, org_id, employment_event_id)
    if appointment is None:
        return
    vacancy = await repository.vacancy_by_id(session, org_id, appointment.vacancy_id)
    if vacancy is None:
        return
    await tell_appointee(
        session,
        org_id,
        appointment.id,
        appointment.employee_id,
        vacancy.position_id,
        appointment.effective_date,
        moment="in_effect",
    )

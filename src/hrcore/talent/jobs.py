"""Background work of talent pools and succession (thin: the use cases do the work)."""

from __future__ import annotations

import uuid

from hrcore.core.jobs import JobContext
from hrcore.talent import aftermath, membership, vacancies


async def end_memberships_of_leaver(context: JobContext) -> None:
    """Subscribed to people's employment events, recorded and applied: only an exit that
    took effect ends memberships (one dated later does on its date)."""
    payload = context.payload
    if context.org_id is None or payload.get("kind") != "exit" or payload.get("applied") is False:
        return
    await membership.end_memberships_of_leaver(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["employee_id"])),
        context.clock,
    )


async def open_vacancy_for_vacated_post(context: JobContext) -> None:
    """Subscribed to people's employment events: a management post left opens a vacancy."""
    if context.org_id is None:
        return
    await vacancies.open_vacancy_for_vacated_post(
        context.session, context.org_id, uuid.UUID(str(context.payload["event_id"])), context.clock
    )


async def tell_appointment_in_effect(context: JobContext) -> None:
    """Subscribed to people's EMPLOYMENT_EVENT_APPLIED: an appointment dated later took
    effect; the appointee is told."""
    if context.org_id is None:
        return
    await aftermath.tell_in_effect(
        context.session, context.org_id, uuid.UUID(str(context.payload["event_id"]))
    )

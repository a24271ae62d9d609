"""Closing a post 「部门内任务」 that people hold: their temporary posts follow it.

Closed while it runs, each active holder's temporary post ends today (the same event, its
end moved; contracts redrafts the amendment for the real end). Closed before it begins, the
posts never start: each is withdrawn through people with the reason given (contracts
withdraws the amendment not yet confirmed), and the holders' tasks — kick-off, mid-point,
outcome — are cancelled, as there is nothing left to do. Both change employment records,
so only an HR admin closes a post someone holds (403 for another editor, nothing written).
Closed after its window, nothing moves. A post whose temporary posts were withdrawn is not
reopened (409): its holders hold nothing any more; a new assignment is recorded afresh.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import stretch_repository
from hrcore.competencies.models import StretchAssignee, StretchAssignment
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.people import api as people
from hrcore.workflow import api as workflow


async def _holders(
    session: AsyncSession, org_id: uuid.UUID, assignment: StretchAssignment
) -> list[StretchAssignee]:
    """The people on the post now, each with their temporary post."""
    return [
        assignee
        for assignee in await stretch_repository.assignees_of(session, org_id, assignment.id)
        if assignee.status == "active" and assignee.employment_event_id is not None
    ]


async def require_posts_held(
    session: AsyncSession, org_id: uuid.UUID, assignment: StretchAssignment
) -> None:
    """409 when reopening a post whose holders' temporary posts were withdrawn."""
    for assignee in await _holders(session, org_id, assignment):
        assert assignee.employment_event_id is not None  # filtered by _holders
        event = await people.employment_event(session, org_id, assignee.employment_event_id)
        if event is not None and event.withdrawn:
            raise Conflict(
                _(
                    "The post was closed before it began and its temporary posts were "
                    "withdrawn: create a new assignment instead"
                )
            )


async def close_post(
    session: AsyncSession,
    principal: Principal,
    assignment: StretchAssignment,
    reason: str | None,
    clock: Clock,
) -> None:
    """The holders' temporary posts end today, or are withdrawn before the post begins
    (`reason` required then: 422 on `reason`)."""
    today = await people.org_today(session, principal.org_id, clock)
    if today >= assignment.ends_on:
        return
    holders = await _holders(session, principal.org_id, assignment)
    if not holders:
        return
    require_hr_admin(principal)
    if today >= assignment.starts_on:
        for assignee in holders:
            assert assignee.employment_event_id is not None  # filtered above
            await people.end_temporary_post(session, principal, assignee.employment_event_id, today)
        return
    if reason is None:
        raise Unprocessable(
            _("Say why the post is closed before it begins"),
            errors=[
                FieldError(field="reason", message=_("required to withdraw its temporary posts"))
            ],
        )
    for assignee in holders:
        assert assignee.employment_event_id is not None  # filtered above
        await people.withdraw_temporary_post(
            session, principal, assignee.employment_event_id, reason, clock
        )
    await workflow.cancel_open_tasks(
        session,
        org_id=principal.org_id,
        task_ids=[task_id for assignee in holders for task_id in assignee.task_ids],
        clock=clock,
        actor=principal,
    )

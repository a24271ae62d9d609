"""What the other participant of a check-in hears in the inbox: that a 1:1 was scheduled
with them, moved or cancelled, named after who did it and when it is, in the reader's
language and the organization's time zone. Never the agenda or the notes: DingTalk channels
may relay inbox notices."""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.i18n import Moment, _
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.performance.check_in_models import CheckIn

SUBJECT = "check_in"
"""What a check-in is as a subject of tasks and notifications (and deep links)."""
Change = Literal["scheduled", "rescheduled", "cancelled"]
INBOX_NAMES = (
    "SELECT c.id, m.full_name, c.report_id FROM check_ins c"
    " JOIN employees m ON m.org_id = c.org_id AND m.id = c.manager_id"
    " WHERE c.org_id = {org} AND c.id = ANY({ids})"
)
"""The inbox names a check-in after its manager, about its report."""


async def tell_other(
    session: AsyncSession, check_in: CheckIn, actor_id: uuid.UUID, change: Change
) -> None:
    """Notify the participant who did not make the change (once per version and change)."""
    org_id = check_in.org_id
    other = check_in.report_id if actor_id == check_in.manager_id else check_in.manager_id
    actor = await people.employee_ref(session, org_id, actor_id)
    name = actor.name if actor is not None else ""
    when = Moment(check_in.scheduled_at, await identity.org_timezone(session, org_id))
    if change == "scheduled":
        title, body = _("{name} scheduled a 1:1 with you", name=name), _("On {when}.", when=when)
    elif change == "rescheduled":
        title, body = _("{name} moved your 1:1", name=name), _("Now on {when}.", when=when)
    else:
        title = _("{name} cancelled your 1:1", name=name)
        body = _("It was planned on {when}.", when=when)
    users = await identity.user_ids_for_employees(session, org_id, [other])
    await notifications.notify(
        session,
        org_id=org_id,
        user_ids=users.get(other, []),
        kind=f"check_in.{change}",
        title=title,
        body=body,
        subject_type=SUBJECT,
        subject_id=check_in.id,
        dedupe_key=f"check_in:{check_in.id}:{check_in.version}:{change}",
    )

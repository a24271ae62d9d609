"""What a development plan's other co-editors hear in the inbox when someone edits or
comments on it: the employee hears of their direct manager's (or anyone else's) change, the
direct manager of the employee's, each named after who did it (their
employee record's name, an account's for HR without one). Never the comment or the
content: DingTalk channels may relay inbox notices (as check-ins and feedback do)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.models import DevelopmentPlan
from hrcore.core.authz import Principal
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.people import api as people

SUBJECT = "development_plan"
INBOX_NAMES = (
    "SELECT p.id, p.title, p.employee_id FROM development_plans p"
    " WHERE p.org_id = {org} AND p.id = ANY({ids})"
)
"""The inbox names a plan after its title, about its employee."""
Change = Literal["edited", "commented"]


async def tell_co_editors(
    session: AsyncSession,
    principal: Principal,
    plan: DevelopmentPlan,
    change: Change,
    now: datetime,
) -> None:
    """Notify the employee and their direct manager, but not whoever made the change. An
    edit is told once per version, comments once per plan, author and minute (a burst of
    replies is one item)."""
    org_id = plan.org_id
    manager = (await people.managers_of(session, org_id, [plan.employee_id])).get(plan.employee_id)
    readers = [e for e in (plan.employee_id, manager) if e and e != principal.employee_id]
    users = await identity.user_ids_for_employees(session, org_id, readers)
    recipients = [u for e in readers for u in users.get(e, []) if u != principal.user_id]
    if not recipients or principal.user_id is None:
        return
    author = (
        await people.employee_ref(session, org_id, principal.employee_id)
        if principal.employee_id is not None
        else None
    ) or (await identity.user_refs(session, org_id, [principal.user_id]))[principal.user_id]
    if change == "edited":
        title = _("{name} edited your development plan", name=author.name)
        key = f"development_plan:{plan.id}:v{plan.version}:edited"
    else:
        title = _("{name} commented on your development plan", name=author.name)
        key = f"development_plan:{plan.id}:{principal.user_id}:{now:%Y%m%d%H%M}:commented"
    await notifications.notify(
        session,
        org_id=org_id,
        user_ids=recipients,
        kind=f"development_plan.{change}",
        title=title,
        body=_("Read it in the app."),
        subject_type=SUBJECT,
        subject_id=plan.id,
        dedupe_key=key,
    )

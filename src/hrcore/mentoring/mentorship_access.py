"""Who may see and do what with pairings.

The one place that answers "may this caller read or act on this pairing" — pairings, plans,
sessions, surveys and effectiveness all ask here.

Reading: HR admins every pairing; anyone else the pairings whose mentee or mentor is in their
reach (people's: themself, the people they manage, a department head's subtree) — so the
mentor and the mentee their own; any other pairing answers 404. Integration keys: 403.
Pairing and ending: HR admins, or whoever manages the mentee (their managers, the department
head over them). Acting for the mentor (the plan, sessions): the mentor or HR (403 for other
readers). Answering surveys: the mentee alone (404 for anyone else, HR included, so a survey
never shows who may answer it). A mentor's own figures: the mentor, their manager, HR.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.db import get_or_404
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import N_, _
from hrcore.core.i18n import Text as Message
from hrcore.mentoring.mentorship_models import Mentorship
from hrcore.people import api as people

WHAT = N_("mentorship")


async def reach(session: AsyncSession, principal: Principal) -> list[uuid.UUID] | None:
    """The employees whose pairings (as mentee or mentor) the caller reads (`None`: all)."""
    principal.require_key_scope(None)
    return await people.visible_employee_ids(session, principal)


def visible(mentorship: Mentorship, reached: list[uuid.UUID] | None) -> bool:
    return reached is None or bool(
        {mentorship.mentee_employee_id, mentorship.mentor_employee_id} & set(reached)
    )


async def readable_mentorship(
    session: AsyncSession,
    principal: Principal,
    mentorship_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Mentorship:
    """A pairing the caller reads, else 404."""
    reached = await reach(session, principal)
    mentorship = await get_or_404(
        session, Mentorship, principal.org_id, mentorship_id, what=WHAT, for_update=for_update
    )
    if not visible(mentorship, reached):
        raise NotFound(_("No such {what}", what=Message(WHAT)))
    return mentorship


async def require_pairing_manager(
    session: AsyncSession, principal: Principal, mentee_id: uuid.UUID
) -> None:
    """HR admins, or the mentee's managers and department head (403 for others who see the
    mentee, the mentee included; 404 for who does not)."""
    principal.require_key_scope(None)
    await people.ensure_can_manage(session, principal, mentee_id)


def require_mentor_or_hr(principal: Principal, mentorship: Mentorship, refusal: Message) -> None:
    """The mentor or an HR admin acts (edits the plan, logs sessions); 403 with `refusal` for
    others who read the pairing."""
    if principal.is_hr_admin or principal.employee_id == mentorship.mentor_employee_id:
        return
    raise Forbidden(refusal)


def require_plan_editor(principal: Principal, mentorship: Mentorship) -> None:
    require_mentor_or_hr(principal, mentorship, _("Only the mentor or an HR admin edits the plan"))


async def own_mentorship_as_mentee(
    session: AsyncSession, principal: Principal, mentorship_id: uuid.UUID
) -> Mentorship:
    """The caller's own pairing as its mentee, locked (one answer per session holds under
    concurrent posts); 404 for anyone else, the mentor and HR included."""
    principal.require_key_scope(None)
    mentorship = await session.scalar(
        select(Mentorship)
        .where(Mentorship.org_id == principal.org_id, Mentorship.id == mentorship_id)
        .with_for_update()
    )
    if mentorship is None or principal.employee_id != mentorship.mentee_employee_id:
        raise NotFound(_("No such {what}", what=Message(WHAT)))
    return mentorship


async def reads_mentor_figures(
    session: AsyncSession, principal: Principal, mentor_employee_id: uuid.UUID
) -> bool:
    """The mentor themself, their manager or an HR admin reads a mentor's own figures."""
    principal.require_key_scope(None)
    if principal.is_hr_admin or principal.employee_id == mentor_employee_id:
        return True
    if principal.employee_id is None:
        return False
    managers = await people.managers_of(session, principal.org_id, [mentor_employee_id])
    return managers.get(mentor_employee_id) == principal.employee_id

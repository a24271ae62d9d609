"""Who takes part in a talent review meeting: HR admins open, close and move anyone; a
department head reads the sessions with people of their subtree and moves those people
only (a session without any is 404, as if it did not exist); nobody else (403), and no
integration key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.talent_review_models import TalentReviewPlacement, TalentReviewSession
from hrcore.core.authz import Principal, require_hr_or_dept_head
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.org import api as org


@dataclass(frozen=True)
class Reach:
    """The departments whose people the caller sees in a session (None: everyone)."""

    department_ids: list[uuid.UUID] | None

    def placements(self) -> list[ColumnElement[bool]]:
        """Conditions on `TalentReviewPlacement` keeping the people in reach."""
        if self.department_ids is None:
            return []
        return [TalentReviewPlacement.department_id.in_(self.department_ids)]


async def reach(session: AsyncSession, principal: Principal) -> Reach:
    principal.require_key_scope(None)
    require_hr_or_dept_head(
        principal, _("Only HR admins and department heads take part in talent reviews")
    )
    if principal.is_hr_admin:
        return Reach(None)
    assert principal.department_scope is not None
    return Reach(await org.subtree_ids(session, principal.org_id, principal.department_scope))


def sessions_in_reach(principal: Principal, caller: Reach) -> list[ColumnElement[bool]]:
    """Conditions on `TalentReviewSession`: the organization's, with someone in reach."""
    conditions: list[ColumnElement[bool]] = [TalentReviewSession.org_id == principal.org_id]
    if caller.department_ids is not None:
        conditions.append(
            exists().where(
                TalentReviewPlacement.session_id == TalentReviewSession.id,
                TalentReviewPlacement.department_id.in_(caller.department_ids),
            )
        )
    return conditions


async def readable_session(
    session: AsyncSession,
    principal: Principal,
    review_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> tuple[TalentReviewSession, Reach]:
    """The session and the caller's reach in it; 404 when it is another organization's or
    has nobody in the caller's reach."""
    caller = await reach(session, principal)
    statement = select(TalentReviewSession).where(
        TalentReviewSession.id == review_id, *sessions_in_reach(principal, caller)
    )
    if for_update:
        statement = statement.with_for_update(of=TalentReviewSession)
    found = await session.scalar(statement)
    if found is None:
        raise NotFound(_("No such talent review"))
    return found, caller

"""The people around a nomination: the nominee's notices and the `nomination.decided`
webhook. Its approvers hear of it through its approval (`approving`); the nominee is told
of the nomination (unless they nominated themself) and of the outcome.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.i18n import Text, _
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.talent.models import MemberStatus, TalentPoolMember
from hrcore.webhooks import api as webhooks

SUBJECT = "talent_member"
DECISION_DAYS = 7
"""HR's time to decide a nomination (its approval's decision task), counted as the
organization counts its tasks' days."""


async def tell_nominee(
    session: AsyncSession, member: TalentPoolMember, *, pool: str, approval: bool
) -> None:
    """The nominee hears they were put forward, and why (a self-nomination tells no one)."""
    await _notify(
        session,
        member,
        await _nominee_users(session, member),
        _("You are nominated to the talent pool {pool}", pool=pool),
        _("Reason: {reason}. Its approvers decide whether you join.", reason=member.reason)
        if approval
        else _("Reason: {reason}. HR decides whether you join.", reason=member.reason),
        "nominated",
    )


async def decided(session: AsyncSession, member: TalentPoolMember, *, pool: str) -> None:
    """HR approved or rejected a nomination that ran on no approval: the nominee hears
    why."""
    if member.status == MemberStatus.ACTIVE.value:
        title = _("You joined the talent pool {pool}", pool=pool)
        body = _("HR approved your nomination: {reason}", reason=member.decision_reason)
    else:
        title = _("Your nomination to the talent pool {pool} was not approved", pool=pool)
        body = _(
            "HR's reason: {reason}. You may be nominated again later.",
            reason=member.decision_reason,
        )
    await _notify(session, member, await _nominee_users(session, member), title, body, "decided")


async def concluded(
    session: AsyncSession, member: TalentPoolMember, *, pool: str, comment: str | None
) -> None:
    """The nomination's approval ended: the nominee hears how, with the last approver's
    comment when there is one."""
    if member.status == MemberStatus.ACTIVE.value:
        title = _("You joined the talent pool {pool}", pool=pool)
        body = (
            _("Your nomination was approved: {reason}", reason=comment)
            if comment
            else _("Your nomination was approved.")
        )
    elif member.status == MemberStatus.REJECTED.value:
        title = _("Your nomination to the talent pool {pool} was not approved", pool=pool)
        body = _(
            "The reason given: {reason}. You may be nominated again later.", reason=comment or "-"
        )
    else:
        title = _("Your nomination to the talent pool {pool} was withdrawn", pool=pool)
        body = _("Your nominator withdrew it. You may be nominated again later.")
    await _notify(session, member, await _nominee_users(session, member), title, body, "decided")


async def publish_decided(session: AsyncSession, member: TalentPoolMember) -> None:
    """A nomination approved (`active`) or rejected (`rejected`), for webhook subscribers."""
    await webhooks.publish(
        session,
        org_id=member.org_id,
        event_type=webhooks.EventType.NOMINATION_DECIDED,
        payload={
            "member_id": str(member.id),
            "pool_id": str(member.pool_id),
            "employee_id": str(member.employee_id),
            "decision": "approved" if member.status == MemberStatus.ACTIVE.value else "rejected",
            "readiness": member.readiness,
        },
    )


async def _nominee_users(session: AsyncSession, member: TalentPoolMember) -> list[uuid.UUID]:
    users = await identity.user_ids_for_employees(session, member.org_id, [member.employee_id])
    return users.get(member.employee_id, [])


async def _notify(
    session: AsyncSession,
    member: TalentPoolMember,
    user_ids: Sequence[uuid.UUID],
    title: Text,
    body: Text,
    step: str,
) -> None:
    if not user_ids:
        return
    await notifications.notify(
        session,
        org_id=member.org_id,
        user_ids=user_ids,
        kind=f"talent.nomination_{step}",
        title=title,
        body=body,
        subject_type=SUBJECT,
        subject_id=member.id,
        dedupe_key=f"talent_member:{member.id}:{step}:{member.nominated_at.isoformat()}",
    )

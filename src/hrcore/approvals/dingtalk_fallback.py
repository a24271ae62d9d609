"""A DingTalk approval DingTalk never started runs in hrcore instead: never a stuck approval.

When the start job's last attempt fails, the approval — pending, with no steps — takes the
organization's chain for its kind (else the kind's default), resolved now as a submission
would be, with the HR admins as the stated fallback when no step has anyone; its first
step's approvers get their decision tasks. When nobody at all could approve it in hrcore
(no approver, no HR admin but the requester or the subject), it is
withdrawn by the system, and its domain's `on_ended` runs as on any withdrawal. Either way
the requester and the HR admins are told in their inbox, and it is audited
(`approval.dingtalk_start_failed`) with DingTalk's last answer; the instance row stays
`failed`, which `dingtalk.state` shows.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import chains, running
from hrcore.approvals.dingtalk_models import ApprovalDingTalkInstance
from hrcore.approvals.kinds import spec_of
from hrcore.approvals.models import Approval
from hrcore.approvals.resolution import fallback_step
from hrcore.core import audit
from hrcore.core.clock import Clock
from hrcore.core.errors import ProblemError
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications

NOTICE = "approval.dingtalk_start_failed"
SUBJECT = "approval"


async def run_in_hrcore(
    session: AsyncSession, approval: Approval, row: ApprovalDingTalkInstance, clock: Clock
) -> None:
    """The start failed for good (`row` is `failed` with DingTalk's last answer): the
    approval runs on its chain here, or is withdrawn when nobody here could approve it."""
    spec, found = spec_of(approval.kind), None
    if spec is not None:
        try:
            parties = await running.parties_of(session, approval)
            found = await chains.plan(
                session, approval.org_id, spec, approval.facts, parties, until_first=True
            )
        except ProblemError:  # nobody at all could approve it in hrcore
            found = None
    after: dict[str, object] = {"process_code": row.process_code, "error": row.last_error}
    if found is None:
        approval.status, approval.decided_at = "withdrawn", clock.now()
        audit.record(
            session, None, NOTICE, SUBJECT, approval.id, org_id=approval.org_id, after=after
        )
        audit.record(
            session,
            None,
            "approval.withdrawn",
            SUBJECT,
            approval.id,
            org_id=approval.org_id,
            after={"by": "system", "reason": "nobody_can_approve"},
        )
        await session.flush()
        await running.ended(session, approval, clock)
        await _notify(session, approval, ran_here=False)
        return
    resolved = [{**step, "round": approval.round} for step in found.resolved]
    if found.fallback is not None:
        step = fallback_step(len(found.steps), found.fallback)
        resolved.append({**step, "round": approval.round})
    approval.chain_id, approval.chain_revision = found.chain_id, found.chain_revision
    approval.steps, approval.resolved = found.steps, resolved
    approval.current_step, approval.fallback = resolved[-1]["step"], found.fallback is not None
    await session.flush()
    after |= {"runs_in": "hrcore", "chain_revision": found.chain_revision}
    audit.record(session, None, NOTICE, SUBJECT, approval.id, org_id=approval.org_id, after=after)
    await running.open_step(session, approval, resolved[-1], clock, None)
    await _notify(session, approval, ran_here=True)


async def _notify(session: AsyncSession, approval: Approval, *, ran_here: bool) -> None:
    """The requester and the HR admins: DingTalk did not take it, and what became of it."""
    requester = approval.requester_employee_id
    requester_users = (
        (await identity.user_ids_for_employees(session, approval.org_id, [requester])).get(
            requester, []
        )
        if requester is not None
        else [approval.requester_user_id]
        if approval.requester_user_id is not None
        else []
    )
    users: list[uuid.UUID] = [
        *requester_users,
        *await identity.hr_admin_user_ids(session, approval.org_id),
    ]
    await notifications.notify(
        session,
        org_id=approval.org_id,
        user_ids=users,
        kind=NOTICE,
        title=_("DingTalk could not start an approval"),
        body=_("It runs in hrcore instead: its approvers have their decision tasks.")
        if ran_here
        else _("Nobody in hrcore can approve it either, so it is withdrawn: submit it again."),
        subject_type=SUBJECT,
        subject_id=approval.id,
        dedupe_key=f"{NOTICE}:{approval.id}",
    )

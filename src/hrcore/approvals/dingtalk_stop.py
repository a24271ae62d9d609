"""Withdrawing in hrcore an approval that runs in DingTalk: its instance is terminated there
too 「撤销」, so approvers stop seeing it in the DingTalk approval app.

Withdrawing closes the instance row in the request's transaction (`closed`, outcome
`withdrawn`), so any later callback of the instance — DingTalk's own `terminate` echo, or a
decision that crossed the withdrawal — finds nothing to move and applies nothing. A running
instance gets an outbox job that calls DingTalk's terminate API from the worker, as the
requester (the instance's originator) when they still have a DingTalk account, else as the
system; DingTalk failing fails the job, which the worker retries. An instance not created
yet is never created if the start job had not asked DingTalk yet (it finds its row closed);
one DingTalk was making meanwhile is terminated once the job learns its id. A `failed` row
has nothing to terminate and keeps its state.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals.dingtalk_models import ApprovalDingTalkInstance
from hrcore.approvals.models import Approval
from hrcore.core import outbox
from hrcore.core.db import among
from hrcore.core.i18n import _
from hrcore.core.jobs import JobContext
from hrcore.identity import api as identity
from hrcore.integrations import api as integrations
from hrcore.people import api as people

logger = logging.getLogger("hrcore.approvals")

TERMINATE_JOB = "approvals.terminate_dingtalk"
MAX_TRIES = 8


async def withdrawn(
    session: AsyncSession, org_id: uuid.UUID, approval_ids: Sequence[uuid.UUID]
) -> None:
    """These approvals were withdrawn in hrcore (by their requester, or by their owning
    domain): close their DingTalk instance rows and queue the termination of each running
    instance, in one query whatever their number. The approvals are locked already (the
    callbacks lock the approval first too: one lock order)."""
    if not approval_ids:
        return
    rows = await session.scalars(
        select(ApprovalDingTalkInstance)
        .where(
            ApprovalDingTalkInstance.org_id == org_id,
            among(ApprovalDingTalkInstance.approval_id, approval_ids),
            ApprovalDingTalkInstance.status.in_(("starting", "running")),
        )
        .with_for_update()
    )
    for row in rows.all():
        if row.status == "running" and row.instance_id is not None:
            payload = {"approval_id": str(row.approval_id)}
            outbox.enqueue(session, TERMINATE_JOB, payload, org_id=org_id)
        row.status, row.outcome = "closed", "withdrawn"
    await session.flush()


async def created_after_withdrawal(session: AsyncSession, row: ApprovalDingTalkInstance) -> None:
    """DingTalk made the instance of an approval withdrawn meanwhile (the start job holds no
    lock while DingTalk answers): terminate it as a withdrawal does."""
    payload = {"approval_id": str(row.approval_id)}
    outbox.enqueue(session, TERMINATE_JOB, payload, org_id=row.org_id)


async def terminate(context: JobContext) -> None:
    """The `approvals.terminate_dingtalk` job: end the withdrawn approval's instance."""
    if context.org_id is None:
        return
    session, org_id = context.session, context.org_id
    approval_id = uuid.UUID(str(context.payload["approval_id"]))
    row = await session.scalar(
        select(ApprovalDingTalkInstance).where(
            ApprovalDingTalkInstance.org_id == org_id,
            ApprovalDingTalkInstance.approval_id == approval_id,
        )
    )
    approval = await session.get(Approval, approval_id)
    if row is None or approval is None or row.instance_id is None or row.outcome != "withdrawn":
        return
    requester = approval.requester_employee_id
    contacts = await people.dingtalk_contacts(session, org_id, [requester] if requester else [])
    contact = contacts.get(requester) if requester else None
    operator = contact.dingtalk_user_id if contact and contact.dingtalk_user_id else None
    remark = _("Withdrawn in hrcore").render(await identity.org_locale(session, org_id))
    try:
        async with integrations.workflow_of(
            session, org_id, integrations.config_from(context.settings)
        ) as workflow:
            if workflow is None:
                raise integrations.DingTalkError("no DingTalk app configured")
            await workflow.terminate(row.instance_id, operator, remark)
    except integrations.DingTalkError as exc:
        row.last_error = str(exc)[:2000]
        if context.attempt < MAX_TRIES:
            raise
        logger.warning("dingtalk approval not terminated", extra={"approval_id": str(approval_id)})
        return
    row.last_error = None

"""The `approvals.start_dingtalk` job: DingTalk creates the approval's process instance,
exactly once, and an approval DingTalk never starts runs in hrcore instead.

No row of the approval is locked while DingTalk answers, so withdrawing never waits on it:
an instance created for an approval withdrawn meanwhile is terminated (`dingtalk_stop`).

Exactly one instance although DingTalk has no idempotency key: the form carries the
approval's id (`hrcore reference`, `dingtalk_start.marker`), and before its first call the
job commits its intent (`create_requested_at`) in a side transaction; an attempt that finds
an intent — an earlier one may have created the instance and lost the answer, or died
before its commit — looks the instance up among the requester's instances of the process
started since then, and keeps the one it finds.

DingTalk failing fails the job, which the worker retries with backoff; after the last try
the row is `failed` with DingTalk's answer and the approval runs on its chain in hrcore
(`dingtalk_fallback`): never a stuck approval.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import dingtalk_fallback, dingtalk_stop
from hrcore.approvals.dingtalk_models import ApprovalDingTalkInstance
from hrcore.approvals.dingtalk_start import MAX_TRIES, marker, new_instance
from hrcore.approvals.models import Approval
from hrcore.core.db import tenant_transaction
from hrcore.core.jobs import JobContext
from hrcore.identity import api as identity
from hrcore.integrations import api as integrations

logger = logging.getLogger("hrcore.approvals")

CLOCK_SLACK = timedelta(minutes=10)
"""How far before the intent the lookup reaches: DingTalk's clock is not ours."""


async def _intent(
    context: JobContext, org_id: uuid.UUID, approval_id: uuid.UUID
) -> tuple[str, datetime | None] | None:
    """Commit the intent to create the instance before asking DingTalk, in a side
    transaction: (process code, the intent an earlier attempt left, if any); None when
    there is nothing to start (withdrawn before, started or failed already)."""
    async with tenant_transaction(context.sessionmaker, org_id) as side:
        row = await side.scalar(
            select(ApprovalDingTalkInstance)
            .where(
                ApprovalDingTalkInstance.org_id == org_id,
                ApprovalDingTalkInstance.approval_id == approval_id,
                ApprovalDingTalkInstance.status == "starting",
            )
            .with_for_update()
        )
        if row is None:
            return None
        earlier = row.create_requested_at
        if earlier is None:
            row.create_requested_at = await side.scalar(select(func.now()))
        return row.process_code, earlier


async def _created(
    context: JobContext, org_id: uuid.UUID, approval: Approval, process: str, since: datetime | None
) -> str:
    """The instance's id: the one an earlier attempt made (`since` its intent), else a new
    one. Raises `DingTalkError` for DingTalk failing or unable to start it."""
    instance = await new_instance(context.session, approval, process)
    async with integrations.workflow_of(
        context.session, org_id, integrations.config_from(context.settings)
    ) as workflow:
        if workflow is None or instance is None:
            raise integrations.DingTalkError(
                "no DingTalk app configured, or the requester has no DingTalk user id"
            )
        if since is not None:
            locale = await identity.org_locale(context.session, org_id)
            found = await workflow.find(
                process,
                instance.originator_user_id,
                since - CLOCK_SLACK,
                marker(approval, locale),
            )
            if found is not None:
                return found
        return await workflow.start(instance)


async def _locked_row(
    session: AsyncSession, org_id: uuid.UUID, approval_id: uuid.UUID
) -> ApprovalDingTalkInstance | None:
    row: ApprovalDingTalkInstance | None = await session.scalar(
        select(ApprovalDingTalkInstance)
        .where(
            ApprovalDingTalkInstance.org_id == org_id,
            ApprovalDingTalkInstance.approval_id == approval_id,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return row


async def start(context: JobContext) -> None:
    """Create the instance once and keep its id (see the module's docstring)."""
    if context.org_id is None:
        return
    session, org_id = context.session, context.org_id
    approval_id = uuid.UUID(str(context.payload["approval_id"]))
    intent = await _intent(context, org_id, approval_id)
    approval = await session.get(Approval, approval_id)
    if intent is None or approval is None:
        return
    process, since = intent
    try:
        instance_id = await _created(context, org_id, approval, process, since)
    except integrations.DingTalkError as exc:
        if context.attempt < MAX_TRIES:
            raise
        await _failed(context, approval_id, str(exc))
        return
    row = await _locked_row(session, org_id, approval_id)
    if row is None:
        return
    row.instance_id, row.last_error = instance_id, None
    if row.status == "starting":
        row.status = "running"
    elif row.outcome == "withdrawn":  # withdrawn while DingTalk made it: end it there too
        await dingtalk_stop.created_after_withdrawal(session, row)


async def _failed(context: JobContext, approval_id: uuid.UUID, error: str) -> None:
    """The last attempt failed: the row is `failed` and the approval runs in hrcore."""
    assert context.org_id is not None
    session = context.session
    approval = await session.get(
        Approval, approval_id, with_for_update=True, populate_existing=True
    )
    row = await _locked_row(session, context.org_id, approval_id)
    if approval is None or row is None or row.status != "starting":
        return
    row.status, row.last_error = "failed", error[:2000]
    logger.warning("dingtalk approval not started", extra={"approval_id": str(approval_id)})
    if approval.status == "pending":
        await dingtalk_fallback.run_in_hrcore(session, approval, row, context.clock)

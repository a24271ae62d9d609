"""Applying a DingTalk approval's outcome (`bpms_instance_change`, in the worker).

`finish` with `result` `agree` approves (the kind's act runs in this transaction), `refuse`
rejects; `terminate` (the originator cancelled it in DingTalk) withdraws. Exactly once: the
instance row moves from `running` to `closed` in one conditional update, so a replayed or
concurrent callback finds nothing to move and changes nothing — nor does the `terminate`
echo of a withdrawal in hrcore, which closed the row already (`dingtalk_stop`), nor an
outcome of an instance whose start failed (its approval runs in hrcore). DingTalk's event
names only the originator, so who decided (and their comment) is read from the instance's
operation records, before any row is locked: nothing waits on DingTalk, and the
conditional update still decides which delivery applies. A decider linked to an employee
appears among the approval's parts (step 0), and every outcome is audited with the DingTalk
user id. An instance hrcore did not start, or one of another organization (its rows are not
visible here), is ignored and logged.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals.dingtalk_models import ApprovalDingTalkInstance
from hrcore.approvals.kinds import spec_of
from hrcore.approvals.models import Approval, ApprovalAssignment
from hrcore.approvals.running import SUBJECT, complete, ended
from hrcore.core import audit
from hrcore.core.errors import Unprocessable
from hrcore.core.i18n import Text, _
from hrcore.integrations import api as integrations
from hrcore.people import api as people

logger = logging.getLogger("hrcore.approvals")

EVENT = "bpms_instance_change"
VERDICTS = {"agree": "approved", "refuse": "rejected"}
TASK_RECORDS = ("EXECUTE_TASK_NORMAL", "EXECUTE_TASK_AGENT")


def _ignored(note: Text) -> integrations.Handled:
    """Nothing applied; the note in the organization's language (the hook runs in it)."""
    return integrations.Handled(integrations.EventStatus.IGNORED, note.render())


def _verdict(payload: dict[str, Any]) -> str | None:
    change = payload.get("type")
    if change == "terminate":
        return "withdrawn"
    if change == "finish":
        return VERDICTS.get(str(payload.get("result")))
    return None


async def _decider(
    workflow: integrations.Workflow | None, instance_id: str, verdict: str
) -> tuple[str | None, str | None]:
    """(DingTalk user id, comment) of the last task decision matching the verdict."""
    if workflow is None:
        return None, None
    found = await workflow.get(instance_id)
    wanted = "AGREE" if verdict == "approved" else "REFUSE"
    records = [
        record
        for record in found.get("operationRecords") or []
        if isinstance(record, dict)
        and record.get("type") in TASK_RECORDS
        and str(record.get("result", "")).upper() == wanted
    ]
    if not records:
        return None, None
    last = records[-1]
    remark = str(last.get("remark") or "")[:2000] or None
    return str(last.get("userId") or "")[:64] or None, remark


async def on_instance_change(
    session: AsyncSession, event: integrations.InboundEvent
) -> integrations.Handled:
    """The `bpms_instance_change` hook of integrations (see the module's docstring)."""
    payload, org_id = event.payload, event.org_id
    instance_id = str(payload.get("processInstanceId") or "")[:128]
    row = await session.scalar(
        select(ApprovalDingTalkInstance).where(
            ApprovalDingTalkInstance.org_id == org_id,
            ApprovalDingTalkInstance.instance_id == instance_id,
        )
    )
    if row is None:
        logger.info("dingtalk instance unknown", extra={"instance_id": instance_id})
        return _ignored(_("DingTalk instance {id} is not an hrcore approval", id=instance_id))
    verdict = _verdict(payload)
    if verdict is None:
        return _ignored(
            _(
                "A DingTalk instance change of type {type}: nothing to apply",
                type=str(payload.get("type"))[:32],
            )
        )
    if row.status != "running":
        return _ignored(_("The DingTalk outcome is applied already"))
    # DingTalk is read before anything is locked: no row waits on its answer
    if verdict == "withdrawn":
        decider, remark = str(payload.get("staffId") or "")[:64] or None, None
    else:
        decider, remark = await _decider(event.workflow, instance_id, verdict)
    # the approval first, as withdrawing in hrcore locks it: one lock order, no deadlock
    approval = await session.get(
        Approval, row.approval_id, with_for_update=True, populate_existing=True
    )
    claimed = await session.scalar(
        update(ApprovalDingTalkInstance)
        .where(ApprovalDingTalkInstance.id == row.id, ApprovalDingTalkInstance.status == "running")
        .values(status="closed", outcome=verdict, decided_by=decider)
        .returning(ApprovalDingTalkInstance.id)
        .execution_options(synchronize_session=False)
    )
    if claimed is None:
        return _ignored(_("The DingTalk outcome is applied already"))
    if approval is None or approval.status != "pending":
        return _ignored(_("The approval is decided already"))
    await _apply(session, approval, verdict, decider, remark, event)
    return integrations.Handled(integrations.EventStatus.APPLIED)


async def _apply(
    session: AsyncSession,
    approval: Approval,
    verdict: str,
    decider: str | None,
    remark: str | None,
    event: integrations.InboundEvent,
) -> None:
    now = event.clock.now()
    employees = await people.employees_by_dingtalk_id(
        session, approval.org_id, [decider] if decider else []
    )
    employee_id: uuid.UUID | None = employees.get(decider) if decider else None
    if employee_id is not None and verdict != "withdrawn":
        session.add(
            ApprovalAssignment(
                org_id=approval.org_id,
                approval_id=approval.id,
                step=0,
                round=approval.round,
                employee_id=employee_id,
                status=verdict,
                comment=remark,
                decided_at=now,
            )
        )
    audit.record(
        session,
        None,
        f"approval.{verdict}",
        SUBJECT,
        approval.id,
        org_id=approval.org_id,
        after={
            "source": "dingtalk",
            "instance_id": event.payload.get("processInstanceId"),
            "dingtalk_user_id": decider,
            "employee_id": str(employee_id) if employee_id else None,
            "comment": remark,
        },
    )
    if verdict != "approved":
        approval.status, approval.current_step, approval.decided_at = verdict, None, now
        await session.flush()
        await ended(session, approval, event.clock, comment=remark)
        return
    spec = spec_of(approval.kind)
    if spec is None:
        raise Unprocessable(_("Unknown approval kind"))
    await complete(session, approval, spec, event.clock, None, remark)

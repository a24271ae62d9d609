"""Starting an approval in DingTalk's approval app 「钉钉审批」 instead of hrcore's chain.

When the organization maps the kind to a DingTalk process code, submitting writes the
approval (`pending`, no steps) and its instance row with an outbox job in the request's
transaction; the job (`dingtalk_starting`) creates the DingTalk process instance with the
requester as originator and the form built here: the approval's title, subject and facts
(labels in the organization's language) and its reference, by which a retry recognizes the
instance it made.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals.dingtalk_models import ApprovalDingTalkInstance
from hrcore.approvals.models import Approval
from hrcore.core import audit, outbox
from hrcore.core.authz import Principal
from hrcore.core.db import among
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.integrations import api as integrations
from hrcore.org import api as org
from hrcore.people import api as people

logger = logging.getLogger("hrcore.approvals")

START_JOB = "approvals.start_dingtalk"
MAX_TRIES = 8
SUBJECT = "approval"


async def process_code(session: AsyncSession, org_id: uuid.UUID, kind: str) -> str | None:
    """The DingTalk process code this organization runs `kind` under, if any."""
    return await integrations.approval_process_code(session, org_id, kind)


async def instances_of(
    session: AsyncSession, org_id: uuid.UUID, approval_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, ApprovalDingTalkInstance]:
    """The DingTalk instances of those of these approvals that run in DingTalk (one
    statement, however many)."""
    if not approval_ids:
        return {}
    rows = await session.scalars(
        select(ApprovalDingTalkInstance).where(
            ApprovalDingTalkInstance.org_id == org_id,
            among(ApprovalDingTalkInstance.approval_id, approval_ids),
        )
    )
    return {row.approval_id: row for row in rows}


async def submit(
    session: AsyncSession,
    *,
    process: str,
    org_id: uuid.UUID,
    kind: str,
    title: str,
    subject_employee: people.EmployeeInfo | None,
    subject_id: uuid.UUID,
    requester_employee_id: uuid.UUID,
    facts: dict[str, Any],
    actor: Principal | None,
) -> Approval:
    """The approval, pending, with its DingTalk instance queued (422 when the requester has
    no DingTalk account to start it as)."""
    contacts = await people.dingtalk_contacts(session, org_id, [requester_employee_id])
    contact = contacts.get(requester_employee_id)
    if contact is None or not contact.dingtalk_user_id:
        raise Unprocessable(
            _("This kind is approved in DingTalk, and the requester has no DingTalk account"),
            errors=[FieldError(field="requester", message=_("no DingTalk user id"))],
        )
    approval = Approval(
        org_id=org_id,
        kind=kind,
        title=title,
        status="pending",
        subject_id=subject_id,
        subject_employee_id=subject_employee.id if subject_employee else None,
        requester_employee_id=requester_employee_id,
        facts=facts,
        steps=[],
        resolved=[],
        fallback=False,
    )
    session.add(approval)
    await session.flush()
    session.add(
        ApprovalDingTalkInstance(org_id=org_id, approval_id=approval.id, process_code=process)
    )
    outbox.enqueue(session, START_JOB, {"approval_id": str(approval.id)}, org_id=org_id)
    audit.record(
        session,
        actor,
        "approval.submitted",
        SUBJECT,
        approval.id,
        org_id=org_id,
        after={"kind": kind, "facts": facts, "dingtalk_process_code": process},
    )
    return approval


def marker(approval: Approval, locale: str) -> tuple[str, str]:
    """The form value naming the approval: how a retry recognizes the instance it made."""
    return _("hrcore reference").render(locale), str(approval.id)


async def _form(session: AsyncSession, approval: Approval) -> tuple[tuple[str, str], ...]:
    """The title, the subject, each fact and the approval's reference, labelled in the
    organization's language."""
    about = approval.subject_employee_id
    refs = await people.employee_refs(session, approval.org_id, [about] if about else [])
    subject = refs.get(about) if about else None
    locale = await identity.org_locale(session, approval.org_id)
    fixed = (
        (_("Title").render(locale), approval.title),
        (_("Employee").render(locale), subject.name if subject else ""),
    )
    facts = tuple((name, str(value)) for name, value in sorted(approval.facts.items()))
    return (*fixed, *facts, marker(approval, locale))


async def new_instance(
    session: AsyncSession, approval: Approval, process: str
) -> integrations.NewInstance | None:
    """The instance to create, as the requester in their department; None when the
    requester has lost their DingTalk account since submitting."""
    requester = approval.requester_employee_id
    contacts = await people.dingtalk_contacts(
        session, approval.org_id, [requester] if requester else []
    )
    contact = contacts.get(requester) if requester else None
    if contact is None or not contact.dingtalk_user_id:
        return None
    departments = await org.dingtalk_dept_ids(session, approval.org_id, [contact.department_id])
    dept = departments.get(contact.department_id)
    return integrations.NewInstance(
        process_code=process,
        originator_user_id=contact.dingtalk_user_id,
        dept_id=int(dept) if dept and dept.isdigit() else None,
        form=await _form(session, approval),
    )

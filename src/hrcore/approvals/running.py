"""Submitting an approval and moving it from step to step.

An approval keeps the chain revision it was submitted under (`steps` is that copy), so an
edited chain reaches only later submissions. Each step becomes one decision task per
approver (workflow's reminders and escalation apply); when the last step is approved the
kind's act runs in the same transaction as that decision, so a failing act undoes it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.approvals import dingtalk_start, repository
from hrcore.approvals.chains import check_facts, fallback_for, plan, require_kind
from hrcore.approvals.kinds import DECISION_DAYS, ApprovalKindSpec, ApprovedSubject, spec_of
from hrcore.approvals.models import Approval, ApprovalAssignment
from hrcore.approvals.resolution import Approvers, Parties, fallback_step, resolve_from
from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.notifications import api as notifications
from hrcore.people import api as people
from hrcore.workflow import api as workflow

TASK_KIND = "approvals.decision"
NOTICE_KIND = "approvals.decision_requested"
"""An approver without an employee record (no workflow task) is told in the inbox."""
SUBJECT = "approval"
DECIDED_BY = workflow.Operation(
    "approve_approval", "POST", "/approvals/{approval_id}/approve", subject_param="approval_id"
)
"""An approver completes the task by deciding (approve, reject, return or delegate)."""


def require_requestable(kind: str) -> None:
    """422 unless the kind may be started by a request that states its facts."""
    if not require_kind(kind).requested_over_http:
        raise Unprocessable(
            _("This kind of approval is started by its own domain, not by a request"),
            errors=[FieldError(field="kind", message=_("not requested directly"))],
        )


def _spec(kind: str) -> ApprovalKindSpec:
    spec = spec_of(kind)
    if spec is None:  # the kind's domain no longer declares it: nothing can act on approval
        raise Unprocessable(_("Unknown approval kind"))
    return spec


async def submit(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    kind: str,
    title: str,
    subject_employee: people.EmployeeInfo | None,
    subject_id: uuid.UUID,
    requester_employee_id: uuid.UUID | None,
    requester_user_id: uuid.UUID | None,
    facts: dict[str, Any],
    clock: Clock,
    actor: Principal | None,
) -> Approval:
    """Start an approval of a declared kind on the organization's chain (422 for an unknown
    kind or fact; 422 when nobody at all could approve, never a stuck approval). The
    requester is an employee or, for an account without one, the user (exactly one)."""
    spec = require_kind(kind)
    await check_facts(session, org_id, spec, facts)
    if (process := await dingtalk_start.process_code(session, org_id, kind)) is not None:
        if requester_employee_id is None:  # DingTalk starts it as the requester's DingTalk user
            raise Unprocessable(
                _("This kind is approved in DingTalk, and the requester has no DingTalk account"),
                errors=[FieldError(field="requester", message=_("no DingTalk user id"))],
            )
        return await dingtalk_start.submit(  # the organization approves this kind in DingTalk
            session,
            process=process,
            org_id=org_id,
            kind=kind,
            title=title,
            subject_employee=subject_employee,
            subject_id=subject_id,
            requester_employee_id=requester_employee_id,
            facts=facts,
            actor=actor,
        )
    parties = Parties.of(subject_employee, facts, requester_employee_id, requester_user_id)
    found = await plan(session, org_id, spec, facts, parties, until_first=True)
    resolved = [{**step, "round": 1} for step in found.resolved]
    if found.fallback is not None:
        resolved.append({**fallback_step(len(found.steps), found.fallback), "round": 1})
    approval = Approval(
        org_id=org_id,
        kind=kind,
        title=title,
        status="pending",
        subject_id=subject_id,
        subject_employee_id=subject_employee.id if subject_employee is not None else None,
        requester_employee_id=requester_employee_id,
        requester_user_id=requester_user_id,
        facts=facts,
        chain_id=found.chain_id,
        chain_revision=found.chain_revision,
        steps=found.steps,
        resolved=resolved,
        current_step=resolved[-1]["step"],
        fallback=found.fallback is not None,
        round=1,
    )
    session.add(approval)
    await session.flush()
    audit.record(
        session,
        actor,
        "approval.submitted",
        SUBJECT,
        approval.id,
        org_id=org_id,
        after={"kind": kind, "chain_revision": found.chain_revision, "facts": facts},
    )
    await open_step(session, approval, resolved[-1], clock, actor)
    return approval


async def restart(
    session: AsyncSession, approval: Approval, clock: Clock, actor: Principal | None
) -> None:
    """A resubmitted approval starts its kept chain again from the first step, in a new
    round, resolved now for its (possibly changed) facts; the HR admins approve when no
    step has anyone, and 422 when nobody could (never a stuck approval)."""
    spec = _spec(approval.kind)
    parties = await parties_of(session, approval)
    found = await resolve_from(
        session,
        approval.org_id,
        approval.steps,
        0,
        facts=approval.facts,
        fact_types=spec.fact_types,
        parties=parties,
        until_first=True,
    )
    admins = await fallback_for(session, approval.org_id, found, parties)
    fallback = admins is not None
    if admins is not None:
        found.append(fallback_step(len(approval.steps), admins))
    found = [{**step, "round": approval.round} for step in found]
    approval.resolved = [*approval.resolved, *found]
    approval.status, approval.current_step = "pending", found[-1]["step"]
    approval.fallback, approval.decided_at = fallback, None
    await session.flush()
    await open_step(session, approval, found[-1], clock, actor)


async def parties_of(session: AsyncSession, approval: Approval) -> Parties:
    """Whom the approval is about and who asked, as its steps resolve them."""
    subject = (
        await people.require_employee(
            session, approval.org_id, approval.subject_employee_id, "subject_employee_id"
        )
        if approval.subject_employee_id is not None
        else None
    )
    return Parties.of(
        subject, approval.facts, approval.requester_employee_id, approval.requester_user_id
    )


def step_approvers(step: dict[str, Any]) -> Approvers:
    return Approvers(
        [uuid.UUID(a) for a in step["approvers"]], [uuid.UUID(u) for u in step.get("users", [])]
    )


async def open_step(
    session: AsyncSession,
    approval: Approval,
    step: dict[str, Any],
    clock: Clock,
    actor: Principal | None,
) -> None:
    """The step's approvers get their parts and decision tasks; audited, so the log shows
    who was asked when."""
    await assign(session, approval, step, clock, actor, step_approvers(step))
    audit.record(
        session,
        actor,
        "approval.step_opened",
        SUBJECT,
        approval.id,
        org_id=approval.org_id,
        after={
            "step": step["step"],
            "round": approval.round,
            "approvers": step["approvers"],
            "users": step.get("users", []),
        },
    )


async def assign(
    session: AsyncSession,
    approval: Approval,
    step: dict[str, Any],
    clock: Clock,
    actor: Principal | None,
    who: Approvers,
) -> None:
    """One pending assignment per approver in `who`: a decision task for each employee
    (workflow's reminders and escalation), an inbox notice for each account without one."""
    spec = spec_of(approval.kind)  # a kind no longer declared still reaches its approvers
    days = spec.decision_days if spec is not None else DECISION_DAYS
    due = await workflow.due_after(session, approval.org_id, clock.now(), days)
    task_ids = await workflow.create_tasks(
        session,
        org_id=approval.org_id,
        tasks=[
            workflow.NewTask(
                subject_type=SUBJECT,
                subject_id=approval.id,
                kind=TASK_KIND,
                assignee_employee_id=employee_id,
                title=_("Approve: {title}", title=approval.title),
                due=due,
                subject_employee_id=approval.subject_employee_id,
                confidential=spec.confidential if spec is not None else False,
            )
            for employee_id in who.employees
        ],
        actor=actor,
    )
    for employee_id, task_id in zip(who.employees, task_ids, strict=True):
        session.add(
            ApprovalAssignment(
                org_id=approval.org_id,
                approval_id=approval.id,
                step=step["step"],
                round=approval.round,
                employee_id=employee_id,
                status="pending",
                task_id=task_id,
            )
        )
    session.add_all(
        ApprovalAssignment(
            org_id=approval.org_id,
            approval_id=approval.id,
            step=step["step"],
            round=approval.round,
            user_id=user_id,
            status="pending",
        )
        for user_id in who.users
    )
    await session.flush()
    if who.users:
        await _tell(
            session, approval, step, who.users, confidential=bool(spec and spec.confidential)
        )


async def _tell(
    session: AsyncSession,
    approval: Approval,
    step: dict[str, Any],
    users: list[uuid.UUID],
    *,
    confidential: bool,
) -> None:
    """Approvers without an employee record hear of their part in the inbox (and the
    channels it fans out to); a confidential kind's title stays out of it."""
    title = (
        _("An approval awaits your decision")
        if confidential
        else _("Approve: {title}", title=approval.title)
    )
    await notifications.notify(
        session,
        org_id=approval.org_id,
        user_ids=users,
        kind=NOTICE_KIND,
        title=title,
        body=_("Open the approval to approve, reject or return it"),
        subject_type=SUBJECT,
        subject_id=approval.id,
        dedupe_key=f"approval:{approval.id}:{approval.round}:{step['step']}",
    )


async def advance(
    session: AsyncSession,
    approval: Approval,
    clock: Clock,
    actor: Principal | None,
    comment: str | None = None,
) -> None:
    """The current step is approved: open the next one with approvers, else the approval
    is approved and the kind's act runs here, in this transaction."""
    spec = _spec(approval.kind)
    start = (approval.current_step or 0) + 1
    found = await resolve_from(
        session,
        approval.org_id,
        approval.steps,
        start,
        facts=approval.facts,
        fact_types=spec.fact_types,
        parties=await parties_of(session, approval),
        until_first=True,
    )
    found = [{**step, "round": approval.round} for step in found]
    approval.resolved = [*approval.resolved, *found]
    if found and not found[-1]["skipped"]:
        approval.current_step = found[-1]["step"]
        await session.flush()
        await open_step(session, approval, found[-1], clock, actor)
        return
    await complete(session, approval, spec, clock, actor, comment)


async def complete(
    session: AsyncSession,
    approval: Approval,
    spec: ApprovalKindSpec,
    clock: Clock,
    actor: Principal | None,
    comment: str | None = None,
) -> None:
    """The approval is approved (its last step here, or in DingTalk): the kind's act runs
    in this transaction, so a failing act undoes the decision."""
    approval.status, approval.current_step, approval.decided_at = "approved", None, clock.now()
    await session.flush()
    audit.record(
        session,
        actor,
        "approval.completed",
        SUBJECT,
        approval.id,
        org_id=approval.org_id,
        after={"status": "approved", "round": approval.round},
    )
    await spec.on_approved(session, _subject(approval, actor, comment), clock)


def _subject(approval: Approval, actor: Principal | None, comment: str | None) -> ApprovedSubject:
    return ApprovedSubject(
        approval_id=approval.id,
        org_id=approval.org_id,
        kind=approval.kind,
        subject_id=approval.subject_id,
        subject_employee_id=approval.subject_employee_id,
        requester_employee_id=approval.requester_employee_id,
        requester_user_id=approval.requester_user_id,
        facts=dict(approval.facts),
        actor=actor,
        comment=comment,
    )


async def ended(
    session: AsyncSession,
    approval: Approval,
    clock: Clock,
    actor: Principal | None = None,
    comment: str | None = None,
) -> None:
    """A rejection or a withdrawal ended it: the kind's `on_ended`, in this transaction."""
    spec = spec_of(approval.kind)
    if spec is not None and spec.on_ended is not None:
        await spec.on_ended(session, _subject(approval, actor, comment), approval.status, clock)


async def close_assignments(
    session: AsyncSession,
    approval: Approval,
    assignments: list[ApprovalAssignment],
    clock: Clock,
    actor: Principal | None,
    *,
    reason: str,
) -> None:
    """The step (or the approval) closed without these approvers: their parts and tasks
    are cancelled."""
    open_ones = [a for a in assignments if a.status == "pending"]
    for assignment in open_ones:
        assignment.status = "cancelled"
    tasks = [a.task_id for a in open_ones if a.task_id is not None]
    if tasks:
        await workflow.cancel_open_tasks(
            session, org_id=approval.org_id, task_ids=tasks, clock=clock, actor=actor, reason=reason
        )
    await session.flush()


async def decided_only(
    session: AsyncSession, task: workflow.TaskInfo, submission: workflow.Submission | None
) -> None:
    """A decision task closes by deciding the approval, which the task cannot carry."""
    if await repository.pending_with_task(session, task.org_id, task.id) is not None:
        raise Unprocessable(
            _("Decide on the approval itself: approve, reject, return it or hand it on")
        )

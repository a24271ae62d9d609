"""The people around a nomination: the nominee's notices, the `nomination.decided` webhook,
and HR's task to decide one the approval engine cannot carry (`approving`).

Such a nomination gives the first HR admin linked to an employee record other than the
nominee a task to decide it (as contracts assigns HR's tasks); with no such admin every HR
admin but the nominee hears of it in the inbox (the nominee never decides it). The task is
completed by the decision itself (approve or reject on the member), withdrawn when the
nominee leaves or is appointed elsewhere (the appointment rejects the nomination), and
cannot be completed on its own (`decided_only`). The nominee is told of the nomination
(unless they nominated themself) and of the outcome.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import Text, _
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.talent import repository
from hrcore.talent.models import MemberStatus, TalentPoolMember
from hrcore.webhooks import api as webhooks
from hrcore.workflow import api as workflow

TASK_KIND = "talent.nomination_decision"
DECIDED_BY = workflow.Operation(
    "update_talent_pool_member",
    "PATCH",
    "/talent-pools/{pool_id}/members/{member_id}",
    subject_param="member_id",
)
"""HR completes the task by deciding the nomination (`status` active or rejected)."""
SUBJECT = "talent_member"
DECISION_DAYS = 7
"""HR's time to decide a nomination, counted as the organization counts its tasks' days."""


async def ask_hr(
    session: AsyncSession,
    member: TalentPoolMember,
    *,
    employee: str,
    pool: str,
    actor: Principal,
) -> None:
    """HR's task to approve or reject the nomination, for an HR admin who is not the nominee
    (or, without such an HR employee record, every other HR admin's inbox)."""
    hr_users = await identity.hr_admin_user_ids(session, member.org_id)
    linked = await identity.employee_ids_for_users(session, member.org_id, hr_users)
    deciders = sorted({e for e in linked.values() if e != member.employee_id})
    title = _(
        "Decide the nomination of {employee} to the talent pool {pool}",
        employee=employee,
        pool=pool,
    )
    if deciders:
        await workflow.create_task(
            session,
            org_id=member.org_id,
            subject_type=SUBJECT,
            subject_id=member.id,
            kind=TASK_KIND,
            assignee_employee_id=deciders[0],
            title=title,
            due=await workflow.due_after(
                session, member.org_id, member.nominated_at, DECISION_DAYS
            ),
            completion_params={"pool_id": str(member.pool_id)},
            subject_employee_id=member.employee_id,
            actor=actor,
        )
        return
    others = [u for u in hr_users if linked.get(u) != member.employee_id]
    await _notify(session, member, others, title, _where_to_decide(member), "decide")


def _where_to_decide(member: TalentPoolMember) -> Text:
    return _(
        "Approve or reject it on the member: PATCH /talent-pools/{pool_id}/members/{member_id}",
        pool_id=str(member.pool_id),
        member_id=str(member.id),
    )


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


async def decided(
    session: AsyncSession, member: TalentPoolMember, *, pool: str, actor: Principal, clock: Clock
) -> None:
    """HR approved or rejected: the task is done and the nominee hears why."""
    for task in await _open_tasks(session, member.org_id, [member.id], clock):
        await workflow.complete_task(
            session, org_id=member.org_id, task_id=task, clock=clock, actor=actor
        )
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


async def withdraw(
    session: AsyncSession,
    org_id: uuid.UUID,
    member_ids: Sequence[uuid.UUID],
    clock: Clock,
    *,
    actor: Principal | None = None,
    reason: str | None = None,
) -> None:
    """Nothing is left to decide: the nominee left, or an appointment rejected the
    nomination (`actor` and `reason` are the appointment's, on the task's audit event)."""
    tasks = await _open_tasks(session, org_id, member_ids, clock)
    if tasks:
        await workflow.cancel_open_tasks(
            session, org_id=org_id, task_ids=tasks, clock=clock, actor=actor, reason=reason
        )


async def decided_only(
    session: AsyncSession, task: workflow.TaskInfo, submission: workflow.Submission | None
) -> None:
    """The task closes by deciding the nomination, which the task cannot carry."""
    member = await repository.member_by_key(session, task.org_id, task.subject_id)
    if member is not None and member.status == MemberStatus.NOMINATED.value:
        raise Unprocessable(
            _where_to_decide(member),
            errors=[
                FieldError(
                    field="task", message=_("completed by approving or rejecting the nomination")
                )
            ],
        )


async def _open_tasks(
    session: AsyncSession, org_id: uuid.UUID, member_ids: Sequence[uuid.UUID], clock: Clock
) -> list[uuid.UUID]:
    tasks = await workflow.tasks_of_subjects(
        session, org_id=org_id, subject_type=SUBJECT, subject_ids=member_ids, now=clock.now()
    )
    return [t.id for t in tasks if t.kind == TASK_KIND and t.status == "open"]


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

"""1:1 check-ins 「一对一面谈」: scheduling one with a direct report, changing it, and its
action items, which become workflow tasks (due dates, reminders, escalation as the
organization's task policy says).

Only the two participants write. The manager is the report's direct manager as people's
record says when it is scheduled; the row keeps both, so a later move takes nobody's check-ins
away. Audit events name what changed, never what the notes say: HR reads the audit trail, and
a private note is for its author alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.people import api as people
from hrcore.performance.check_in_models import CheckIn, CheckInActionItem, CheckInPrivateNote
from hrcore.performance.check_in_notices import SUBJECT, tell_other
from hrcore.performance.check_in_schemas import ActionItemIn, CheckInIn, CheckInPatch
from hrcore.workflow import api as workflow

ACTION_ITEM_KIND = "check_in.action_item"
SCHEDULED, HELD, CANCELLED = "scheduled", "held", "cancelled"


def participant_id(principal: Principal) -> uuid.UUID:
    """The caller's employee: only people with an employee record take part in a 1:1."""
    principal.require_key_scope(None)
    if principal.employee_id is None:
        raise Forbidden(_("Only a manager and a direct report take part in a check-in"))
    return principal.employee_id


def _invalid(field: str, message: object) -> Unprocessable:
    return Unprocessable(
        _("The check-in cannot be saved"), errors=[FieldError(field=field, message=message)]
    )


async def _check_items(
    session: AsyncSession,
    check_in: CheckIn,
    items: Sequence[ActionItemIn],
    field: str,
    clock: Clock,
) -> None:
    """Each item's assignee is one of the two participants and its due day not past."""
    if not items:
        return
    if check_in.status == CANCELLED:
        raise Conflict(_("The check-in is cancelled: it takes no action items"))
    today = await people.org_today(session, check_in.org_id, clock)
    for index, item in enumerate(items):
        if item.assignee_id not in (check_in.manager_id, check_in.report_id):
            raise _invalid(
                f"{field}.{index}.assignee_id", _("the manager or the report of the check-in")
            )
        if item.due_on < today:
            raise _invalid(f"{field}.{index}.due_on", _("must not be before today"))


async def _add_items(
    session: AsyncSession,
    principal: Principal,
    check_in: CheckIn,
    items: Sequence[ActionItemIn],
) -> list[uuid.UUID]:
    """A task per item, about the report, with the organization's reminders and escalation;
    the items' ids."""
    if not items:
        return []
    task_ids = await workflow.create_tasks(
        session,
        org_id=check_in.org_id,
        tasks=[
            workflow.NewTask(
                subject_type=SUBJECT,
                subject_id=check_in.id,
                kind=ACTION_ITEM_KIND,
                assignee_employee_id=item.assignee_id,
                title=_("1:1 action item: {title}", title=item.title),
                due=item.due_on,
                subject_employee_id=check_in.report_id,
            )
            for item in items
        ],
        actor=principal,
    )
    rows = [
        CheckInActionItem(
            org_id=check_in.org_id,
            check_in_id=check_in.id,
            title=item.title,
            assignee_id=item.assignee_id,
            due_on=item.due_on,
            task_id=task_id,
        )
        for item, task_id in zip(items, task_ids, strict=True)
    ]
    session.add_all(rows)
    await session.flush()
    return [row.id for row in rows]


async def schedule(
    session: AsyncSession, principal: Principal, body: CheckInIn, clock: Clock
) -> uuid.UUID:
    """A manager schedules a 1:1 with one of their direct reports (422 for anyone else: not
    in the organization, not theirs, no longer active); audited. The new check-in's id."""
    manager_id = participant_id(principal)
    org_id = principal.org_id
    report = await people.require_employee(session, org_id, body.report_id, "report_id")
    managers = await people.managers_of(session, org_id, [report.id])
    if managers.get(report.id) != manager_id:
        raise _invalid("report_id", _("must be a direct report of yours"))
    if report.status != "active":
        raise _invalid("report_id", _("must be an active employee"))
    check_in = CheckIn(
        org_id=org_id,
        manager_id=manager_id,
        report_id=report.id,
        scheduled_at=body.scheduled_at,
        status=SCHEDULED,
        agenda=list(body.agenda),
        shared_notes="",
        created_by=principal.id,
    )
    await _check_items(session, check_in, body.action_items, "action_items", clock)
    session.add(check_in)
    await session.flush()
    item_ids = await _add_items(session, principal, check_in, body.action_items)
    audit.record(
        session,
        principal,
        "check_in.scheduled",
        "check_in",
        check_in.id,
        org_id=org_id,
        after={
            "manager_id": str(manager_id),
            "report_id": str(report.id),
            "scheduled_at": body.scheduled_at.isoformat(),
            "action_item_ids": [str(item_id) for item_id in item_ids],
        },
    )
    await tell_other(session, check_in, manager_id, "scheduled")
    return check_in.id


async def _writable(
    session: AsyncSession, principal: Principal, check_in_id: uuid.UUID
) -> tuple[CheckIn, uuid.UUID]:
    """The check-in, locked, and the participant writing it: 404 for whoever may not read
    it, 403 for HR admins (they read its metadata, they do not take part)."""
    principal.require_key_scope(None)
    check_in = (
        await session.execute(
            select(CheckIn)
            .where(CheckIn.org_id == principal.org_id, CheckIn.id == check_in_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    me = principal.employee_id
    if check_in is not None and me in (check_in.manager_id, check_in.report_id):
        assert me is not None
        return check_in, me
    if check_in is not None and principal.is_hr_admin:
        raise Forbidden(_("Only the two participants change a check-in"))
    raise NotFound(_("No such check-in"))


def _settle(check_in: CheckIn, body: CheckInPatch, now: datetime) -> None:
    """The status and the time: both change only while the check-in is scheduled (409)."""
    if body.status is None and body.scheduled_at is None:
        return
    if check_in.status == HELD:
        raise Conflict(_("The check-in was held: its status and time no longer change"))
    if check_in.status == CANCELLED:
        raise Conflict(_("The check-in is cancelled: its status and time no longer change"))
    if body.scheduled_at is not None:
        check_in.scheduled_at = body.scheduled_at
    if body.status is not None:
        check_in.status, check_in.closed_at = body.status, now


async def _write_private_note(
    session: AsyncSession, check_in: CheckIn, author_id: uuid.UUID, text: str
) -> None:
    note = (
        await session.execute(
            select(CheckInPrivateNote).where(
                CheckInPrivateNote.org_id == check_in.org_id,
                CheckInPrivateNote.check_in_id == check_in.id,
                CheckInPrivateNote.author_id == author_id,
            )
        )
    ).scalar_one_or_none()
    if note is None:
        session.add(
            CheckInPrivateNote(
                org_id=check_in.org_id, check_in_id=check_in.id, author_id=author_id, text=text
            )
        )
    else:
        note.text = text


async def update(
    session: AsyncSession,
    principal: Principal,
    check_in_id: uuid.UUID,
    body: CheckInPatch,
    clock: Clock,
    if_match: str | None,
) -> uuid.UUID:
    """A participant changes what the body sends (412 on a stale `If-Match`, 409 for a
    status or time change once held or cancelled, 422 for a bad action item); cancelling
    withdraws the open action items' tasks. Audited with the fields changed."""
    check_in, author_id = await _writable(session, principal, check_in_id)
    check_version(check_in.version, if_match=if_match, body_version=None)
    if not body.model_fields_set:
        return check_in.id
    now = clock.now()
    was_at = check_in.scheduled_at
    before = {"status": check_in.status, "scheduled_at": was_at.isoformat()}
    _settle(check_in, body, now)
    await _check_items(session, check_in, body.add_action_items, "add_action_items", clock)
    if body.agenda is not None:
        check_in.agenda = list(body.agenda)
    if body.shared_notes is not None:
        check_in.shared_notes = body.shared_notes
    if body.private_note is not None:
        await _write_private_note(session, check_in, author_id, body.private_note)
    item_ids = await _add_items(session, principal, check_in, body.add_action_items)
    if body.status == CANCELLED:
        await _withdraw_items(session, principal, check_in, clock)
    check_in.updated_at = now
    await session.flush()
    changed = sorted(body.model_dump(exclude_unset=True, exclude={"add_action_items"}))
    audit.record(
        session,
        principal,
        "check_in.updated",
        "check_in",
        check_in.id,
        org_id=check_in.org_id,
        before=before,
        after={
            "status": check_in.status,
            "scheduled_at": check_in.scheduled_at.isoformat(),
            "changed": changed,
            "action_item_ids": [str(item_id) for item_id in item_ids],
        },
    )
    if body.status == CANCELLED:
        await tell_other(session, check_in, author_id, "cancelled")
    elif check_in.scheduled_at != was_at:
        await tell_other(session, check_in, author_id, "rescheduled")
    return check_in.id


async def _withdraw_items(
    session: AsyncSession, principal: Principal, check_in: CheckIn, clock: Clock
) -> None:
    task_ids = (
        await session.scalars(
            select(CheckInActionItem.task_id).where(
                CheckInActionItem.org_id == check_in.org_id,
                CheckInActionItem.check_in_id == check_in.id,
            )
        )
    ).all()
    await workflow.cancel_open_tasks(
        session,
        org_id=check_in.org_id,
        task_ids=list(task_ids),
        clock=clock,
        actor=principal,
        reason="check_in_cancelled",
    )

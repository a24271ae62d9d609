"""Fan-out: which channels a notification goes to (called by `notifications.notify`).

`notifications.notify` calls `fan_out` in its own transaction after inserting the inbox rows:
each applicable channel gets a delivery row and a `channels.deliver` outbox job, so a rolled
back change sends nothing, and a failing channel never touches the inbox (delivery runs later
in the worker, in its own transaction).

Which channels apply: the organization-wide ones, and a department's channels for recipients
whose employee is in that department's **subtree** (path prefix). One `notify` call (one
`dedupe_key`) makes, per channel, one group message (robot), or one work notification to the
DingTalk ids of the covered recipients whose user is linked to an employee with a DingTalk id
(batches of at most 100, the API's limit). Texts are the notification's title and body, which
name the task and its due date, so DingTalk's "identical content to a user once a day" rule
does not swallow a different reminder.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels import repository
from hrcore.channels.config import DELIVER_JOB
from hrcore.channels.models import (
    ChannelDeliveryStatus,
    ChannelKind,
    NotificationChannel,
)
from hrcore.core import outbox
from hrcore.core.models import new_id
from hrcore.identity import api as identity
from hrcore.org import api as org
from hrcore.people import api as people

WORK_NOTICE_BATCH = 100


@dataclass(frozen=True)
class _Recipient:
    notification_id: uuid.UUID
    dingtalk_user_id: str | None
    department_path: str | None


def _content(title: str, body: str, link: str | None) -> str:
    """The notice: title, body and, on its own line, the deep link that opens the item."""
    return "\n".join(part for part in (title, body, link) if part).strip()


def _covers(department_path: str | None, recipient: _Recipient) -> bool:
    if department_path is None:
        return True
    return recipient.department_path is not None and recipient.department_path.startswith(
        department_path
    )


@dataclass(frozen=True)
class InboxItem:
    """A new inbox row as the inbox hands it over: channels never read the inbox's table."""

    id: uuid.UUID
    user_id: uuid.UUID
    title: str
    body: str
    dedupe_key: str
    link: str | None = None
    """The deep link that opens the item (`core.links`), added to the notice's text."""


async def fan_out(session: AsyncSession, *, org_id: uuid.UUID, items: Sequence[InboxItem]) -> int:
    """Queue the new inbox rows for every channel that applies; returns deliveries queued.

    Runs in the caller's (tenant-scoped) transaction; idempotent per (channel, notification).
    A constant number of queries plus one per department that has a channel.
    """
    if not items:
        return 0
    channels = await repository.active_channels(session, org_id)
    if not channels:
        return 0
    rows = sorted(items, key=lambda item: item.id)
    user_ids = list(dict.fromkeys(row.user_id for row in rows))
    employees = await identity.employee_ids_for_users(session, org_id, user_ids)
    contacts = await people.dingtalk_contacts(session, org_id, list(set(employees.values())))
    scoped = {c.department_id for c in channels if c.department_id is not None}
    homes = {contact.department_id for contact in contacts.values()} if scoped else set()
    paths = await org.department_paths(session, org_id, sorted(scoped | homes))

    groups: dict[str, tuple[str, list[_Recipient]]] = {}
    for row in rows:
        employee_id = employees.get(row.user_id)
        contact = contacts.get(employee_id) if employee_id is not None else None
        recipient = _Recipient(
            notification_id=row.id,
            dingtalk_user_id=contact.dingtalk_user_id if contact else None,
            department_path=paths.get(contact.department_id) if contact else None,
        )
        content, members = groups.setdefault(
            row.dedupe_key, (_content(row.title, row.body, row.link), [])
        )
        members.append(recipient)

    deliveries: list[dict[str, Any]] = []

    def add(
        channel: NotificationChannel, notification_id: uuid.UUID, content: str, to: list[str]
    ) -> None:
        deliveries.append(
            {
                "id": new_id(),
                "org_id": org_id,
                "channel_id": channel.id,
                "notification_id": notification_id,
                "content": content,
                "recipients": to,
                "status": ChannelDeliveryStatus.PENDING.value,
                "attempts": 0,
            }
        )

    for channel in channels:
        scope = paths.get(channel.department_id) if channel.department_id else None
        for content, members in groups.values():
            covered = [member for member in members if _covers(scope, member)]
            if not covered:
                continue
            if channel.kind == ChannelKind.DINGTALK_ROBOT:
                add(channel, covered[0].notification_id, content, [])
                continue
            reachable = [member for member in covered if member.dingtalk_user_id]
            seen: set[str] = set()
            unique = []
            for member in reachable:
                assert member.dingtalk_user_id is not None
                if member.dingtalk_user_id not in seen:
                    seen.add(member.dingtalk_user_id)
                    unique.append(member)
            for start in range(0, len(unique), WORK_NOTICE_BATCH):
                batch = unique[start : start + WORK_NOTICE_BATCH]
                ids = [member.dingtalk_user_id or "" for member in batch]
                add(channel, batch[0].notification_id, content, ids)

    delivery_ids = await repository.insert_deliveries(session, deliveries)
    for delivery_id in delivery_ids:
        outbox.enqueue(session, DELIVER_JOB, {"delivery_id": str(delivery_id)}, org_id=org_id)
    return len(delivery_ids)

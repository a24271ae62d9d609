"""The in-app inbox. Other domains call `notify`; users read their own notifications.

`notify` is idempotent on (user, `dedupe_key`): jobs are at-least-once, notifications are
not. New rows are also queued for the DingTalk channels that apply (`channels.fan_out`, in
the same transaction); their delivery runs in the worker and never affects the inbox.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels import api as channels
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Forbidden, NotFound
from hrcore.core.i18n import Text, _, render
from hrcore.core.links import deep_link
from hrcore.core.pagination import PageParams, cut_page, decode_cursor
from hrcore.identity import api as identity
from hrcore.notifications import repository, subjects
from hrcore.notifications.schemas import InboxPage, NotificationOut

TITLE_LIMIT = 200
NOTIFICATION_LINK = "notification"
"""The type a notification without a subject links to (`core.links`)."""


def _link_of(org_id: uuid.UUID, row: Any, org_slug: str | None) -> str:
    """The deep link of an inbox item: its subject's, else its own."""
    if row["subject_type"] and row["subject_id"]:
        return deep_link(row["subject_type"], row["subject_id"], org_id, org_slug)
    return deep_link(NOTIFICATION_LINK, row["id"], org_id, org_slug)


@dataclass(frozen=True)
class Message:
    """One notification for some users; `dedupe_key` makes sending it twice a no-op. A `Text`
    title or body is rendered in each recipient's locale. `act` is the type of the item the
    recipient acts on when it is not the subject (a reminder of a task acts on the task's
    own subject): a DingTalk card's button names that act (`channels.act_label`)."""

    user_ids: Sequence[uuid.UUID]
    kind: str
    title: str | Text
    body: str | Text
    subject_type: str | None
    subject_id: uuid.UUID | None
    dedupe_key: str
    act: str | None = None


async def notify(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    user_ids: Sequence[uuid.UUID],
    kind: str,
    title: str | Text,
    body: str | Text,
    subject_type: str | None,
    subject_id: uuid.UUID | None,
    dedupe_key: str,
) -> int:
    """Add one inbox row per user, once per `dedupe_key`; returns how many were new."""
    message = Message(user_ids, kind, title, body, subject_type, subject_id, dedupe_key)
    return await notify_many(session, org_id=org_id, messages=[message])


async def notify_many(
    session: AsyncSession, *, org_id: uuid.UUID, messages: Sequence[Message]
) -> int:
    """`notify` for a batch: one insert and one channel fan-out, whatever the batch size; a
    `Text` (and a card's act) is rendered in each recipient's locale (one more read, only
    when there is one)."""
    translated = any(
        isinstance(m.title, Text) or isinstance(m.body, Text) or m.subject_id for m in messages
    )
    recipients = [user_id for message in messages for user_id in message.user_ids]
    locales = await identity.reader_locales(session, org_id, recipients) if translated else {}
    rows = [
        {
            "org_id": org_id,
            "user_id": user_id,
            "kind": message.kind,
            "title": render(message.title, locales.get(user_id))[:TITLE_LIMIT],
            "body": render(message.body, locales.get(user_id)),
            "subject_type": message.subject_type,
            "subject_id": message.subject_id,
            "dedupe_key": message.dedupe_key,
        }
        for message in messages
        for user_id in dict.fromkeys(message.user_ids)
    ]
    new = await repository.insert_many(session, rows)
    by_key = {
        (user_id, message.dedupe_key): message
        for message in messages
        for user_id in message.user_ids
    }
    slug = await identity.link_org_slug(session, org_id)
    items = [
        channels.InboxItem(
            id=notification_id,
            user_id=user_id,
            title=render(by_key[(user_id, key)].title, locales.get(user_id))[:TITLE_LIMIT],
            body=render(by_key[(user_id, key)].body, locales.get(user_id)),
            dedupe_key=key,
            link=_subject_link(org_id, by_key[(user_id, key)], slug),
            act=_act(by_key[(user_id, key)], locales.get(user_id)),
        )
        for notification_id, user_id, key in new
    ]
    await channels.fan_out(session, org_id=org_id, items=items)
    return len(new)


def _subject_link(org_id: uuid.UUID, message: Message, org_slug: str | None) -> str | None:
    """A channel notice links the message's subject; one without a subject has no link (a
    group robot's one message would otherwise open one recipient's own notification)."""
    if message.subject_type and message.subject_id:
        return deep_link(message.subject_type, message.subject_id, org_id, org_slug)
    return None


def _act(message: Message, locale: str | None) -> str:
    """The card button's title: the act on the item, in the recipient's language."""
    return channels.act_label(message.act or message.subject_type, locale)


def _caller(principal: Principal) -> uuid.UUID:
    if principal.user_id is None:
        raise Forbidden(_("Integration keys have no inbox"))
    return principal.user_id


def _item(
    org_id: uuid.UUID,
    row: Any,
    named: Mapping[tuple[str, uuid.UUID], subjects.Named],
    org_slug: str | None,
) -> dict[str, Any]:
    """A row of the inbox statement as `NotificationOut` reads it: a task named by the row
    itself, another subject by `named`."""
    other = named.get((row["subject_type"], row["subject_id"]))
    if other is None:
        name, employee = row["subject_name"], (row["assignee_employee_id"], row["employee_name"])
    else:
        name, employee = other.name, (other.employee_id, other.employee_name)
    return {
        "id": row["id"],
        "kind": row["kind"],
        "title": row["title"],
        "body": row["body"],
        "subject": _subject(row["subject_type"], row["subject_id"], name),
        "employee": _employee(*employee),
        "deep_link": _link_of(org_id, row, org_slug),
        "created_at": row["created_at"],
        "read_at": row["read_at"],
    }


async def _names(
    session: AsyncSession, org_id: uuid.UUID, rows: Sequence[Any]
) -> Mapping[tuple[str, uuid.UUID], subjects.Named]:
    """The subjects other than tasks on these rows, named (no statement when none)."""
    others = [
        (row["subject_type"], row["subject_id"])
        for row in rows
        if row["subject_type"] not in (None, "task") and row["subject_id"] is not None
    ]
    return await subjects.names(session, org_id, others) if others else {}


async def inbox(
    session: AsyncSession, principal: Principal, page: PageParams, *, unread: bool | None
) -> InboxPage:
    """Newest first, with the unread count the app shows on its badge; each subject named
    (a task's in the page's statement, others' in one more when the page has any)."""
    user_id = _caller(principal)
    before = decode_cursor(page.cursor, [uuid.UUID])[0] if page.cursor is not None else None
    rows = await repository.inbox_rows(
        session,
        principal.org_id,
        user_id,
        principal.employee_id,
        unread=unread,
        before=before,
        limit=page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["id"], page)
    count = await repository.unread_count(session, principal.org_id, user_id)
    named = await _names(session, principal.org_id, shown)
    slug = await identity.link_org_slug(session, principal.org_id)
    items = [_item(principal.org_id, row, named, slug) for row in shown]
    return InboxPage.model_validate({"items": items, "next_cursor": cursor, "unread_count": count})


def _subject(
    subject_type: str | None, subject_id: uuid.UUID | None, name: str | None
) -> dict[str, Any] | None:
    if not (subject_type and subject_id):
        return None
    return {"type": subject_type, "id": subject_id, "name": name}


def _employee(employee_id: uuid.UUID | None, name: str | None) -> dict[str, Any] | None:
    return {"id": employee_id, "name": name} if employee_id is not None else None


async def mark_read(
    session: AsyncSession, principal: Principal, notification_id: uuid.UUID, clock: Clock
) -> NotificationOut:
    """Idempotent: reading a read notification changes nothing."""
    user_id = _caller(principal)
    await repository.mark_read(session, principal.org_id, user_id, clock.now(), notification_id)
    row = await repository.one_row(
        session, principal.org_id, user_id, principal.employee_id, notification_id
    )
    if row is None:
        raise NotFound(_("No such notification"))
    named = await _names(session, principal.org_id, [row])
    slug = await identity.link_org_slug(session, principal.org_id)
    return NotificationOut.model_validate(_item(principal.org_id, row, named, slug))


async def mark_all_read(session: AsyncSession, principal: Principal, clock: Clock) -> int:
    return await repository.mark_read(session, principal.org_id, _caller(principal), clock.now())

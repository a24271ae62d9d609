"""Notification channels: DingTalk group robots and DingTalk work notifications.

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

Robots allow 20 messages a minute, so a robot delivery first takes a slot (`pacing.py`):
without one it is `deferred` to the slot it reserved; nothing is dropped.
Robot messages go through the delivery engine (`core/delivery.py`: the robot URL checked as a
public target on every attempt, DingTalk's signature plugged in); every attempt is settled
by the engine (the delivery log, retries with backoff; after `MAX_ATTEMPTS` attempts the
delivery is `failed`). Channels are never disabled for failing.

Secrets (robot signing secret, app secret) are write-only: never in a response or an audit
event. A robot URL's `access_token` is masked in responses as well.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels import dingtalk, pacing, repository
from hrcore.channels.models import (
    ChannelDelivery,
    ChannelDeliveryStatus,
    ChannelKind,
    NotificationChannel,
)
from hrcore.channels.schemas import (
    ChannelCreate,
    ChannelOut,
    ChannelPatch,
    RobotConfig,
    WorkNoticeConfig,
)
from hrcore.core import audit, delivery, outbox
from hrcore.core.authz import Principal, require_hr_admin_user
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.db import SessionMaker
from hrcore.core.delivery import Attempt, Policy
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.models import new_id
from hrcore.core.pagination import PageParams, paginate
from hrcore.identity import service as identity
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.settings import Settings

DELIVER_JOB = "channels.deliver"
MAX_ATTEMPTS = 8
"""Attempts of one delivery before it is `failed` (deferrals do not count)."""
WORK_NOTICE_BATCH = 100
MASK = "***"


@dataclass(frozen=True)
class ChannelConfig:
    """The settings channels read, passed explicitly by the router and the job."""

    policy: Policy
    api_base: str = "https://oapi.dingtalk.com"


def config_from(settings: Settings) -> ChannelConfig:
    """Robot URLs follow the webhook rules (HRCORE_WEBHOOK_ALLOW_PRIVATE_TARGETS, timeout)."""
    policy = Policy(
        allow_private_targets=settings.webhook_allow_private_targets,
        timeout_seconds=settings.webhook_timeout_seconds,
        max_attempts=MAX_ATTEMPTS,
        retry_base_seconds=settings.job_retry_base_seconds,
    )
    return ChannelConfig(policy=policy, api_base=settings.dingtalk_api_base.rstrip("/"))


# --- views --------------------------------------------------------------------------------


def _masked_url(url: str) -> str:
    parts = urlsplit(url)
    query = [
        (key, MASK if key == "access_token" else value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


def _public_config(channel: NotificationChannel) -> dict[str, Any]:
    config = dict(channel.config)
    if channel.kind == ChannelKind.DINGTALK_ROBOT and "webhook_url" in config:
        config["webhook_url"] = _masked_url(str(config["webhook_url"]))
    return config


def view(channel: NotificationChannel) -> ChannelOut:
    """The channel as the API shows it: no secret, a masked robot token."""
    return ChannelOut(
        id=channel.id,
        kind=ChannelKind(channel.kind),
        name=channel.name,
        department_id=channel.department_id,
        config=_public_config(channel),
        has_secret=bool(channel.secret),
        active=channel.active,
        created_at=channel.created_at,
        updated_at=channel.updated_at,
        version=channel.version,
    )


def _snapshot(channel: NotificationChannel) -> dict[str, Any]:
    """For audit events: never the secret."""
    return {
        "kind": channel.kind,
        "name": channel.name,
        "department_id": str(channel.department_id) if channel.department_id else None,
        "config": _public_config(channel),
        "active": channel.active,
    }


# --- administration -----------------------------------------------------------------------


async def _check_robot_url(url: str, config: ChannelConfig) -> None:
    await delivery.check_target(
        url, config.policy, field="config.webhook_url", title="The robot URL is not allowed"
    )


def _validated_config(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    model: type[RobotConfig] | type[WorkNoticeConfig] = (
        RobotConfig if kind == ChannelKind.DINGTALK_ROBOT else WorkNoticeConfig
    )
    try:
        return TypeAdapter(model).validate_python(raw).model_dump()
    except ValidationError as exc:
        raise Unprocessable(
            "Invalid channel configuration",
            errors=[
                FieldError(
                    field=".".join(["config", *(str(part) for part in error["loc"])]),
                    message=error["msg"],
                )
                for error in exc.errors()
            ],
        ) from exc


async def list_channels(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[NotificationChannel], str | None]:
    require_hr_admin_user(principal)
    statement = repository.channels_query(principal.org_id)
    return await paginate(session, statement, [NotificationChannel.id], page)


async def get_channel(
    session: AsyncSession, principal: Principal, channel_id: uuid.UUID
) -> NotificationChannel:
    require_hr_admin_user(principal)
    channel = await repository.channel_by_id(session, principal.org_id, channel_id)
    if channel is None:
        raise NotFound("No such notification channel")
    return channel


async def create_channel(
    session: AsyncSession, principal: Principal, body: ChannelCreate, config: ChannelConfig
) -> NotificationChannel:
    require_hr_admin_user(principal)
    if body.department_id is not None:
        await org.require_department(session, principal.org_id, body.department_id)
    settings = body.config.model_dump()
    if body.kind == ChannelKind.DINGTALK_ROBOT:
        await _check_robot_url(settings["webhook_url"], config)
    channel = NotificationChannel(
        org_id=principal.org_id,
        department_id=body.department_id,
        kind=body.kind.value,
        name=body.name,
        config=settings,
        secret=body.secret,
        active=body.active,
        send_times=[],
    )
    session.add(channel)
    await session.flush()
    await session.refresh(channel)
    audit.record(
        session,
        principal,
        "notification_channel.created",
        "notification_channel",
        channel.id,
        org_id=principal.org_id,
        after=_snapshot(channel),
    )
    return channel


async def update_channel(
    session: AsyncSession,
    principal: Principal,
    channel_id: uuid.UUID,
    body: ChannelPatch,
    config: ChannelConfig,
    *,
    if_match: str | None,
) -> NotificationChannel:
    channel = await get_channel(session, principal, channel_id)
    check_version(channel.version, if_match=if_match, body_version=body.version)
    fields = body.model_dump(exclude_unset=True, exclude={"version"})
    before = _snapshot(channel)
    if "department_id" in fields and fields["department_id"] is not None:
        await org.require_department(session, principal.org_id, fields["department_id"])
    if "config" in fields:
        settings = _validated_config(channel.kind, fields["config"])
        if channel.kind == ChannelKind.DINGTALK_ROBOT:
            await _check_robot_url(settings["webhook_url"], config)
        channel.config = settings
    for name in ("name", "department_id", "active"):
        if name in fields:
            setattr(channel, name, fields[name])
    secret_changed = "secret" in fields and fields["secret"] != channel.secret
    if secret_changed:
        channel.secret = fields["secret"]
    await session.flush()
    await session.refresh(channel)
    changed_before, changed_after = audit.changes(before, _snapshot(channel))
    if secret_changed:
        changed_after["secret_changed"] = True
    if changed_after:
        audit.record(
            session,
            principal,
            "notification_channel.updated",
            "notification_channel",
            channel.id,
            org_id=principal.org_id,
            before=changed_before,
            after=changed_after,
        )
    return channel


async def delete_channel(
    session: AsyncSession, principal: Principal, channel_id: uuid.UUID
) -> None:
    """Deletes the channel and its delivery log; queued deliveries are dropped with it."""
    channel = await get_channel(session, principal, channel_id)
    audit.record(
        session,
        principal,
        "notification_channel.deleted",
        "notification_channel",
        channel.id,
        org_id=principal.org_id,
        before=_snapshot(channel),
    )
    await repository.delete_channel(session, principal.org_id, channel.id)


async def list_deliveries(
    session: AsyncSession,
    principal: Principal,
    channel_id: uuid.UUID,
    page: PageParams,
    *,
    status: ChannelDeliveryStatus | None,
) -> tuple[list[ChannelDelivery], str | None]:
    """The channel's delivery log, newest first."""
    channel = await get_channel(session, principal, channel_id)
    statement = repository.deliveries_query(
        principal.org_id, channel.id, status=status.value if status else None
    )
    return await paginate(session, statement, [ChannelDelivery.id], page, descending=True)


# --- fan-out (called by notifications.notify) ---------------------------------------------


@dataclass(frozen=True)
class _Recipient:
    notification_id: uuid.UUID
    dingtalk_user_id: str | None
    department_path: str | None


def _content(title: str, body: str) -> str:
    return f"{title}\n{body}".strip()


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
        content, members = groups.setdefault(row.dedupe_key, (_content(row.title, row.body), []))
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


# --- delivery -----------------------------------------------------------------------------


async def _send_robot(
    channel: NotificationChannel, content: str, config: ChannelConfig, now: datetime
) -> Attempt:
    return await delivery.post(
        str(channel.config.get("webhook_url", "")),
        delivery.json_body(dingtalk.text_message(content)),
        headers=dingtalk.HEADERS,
        policy=config.policy,
        sign=dingtalk.robot_signer(channel.secret, int(now.timestamp() * 1000)),
        answer=dingtalk.answer,
    )


async def _send_work_notice(
    channel: NotificationChannel, row: ChannelDelivery, config: ChannelConfig
) -> Attempt:
    async with delivery.client(config.policy) as client:
        return await dingtalk.send_work_notice(
            client,
            config.api_base,
            app_key=str(channel.config.get("app_key", "")),
            app_secret=channel.secret,
            agent_id=int(channel.config.get("agent_id", 0)),
            user_ids=list(row.recipients),
            content=row.content,
        )


async def _defer(
    session: AsyncSession,
    row: ChannelDelivery,
    org_id: uuid.UUID,
    slot: datetime,
    **log: Any,
) -> None:
    """Park the delivery until its reserved slot, with a new outbox job for that moment."""
    await delivery.update_open(
        session, repository.LOG, row.id, status="deferred", next_attempt_at=slot, **log
    )
    outbox.enqueue(
        session, DELIVER_JOB, {"delivery_id": str(row.id)}, org_id=org_id, not_before=slot
    )


async def deliver(
    session: AsyncSession,
    sessionmaker: SessionMaker,
    delivery_id: uuid.UUID,
    *,
    org_id: uuid.UUID,
    job_attempt: int,
    config: ChannelConfig,
    clock: Clock,
) -> None:
    """One delivery attempt (the `channels.deliver` job); raises `DeliveryFailed` to retry.

    A pending or deferred delivery is sent unless its robot has no slot now (then it is
    deferred to the slot it reserved, by a new outbox job); the engine settles the attempt.
    """
    row = await delivery.claim(session, repository.LOG, org_id, delivery_id)
    if row is None:
        return
    channel = await repository.channel_by_id(session, org_id, row.channel_id)
    if channel is None:
        return
    now = clock.now()
    if not channel.active:
        await delivery.update_open(
            session, repository.LOG, row.id, status="failed", last_error="channel is inactive"
        )
        return
    if channel.kind == ChannelKind.DINGTALK_ROBOT:
        reserved = row.next_attempt_at if row.status == "deferred" else None
        slot = await pacing.take_slot(sessionmaker, org_id, channel.id, now, reserved=reserved)
        if slot > now:
            await _defer(session, row, org_id, slot)
            return
        attempt = await _send_robot(channel, row.content, config, now)
        if attempt.code == dingtalk.ROBOT_THROTTLED:
            slot = await pacing.take_slot(sessionmaker, org_id, channel.id, now, mute=True)
            await _defer(
                session,
                row,
                org_id,
                slot,
                attempts=row.attempts + 1,
                last_error=attempt.error,
                last_attempt_at=now,
            )
            return
    else:
        attempt = await _send_work_notice(channel, row, config)
    await delivery.settle(
        session,
        sessionmaker,
        repository.LOG,
        row,
        attempt,
        org_id=org_id,
        job_attempt=job_attempt,
        policy=config.policy,
        now=now,
    )

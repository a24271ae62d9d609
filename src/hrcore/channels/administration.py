"""Channel administration (HR admin): robots and work-notice apps, their delivery log.

Secrets (robot signing secret, app secret) are write-only: never in a response or an audit
event. A robot URL's `access_token` is masked in responses as well.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels.config import ChannelConfig
from hrcore.channels.models import (
    ChannelDelivery,
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
from hrcore.core import audit, delivery
from hrcore.core.authz import Principal, require_hr_admin_user
from hrcore.core.concurrency import check_version
from hrcore.core.endpoints import Endpoints
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.core.schemas import Ref
from hrcore.org import api as org

MASK = "***"


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


async def views(
    session: AsyncSession, org_id: uuid.UUID, channels: Sequence[NotificationChannel]
) -> list[ChannelOut]:
    """Channels with their departments' names: one batched lookup per page, none when no
    channel is limited to a department."""
    departments = await org.department_refs(
        session, org_id, [c.department_id for c in channels if c.department_id is not None]
    )
    return [
        view(c, departments.get(c.department_id) if c.department_id else None) for c in channels
    ]


def view(channel: NotificationChannel, department: Ref | None) -> ChannelOut:
    """The channel as the API shows it: no secret, a masked robot token."""
    return ChannelOut(
        id=channel.id,
        kind=ChannelKind(channel.kind),
        name=channel.name,
        department_id=channel.department_id,
        department=department,
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


CHANNELS: Endpoints[NotificationChannel, ChannelDelivery] = Endpoints(
    NotificationChannel,
    ChannelDelivery,
    ChannelDelivery.channel_id,
    what=N_("notification channel"),
    subject="notification_channel",
    snapshot=_snapshot,
)
list_channels = CHANNELS.page
get_channel = CHANNELS.get
delete_channel = CHANNELS.delete
list_deliveries = CHANNELS.deliveries


async def _check_robot_url(url: str, config: ChannelConfig) -> None:
    await delivery.check_target(
        url, config.policy, field="config.webhook_url", title=_("The robot URL is not allowed")
    )


def _validated_config(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    model: type[RobotConfig] | type[WorkNoticeConfig] = (
        RobotConfig if kind == ChannelKind.DINGTALK_ROBOT else WorkNoticeConfig
    )
    try:
        return TypeAdapter(model).validate_python(raw).model_dump()
    except ValidationError as exc:
        raise Unprocessable(
            _("Invalid channel configuration"),
            errors=[
                FieldError(
                    field=".".join(["config", *(str(part) for part in error["loc"])]),
                    message=error["msg"],
                )
                for error in exc.errors()
            ],
        ) from exc


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

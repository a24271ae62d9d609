"""Notification channels (DingTalk robots and work notifications) and their delivery logs."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from hrcore.channels import administration
from hrcore.channels.config import ChannelConfig, config_from
from hrcore.channels.models import ChannelDeliveryStatus
from hrcore.channels.schemas import ChannelCreate, ChannelDeliveryOut, ChannelOut, ChannelPatch
from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppRuntime, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, INVALID_URL, NOT_FOUND, STALE
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["notification channels"])


async def _config(runtime: AppRuntime) -> ChannelConfig:
    return config_from(runtime.settings)


Config = Annotated[ChannelConfig, Depends(_config)]


@router.get(
    "/notification-channels",
    operation_id="list_notification_channels",
    summary="DingTalk notification channels (HR admin; secrets are never shown)",
    responses=FORBIDDEN,
)
async def list_notification_channels(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[ChannelOut]:
    """For HR admins (a signed-in user, not an integration key): the organization's DingTalk
    channels, cursor-paginated, each naming its department (`{id, name}`) beside the id. Secrets
    never appear; a robot's webhook URL is shown masked."""
    rows, cursor = await administration.list_channels(session, principal, page)
    items = await administration.views(session, principal.org_id, rows)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/notification-channels",
    operation_id="create_notification_channel",
    summary="Add a DingTalk robot or work-notification channel (the secret is write-only)",
    status_code=201,
    responses={**FORBIDDEN, **INVALID_URL},
)
async def create_notification_channel(
    body: ChannelCreate,
    principal: CurrentPrincipal,
    session: DbSession,
    config: Config,
    response: Response,
) -> ChannelOut:
    """For HR admins. Adds a DingTalk group robot (`dingtalk_robot`, its webhook URL must pass the
    outbound-URL policy) or a work-notification app (`dingtalk_work_notice`). `department_id`
    limits it to recipients in that department's subtree; without it the channel serves the whole
    organization. The secret is stored write-only; the creation is audited."""
    channel = await administration.create_channel(session, principal, body, config)
    set_etag(response, channel.version)
    [view] = await administration.views(session, principal.org_id, [channel])
    return view


@router.patch(
    "/notification-channels/{channel_id}",
    operation_id="update_notification_channel",
    summary="Change a channel: name, scope, configuration, secret, active",
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **INVALID_URL,
        **STALE,
    },
)
async def update_notification_channel(
    channel_id: uuid.UUID,
    body: ChannelPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    config: Config,
    response: Response,
    if_match: IfMatch = None,
) -> ChannelOut:
    """For HR admins. Only the fields sent change: `config` is replaced whole and must fit the
    channel's kind, a new `secret` replaces the old one, `department_id: null` widens the channel
    to the organization. Guarded by `If-Match` or a body `version` (412/409 when stale); the change
    is audited without the secret."""
    channel = await administration.update_channel(
        session, principal, channel_id, body, config, if_match=if_match
    )
    set_etag(response, channel.version)
    [view] = await administration.views(session, principal.org_id, [channel])
    return view


@router.delete(
    "/notification-channels/{channel_id}",
    operation_id="delete_notification_channel",
    summary="Delete a channel and its delivery log",
    status_code=204,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def delete_notification_channel(
    channel_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> None:
    """For HR admins. Removes the channel with its delivery log; audited. Messages are no longer
    sent through it."""
    await administration.delete_channel(session, principal, channel_id)


@router.get(
    "/notification-channels/{channel_id}/deliveries",
    operation_id="list_notification_channel_deliveries",
    summary="A channel's delivery log, newest first",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_notification_channel_deliveries(
    channel_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[
        ChannelDeliveryStatus | None, Query(description="Only deliveries in this state.")
    ] = None,
) -> Page[ChannelDeliveryOut]:
    """For HR admins: what was sent through this channel and how it went (attempts, last error),
    newest first, cursor-paginated, optionally only one status."""
    rows, cursor = await administration.list_deliveries(
        session, principal, channel_id, page, status=status
    )
    return Page(items=[ChannelDeliveryOut.model_validate(row) for row in rows], next_cursor=cursor)

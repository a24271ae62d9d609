"""Outbound webhook subscriptions and their delivery logs (HR admin)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.delivery import Policy
from hrcore.core.dependencies import AppRuntime, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import FORBIDDEN, INVALID_URL, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.webhooks import service
from hrcore.webhooks.models import DeliveryStatus
from hrcore.webhooks.schemas import DeliveryOut, WebhookCreate, WebhookCreated, WebhookOut

router = APIRouter(route_class=HrcoreRoute, tags=["webhooks"])


async def _config(runtime: AppRuntime) -> Policy:
    return service.config_from(runtime.settings)


Config = Annotated[Policy, Depends(_config)]


@router.get(
    "/webhooks",
    operation_id="list_webhooks",
    summary="Webhook subscriptions (HR admin)",
    responses=FORBIDDEN,
)
async def list_webhooks(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[WebhookOut]:
    """For HR admins: the organization's webhook subscriptions with their event types, state and
    consecutive failures, cursor-paginated; never the secret."""
    rows, cursor = await service.list_subscriptions(session, principal, page)
    return Page(items=[WebhookOut.model_validate(row) for row in rows], next_cursor=cursor)


@router.post(
    "/webhooks",
    operation_id="create_webhook",
    summary="Subscribe a URL to events (the signing secret is shown once)",
    status_code=201,
    responses={
        **FORBIDDEN,
        **INVALID_URL,
    },
)
async def create_webhook(
    body: WebhookCreate,
    principal: CurrentPrincipal,
    session: DbSession,
    config: Config,
    response: Response,
) -> WebhookCreated:
    """For HR admins. Subscribes an https URL on a public address (checked again on every delivery)
    to the event types listed. Each event is POSTed signed with `X-Hrcore-Signature` (HMAC-SHA256
    of `{X-Hrcore-Timestamp}.{raw body}`) with the secret in this response, shown only once.
    Deliveries retry with backoff; after too many consecutive failures the subscription is
    disabled. Audited."""
    subscription, secret = await service.create_subscription(session, principal, body, config)
    set_etag(response, subscription.version)
    return WebhookCreated(**WebhookOut.model_validate(subscription).model_dump(), secret=secret)


@router.delete(
    "/webhooks/{webhook_id}",
    operation_id="delete_webhook",
    summary="Delete a subscription and its delivery log",
    status_code=204,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def delete_webhook(
    webhook_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> None:
    """For HR admins. Deletes the subscription and its delivery log; nothing more is sent to it.
    Audited."""
    await service.delete_subscription(session, principal, webhook_id)


@router.post(
    "/webhooks/{webhook_id}/enable",
    operation_id="enable_webhook",
    summary="Re-enable a subscription disabled after failures (resets the failure count)",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def enable_webhook(
    webhook_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> WebhookOut:
    """For HR admins. Enables a subscription disabled after consecutive failures and resets its
    failure count; enabling an active one changes nothing."""
    subscription = await service.enable_subscription(session, principal, webhook_id)
    set_etag(response, subscription.version)
    return WebhookOut.model_validate(subscription)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    operation_id="list_webhook_deliveries",
    summary="A subscription's delivery log, newest first",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_webhook_deliveries(
    webhook_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[
        DeliveryStatus | None, Query(description="Only deliveries in this state.")
    ] = None,
) -> Page[DeliveryOut]:
    """For HR admins: each event sent to this subscription with its payload, attempts, last
    response status and error and the next retry, newest first, cursor-paginated; filter by
    `status`."""
    rows, cursor = await service.list_deliveries(
        session, principal, webhook_id, page, status=status
    )
    return Page(items=[DeliveryOut.model_validate(row) for row in rows], next_cursor=cursor)

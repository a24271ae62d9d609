"""Outbound webhooks: subscriptions, `publish` for other domains, and signed delivery.

Other domains call `publish` inside their own transaction; each matching subscription gets a
delivery row and an outbox job, so a rolled-back change sends nothing. The job POSTs the
event signed with the subscription's secret; failures are retried by the worker with
exponential backoff, recorded per attempt in the delivery log, and a subscription that fails
`max_consecutive_failures` attempts in a row is disabled until an HR admin enables it again.

Targets must be https on public addresses: the host is resolved when the subscription is
created and again on every attempt (DNS rebinding), and the request goes to the address that
was checked (the host name is kept for `Host` and TLS SNI/certificate checks).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, outbox
from hrcore.core.authz import Principal, require_hr_admin, require_user
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker, set_tenant, try_claim, unit_of_work
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.models import new_id
from hrcore.core.pagination import PageParams, paginate
from hrcore.settings import Settings
from hrcore.webhooks import repository
from hrcore.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookSubscription,
)
from hrcore.webhooks.schemas import WebhookCreate

__all__ = [
    "DELIVER_JOB",
    "EventType",
    "UnsafeTarget",
    "WebhookConfig",
    "config_from",
    "parse_target",
    "publish",
    "publish_many",
    "resolve_target",
]

DELIVER_JOB = "webhooks.deliver"
MAX_ATTEMPTS_LIMIT = 16
"""The job's registered `max_tries`: `webhook_max_attempts` above it is capped to it."""
SIGNATURE_HEADER = "X-Hrcore-Signature"
USER_AGENT = "hrcore-webhooks/1"
ERROR_LIMIT = 1000

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class WebhookConfig:
    """The settings webhooks read, passed explicitly by the router and the job."""

    allow_private_targets: bool = False
    timeout_seconds: float = 10.0
    max_consecutive_failures: int = 10
    max_attempts: int = 8
    retry_base_seconds: float = 5.0


def config_from(settings: Settings) -> WebhookConfig:
    """The one place settings are read (HRCORE_WEBHOOK_* and the worker's retry base)."""
    return WebhookConfig(
        allow_private_targets=settings.webhook_allow_private_targets,
        timeout_seconds=settings.webhook_timeout_seconds,
        max_consecutive_failures=settings.webhook_max_consecutive_failures,
        max_attempts=min(settings.webhook_max_attempts, MAX_ATTEMPTS_LIMIT),
        retry_base_seconds=settings.job_retry_base_seconds,
    )


# --- targets ------------------------------------------------------------------------------


class UnsafeTarget(Exception):
    """The URL is malformed or its host resolves to an address webhooks must not reach."""


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries to (IPv4-mapped, 6to4, Teredo server and
    client, NAT64 well-known prefix, IPv4-compatible): each must be public as well, or
    `[2002:7f00:1::]` would reach 127.0.0.1 through a relay."""
    embedded = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in _NAT64 or address in _IPV4_COMPATIBLE:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [ipv4 for ipv4 in embedded if ipv4 is not None]


def _is_public(address: IpAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if not all(_is_public(ipv4) for ipv4 in _embedded_ipv4(address)):
            return False
        if address.ipv4_mapped is not None:
            return True
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_unspecified
    )


@dataclass(frozen=True)
class Target:
    url: httpx.URL
    host: str
    port: int


def parse_target(url: str, *, allow_private: bool) -> Target:
    """Check the URL's shape: https (http only where private targets are allowed)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(f"not a valid URL: {exc}") from exc
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed:
        raise UnsafeTarget("must be an https URL")
    if not parts.hostname:
        raise UnsafeTarget("must name a host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("must not carry credentials")
    if parts.fragment:
        raise UnsafeTarget("must not have a fragment")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise UnsafeTarget(f"not a valid URL: {exc}") from exc
    default_port = 443 if parts.scheme == "https" else 80
    return Target(url=parsed, host=parts.hostname, port=port or default_port)


async def resolve_target(target: Target, *, allow_private: bool, seconds: float) -> list[IpAddress]:
    """The target's addresses; refuses non-public ones unless they are allowed."""
    try:
        async with asyncio.timeout(seconds):
            infos = await asyncio.get_running_loop().getaddrinfo(
                target.host, target.port, type=socket.SOCK_STREAM
            )
    except (OSError, TimeoutError, UnicodeError, ValueError) as exc:
        raise UnsafeTarget(f"host {target.host[:100]!r} does not resolve") from exc
    addresses = list(
        dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos)
    )
    if not addresses:
        raise UnsafeTarget(f"host {target.host[:100]!r} does not resolve")
    if not allow_private:
        blocked = [str(address) for address in addresses if not _is_public(address)]
        if blocked:
            raise UnsafeTarget(
                "resolves to a loopback, private, link-local or reserved address "
                f"({', '.join(blocked)})"
            )
    return addresses


async def check_url(url: str, *, allow_private: bool, seconds: float) -> None:
    """422 on field `url` when the URL may not be a webhook target."""
    try:
        target = parse_target(url, allow_private=allow_private)
        await resolve_target(target, allow_private=allow_private, seconds=seconds)
    except UnsafeTarget as exc:
        raise Unprocessable(
            "The webhook URL is not allowed", errors=[FieldError(field="url", message=str(exc))]
        ) from exc


# --- subscriptions ------------------------------------------------------------------------


def _require_admin(principal: Principal) -> None:
    require_user(principal)
    require_hr_admin(principal)


def _snapshot(subscription: WebhookSubscription) -> dict[str, Any]:
    return {
        "url": subscription.url,
        "description": subscription.description,
        "event_types": list(subscription.event_types),
        "active": subscription.active,
    }


async def list_subscriptions(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[list[WebhookSubscription], str | None]:
    _require_admin(principal)
    statement = repository.subscriptions_query(principal.org_id)
    return await paginate(session, statement, [WebhookSubscription.id], page)


async def get_subscription(
    session: AsyncSession, principal: Principal, subscription_id: uuid.UUID
) -> WebhookSubscription:
    _require_admin(principal)
    subscription = await repository.subscription_by_id(session, principal.org_id, subscription_id)
    if subscription is None:
        raise NotFound("No such webhook")
    return subscription


async def create_subscription(
    session: AsyncSession, principal: Principal, body: WebhookCreate, config: WebhookConfig
) -> tuple[WebhookSubscription, str]:
    """Returns the subscription and its signing secret (the only time it is shown)."""
    _require_admin(principal)
    await check_url(
        body.url, allow_private=config.allow_private_targets, seconds=config.timeout_seconds
    )
    secret = "whsec_" + secrets.token_urlsafe(32)
    subscription = WebhookSubscription(
        org_id=principal.org_id,
        url=body.url,
        description=body.description,
        event_types=[event_type.value for event_type in body.event_types],
        secret=secret,
        active=True,
        consecutive_failures=0,
        created_by=principal.user_id,
    )
    session.add(subscription)
    await session.flush()
    audit.record(
        session,
        principal,
        "webhook.created",
        "webhook",
        subscription.id,
        org_id=principal.org_id,
        after=_snapshot(subscription),
    )
    return subscription, secret


async def delete_subscription(
    session: AsyncSession, principal: Principal, subscription_id: uuid.UUID
) -> None:
    """Deletes the subscription and its delivery log; pending deliveries are dropped."""
    subscription = await get_subscription(session, principal, subscription_id)
    audit.record(
        session,
        principal,
        "webhook.deleted",
        "webhook",
        subscription.id,
        org_id=principal.org_id,
        before=_snapshot(subscription),
    )
    await repository.delete_subscription(session, principal.org_id, subscription.id)


async def enable_subscription(
    session: AsyncSession, principal: Principal, subscription_id: uuid.UUID
) -> WebhookSubscription:
    """Re-enable a disabled subscription and forget its failures; idempotent."""
    subscription = await get_subscription(session, principal, subscription_id)
    if subscription.active:
        return subscription
    subscription.active = True
    subscription.disabled_at = None
    subscription.consecutive_failures = 0
    await session.flush()
    await session.refresh(subscription)  # `updated_at` is set by the database
    audit.record(
        session,
        principal,
        "webhook.enabled",
        "webhook",
        subscription.id,
        org_id=principal.org_id,
        before={"active": False},
        after={"active": True},
    )
    return subscription


async def list_deliveries(
    session: AsyncSession,
    principal: Principal,
    subscription_id: uuid.UUID,
    page: PageParams,
    *,
    status: DeliveryStatus | None,
) -> tuple[list[WebhookDelivery], str | None]:
    """The subscription's delivery log, newest first."""
    subscription = await get_subscription(session, principal, subscription_id)
    statement = repository.deliveries_query(
        principal.org_id, subscription.id, status=status.value if status else None
    )
    return await paginate(session, statement, [WebhookDelivery.id], page, descending=True)


# --- publishing ---------------------------------------------------------------------------


async def publish(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    event_type: EventType | str,
    payload: dict[str, Any],
    event_id: uuid.UUID | None = None,
) -> int:
    """Queue `event_type` for every active subscription of the org that listens to it.

    Runs in the caller's transaction (the caller has set the tenant): rolled back, nothing is
    sent. `payload` must be JSON-serializable. Pass a deterministic `event_id` from a job
    that may run twice: an event is delivered once per subscription. Returns how many
    deliveries were queued.
    """
    return await publish_many(
        session, org_id=org_id, event_type=event_type, events=[(payload, event_id or new_id())]
    )


async def publish_many(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    event_type: EventType | str,
    events: Iterable[tuple[dict[str, Any], uuid.UUID]],
) -> int:
    """`publish` for a batch of (payload, event id) of one type: a fixed number of queries.

    `events` is consumed only when someone subscribes: pass a generator to skip building
    payloads nobody will receive.
    """
    kind = EventType(event_type)
    subscription_ids = await repository.active_subscription_ids(session, org_id, kind.value)
    if not subscription_ids:
        return 0
    rows = [
        {
            "id": new_id(),
            "org_id": org_id,
            "subscription_id": subscription_id,
            "event_type": kind.value,
            "event_id": event_id,
            "payload": json.loads(json.dumps(payload)),
            "status": DeliveryStatus.PENDING.value,
            "attempts": 0,
        }
        for payload, event_id in events
        for subscription_id in subscription_ids
    ]
    delivery_ids = await repository.insert_deliveries(session, rows)
    for delivery_id in delivery_ids:
        outbox.enqueue(session, DELIVER_JOB, {"delivery_id": str(delivery_id)}, org_id=org_id)
    return len(delivery_ids)


# --- delivery -----------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "{timestamp}.{body}")."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def event_body(delivery: WebhookDelivery) -> bytes:
    document = {
        "id": str(delivery.event_id),
        "type": delivery.event_type,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Attempt:
    ok: bool
    status_code: int | None = None
    error: str | None = None


async def _send(
    subscription: WebhookSubscription, delivery: WebhookDelivery, config: WebhookConfig
) -> Attempt:
    """One POST to the address that was checked; never follows redirects."""
    try:
        target = parse_target(subscription.url, allow_private=config.allow_private_targets)
        addresses = await resolve_target(
            target,
            allow_private=config.allow_private_targets,
            seconds=config.timeout_seconds,
        )
    except UnsafeTarget as exc:
        return Attempt(ok=False, error=f"refused target: {exc}")
    body = event_body(delivery)
    timestamp = int(time.time())
    host_header = target.url.netloc.decode("ascii")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Host": host_header,
        "X-Hrcore-Event": delivery.event_type,
        "X-Hrcore-Delivery": str(delivery.event_id),
        "X-Hrcore-Timestamp": str(timestamp),
        SIGNATURE_HEADER: sign(subscription.secret, timestamp, body),
    }
    pinned = target.url.copy_with(host=str(addresses[0]))
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
    try:
        async with httpx.AsyncClient(
            timeout=config.timeout_seconds, follow_redirects=False, trust_env=False
        ) as client:
            request = client.build_request(
                "POST", pinned, content=body, headers=headers, extensions=extensions
            )
            response = await client.send(request, stream=True)
            await response.aclose()
    except httpx.HTTPError as exc:
        return Attempt(ok=False, error=f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT])
    if 200 <= response.status_code < 300:
        return Attempt(ok=True, status_code=response.status_code)
    return Attempt(
        ok=False,
        status_code=response.status_code,
        error=f"HTTP {response.status_code} {response.reason_phrase}"[:ERROR_LIMIT],
    )


class DeliveryFailed(Exception):
    """Raised by the job so the worker retries the delivery with backoff."""


async def deliver(
    session: AsyncSession,
    sessionmaker: SessionMaker,
    delivery_id: uuid.UUID,
    *,
    org_id: uuid.UUID,
    job_attempt: int,
    config: WebhookConfig,
    clock: Clock,
) -> None:
    """One delivery attempt (the `webhooks.deliver` job); raises `DeliveryFailed` to retry.

    Runs in the job's transaction, which a raise rolls back: a failed attempt is recorded in
    a separate short transaction first, so the log keeps every attempt. The last attempt
    (by the delivery's own count, or the job's) marks the delivery failed and returns. A
    second job for the same delivery while one is sending skips it: never sent twice at once.
    """
    if not await try_claim(session, f"webhook-delivery:{delivery_id}"):
        return
    delivery = await repository.delivery_by_id(session, org_id, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return
    subscription = await repository.subscription_by_id(session, org_id, delivery.subscription_id)
    if subscription is None:
        return
    number = delivery.attempts + 1
    if not subscription.active:
        await repository.finish_delivery(
            session,
            delivery.id,
            status=DeliveryStatus.FAILED.value,
            attempts=delivery.attempts,
            status_code=None,
            error="subscription is disabled",
            at=clock.now(),
        )
        return
    attempt = await _send(subscription, delivery, config)
    now = clock.now()
    if attempt.ok:
        await repository.finish_delivery(
            session,
            delivery.id,
            status=DeliveryStatus.SUCCEEDED.value,
            attempts=number,
            status_code=attempt.status_code,
            error=None,
            at=now,
        )
        await repository.reset_failures(session, subscription.id)
        return
    final = number >= config.max_attempts or job_attempt >= MAX_ATTEMPTS_LIMIT
    delay = config.retry_base_seconds * 2 ** (job_attempt - 1)
    async with unit_of_work(sessionmaker) as side:
        await set_tenant(side, org_id)
        await repository.finish_delivery(
            side,
            delivery.id,
            status=(DeliveryStatus.FAILED if final else DeliveryStatus.PENDING).value,
            attempts=number,
            status_code=attempt.status_code,
            error=attempt.error,
            at=now,
            next_attempt_at=None if final else now + timedelta(seconds=delay),
        )
        failures = await repository.count_failure(side, subscription.id)
        if failures is not None and failures >= config.max_consecutive_failures:
            disabled = await repository.disable(side, subscription.id, now)
            if disabled is not None:
                audit.record(
                    side,
                    None,
                    "webhook.disabled",
                    "webhook",
                    subscription.id,
                    org_id=org_id,
                    before={"active": True},
                    after={
                        "active": False,
                        "consecutive_failures": failures,
                        "last_error": attempt.error,
                    },
                )
    if not final:
        raise DeliveryFailed(attempt.error or "delivery failed")

"""Outbound delivery: the one engine for signed HTTP to third parties (webhooks, DingTalk).

A domain keeps its own tables — a target (a webhook subscription, a notification channel) and
a delivery log built on `DeliveryLogMixin` — and its own signing; the engine does the rest the
same way for each:

- **Targets** are https on public addresses. The host is resolved when the target is saved
  (`check_target`) and again on every attempt (DNS rebinding), and the request goes to the
  address that was checked, the host name kept for `Host` and TLS SNI/certificate checks.
  IPv6 addresses that carry an IPv4 address (mapped, compatible, 6to4, Teredo, NAT64) must
  carry a public one.
- **Sending** (`post`): one POST signed by the domain's `Signer`, never following redirects,
  judged by the domain's `Answer` (default: any 2xx), as an `Attempt`.
- **Bookkeeping** (`claim`, `settle`): a job claims its delivery so it is never sent twice
  at once; the attempt is written to the log; a failure is written in a short transaction of
  its own (the job's raise rolls the job's back), retried by the worker after `retry_delay`
  (so `next_attempt_at` is when the retry really runs) until `Policy.max_attempts`, and
  `Policy.max_consecutive_failures` failures in a row trip the target's `Breaker`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx
from sqlalchemy import DateTime, Integer, String, Text, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core import i18n
from hrcore.core.db import SessionMaker, tenant_transaction, try_claim
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.models import IdMixin, OrgScopedMixin
from hrcore.core.resilience import retry_delay

MAX_TRIES = 16
"""The delivery jobs' registered `max_tries`: their last try is final whatever the count."""
ERROR_LIMIT = 1000

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Policy:
    """How a domain delivers; the domain reads it from settings, router and job pass it."""

    allow_private_targets: bool = False
    timeout_seconds: float = 10.0
    max_attempts: int = 8
    """Attempts of one delivery before it is failed (capped by `MAX_TRIES`)."""
    max_consecutive_failures: int | None = None
    """Failed attempts in a row that trip the target's breaker; None: never."""
    retry_base_seconds: float = 5.0
    """The worker's `job_retry_base_seconds`: the engine predicts the worker's retry."""


# --- targets ------------------------------------------------------------------------------


class UnsafeTarget(Exception):
    """The URL is malformed or its host resolves to an address we must not reach."""


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


def is_public(address: IpAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if not all(is_public(ipv4) for ipv4 in _embedded_ipv4(address)):
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
        raise UnsafeTarget(_("not a valid URL: {error}", error=exc)) from exc
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed:
        raise UnsafeTarget(_("must be an https URL"))
    if not parts.hostname:
        raise UnsafeTarget(_("must name a host"))
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget(_("must not carry credentials"))
    if parts.fragment:
        raise UnsafeTarget(_("must not have a fragment"))
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise UnsafeTarget(_("not a valid URL: {error}", error=exc)) from exc
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
        raise UnsafeTarget(_("host '{host}' does not resolve", host=target.host[:100])) from exc
    addresses = list(
        dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos)
    )
    if not addresses:
        raise UnsafeTarget(_("host '{host}' does not resolve", host=target.host[:100]))
    if not allow_private:
        blocked = [str(address) for address in addresses if not is_public(address)]
        if blocked:
            raise UnsafeTarget(
                _(
                    "resolves to a loopback, private, link-local or reserved address ({addresses})",
                    addresses=", ".join(blocked),
                )
            )
    return addresses


async def _checked(url: str, policy: Policy) -> tuple[Target, list[IpAddress]]:
    target = parse_target(url, allow_private=policy.allow_private_targets)
    addresses = await resolve_target(
        target, allow_private=policy.allow_private_targets, seconds=policy.timeout_seconds
    )
    return target, addresses


async def check_target(url: str, policy: Policy, *, field: str, title: str | i18n.Text) -> None:
    """422 naming `field` when `url` may not be a delivery target."""
    try:
        await _checked(url, policy)
    except UnsafeTarget as exc:
        reason = exc.args[0] if exc.args else str(exc)
        raise Unprocessable(title, errors=[FieldError(field=field, message=reason)]) from exc


# --- sending ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """How one attempt went. `code` is the protocol's own result code (DingTalk's errcode)."""

    ok: bool
    status_code: int | None = None
    error: str | None = None
    code: int | None = None


Signer = Callable[[str, bytes], tuple[str, Mapping[str, str]]]
"""Signs one request: (URL, body) → (the URL to POST, headers to add)."""
Answer = Callable[[httpx.Response], Attempt]
"""Judges a response whose body has been read."""


def describe(exc: BaseException, prefix: str = "") -> str:
    """An error as the delivery log keeps it: its type and message, bounded."""
    return f"{prefix}{type(exc).__name__}: {exc}"[:ERROR_LIMIT]


def transport_failure(exc: httpx.HTTPError) -> Attempt:
    return Attempt(ok=False, error=describe(exc))


def status_attempt(response: httpx.Response) -> Attempt:
    """Any 2xx is a success; anything else names the status."""
    if 200 <= response.status_code < 300:
        return Attempt(ok=True, status_code=response.status_code)
    return Attempt(
        ok=False,
        status_code=response.status_code,
        error=f"HTTP {response.status_code} {response.reason_phrase}"[:ERROR_LIMIT],
    )


def json_body(document: Any) -> bytes:
    """JSON as httpx's `json=` encodes it."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode()


@asynccontextmanager
async def client(policy: Policy) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for outbound calls: the policy's timeout, no redirects, no proxy env."""
    async with httpx.AsyncClient(
        timeout=policy.timeout_seconds, follow_redirects=False, trust_env=False
    ) as http:
        yield http


async def post(
    url: str,
    body: bytes,
    *,
    headers: Mapping[str, str],
    policy: Policy,
    sign: Signer,
    answer: Answer | None = None,
) -> Attempt:
    """One signed POST to the address of `url` that was checked just now.

    Without `answer` the response body is never read (a receiver cannot make us download
    much); with it the body is read and `answer` judges it.
    """
    try:
        target, addresses = await _checked(url, policy)
    except UnsafeTarget as exc:
        reason = i18n.render(exc.args[0], "en") if exc.args else ""  # logs are English
        return Attempt(ok=False, error=f"refused target: {reason}")
    signed_url, signature = sign(url, body)
    signed = httpx.URL(signed_url)
    pinned = signed.copy_with(host=str(addresses[0]))
    extensions = {"sni_hostname": target.host} if signed.scheme == "https" else {}
    all_headers = {**headers, **signature, "Host": signed.netloc.decode("ascii")}
    try:
        async with client(policy) as http:
            request = http.build_request(
                "POST", pinned, content=body, headers=all_headers, extensions=extensions
            )
            response = await http.send(request, stream=True)
            try:
                if answer is None:
                    return status_attempt(response)
                await response.aread()
                return answer(response)
            finally:
                await response.aclose()
    except httpx.HTTPError as exc:
        return transport_failure(exc)


# --- bookkeeping --------------------------------------------------------------------------


class DeliveryLogMixin(IdMixin, OrgScopedMixin):
    """The columns every delivery log shares: where a delivery stands and its last attempt."""

    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


Row = TypeVar("Row", bound=DeliveryLogMixin)


@dataclass(frozen=True)
class Log(Generic[Row]):
    """A domain's delivery-log table and its words for what the engine writes."""

    model: type[Row]
    name: str
    """Names the per-delivery lock: `{name}-delivery:{id}`."""
    open_statuses: tuple[str, ...] = ("pending",)
    sent_status: str = "sent"
    sent_at: str = "sent_at"
    status_code: str | None = None
    """The column that keeps the answer's HTTP status, if the log has one."""


class Breaker(Protocol):
    """A target's failures in a row (webhooks disable a subscription that keeps failing)."""

    async def reset(self, session: AsyncSession) -> None: ...

    async def count_failure(self, session: AsyncSession) -> int | None:
        """Add one; the new count, or None when the target is gone."""
        ...

    async def trip(
        self, session: AsyncSession, *, at: datetime, failures: int, error: str | None
    ) -> None: ...


class DeliveryFailed(Exception):
    """Raised by a delivery job so the worker retries it with backoff."""


async def claim(
    session: AsyncSession, log: Log[Row], org_id: uuid.UUID, delivery_id: uuid.UUID
) -> Row | None:
    """The open delivery, unless it is done, gone or being sent by another job right now
    (a lock until the job's transaction ends): never sent twice at once."""
    if not await try_claim(session, f"{log.name}-delivery:{delivery_id}"):
        return None
    model = log.model
    row = await session.scalar(select(model).where(model.org_id == org_id, model.id == delivery_id))
    return row if row is not None and row.status in log.open_statuses else None


async def update_open(
    session: AsyncSession, log: Log[Any], delivery_id: uuid.UUID, **values: Any
) -> bool:
    """Change an open delivery; False when it is no longer open."""
    model = log.model
    result = await session.execute(
        update(model)
        .where(model.id == delivery_id, model.status.in_(log.open_statuses))
        .values(**values)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    return result.scalar_one_or_none() is not None


async def settle(
    session: AsyncSession,
    sessionmaker: SessionMaker,
    log: Log[Row],
    row: Row,
    attempt: Attempt,
    *,
    org_id: uuid.UUID,
    job_attempt: int,
    policy: Policy,
    now: datetime,
    breaker: Breaker | None = None,
) -> None:
    """Record `attempt` on the delivery; raises `DeliveryFailed` when the worker must retry.

    The last attempt — by the delivery's own count, or the job's — marks it failed and
    returns, so the job ends done: failures live in the delivery log, not as job errors.
    """
    number = row.attempts + 1
    values: dict[str, Any] = {
        "attempts": number,
        "last_error": attempt.error,
        "last_attempt_at": now,
        "next_attempt_at": None,
    }
    if log.status_code is not None:
        values[log.status_code] = attempt.status_code
    if attempt.ok:
        await update_open(
            session, log, row.id, **values, status=log.sent_status, **{log.sent_at: now}
        )
        if breaker is not None:
            await breaker.reset(session)
        return
    final = number >= policy.max_attempts or job_attempt >= MAX_TRIES
    if not final:
        delay = retry_delay(policy.retry_base_seconds, job_attempt)
        values["next_attempt_at"] = now + timedelta(seconds=delay)
    async with tenant_transaction(sessionmaker, org_id) as side:
        await update_open(side, log, row.id, **values, status="failed" if final else "pending")
        limit = policy.max_consecutive_failures
        if breaker is not None and limit is not None:
            failures = await breaker.count_failure(side)
            if failures is not None and failures >= limit:
                await breaker.trip(side, at=now, failures=failures, error=attempt.error)
    if not final:
        raise DeliveryFailed(attempt.error or "delivery failed")

"""Sign-in someone an identity provider vouched for (DingTalk 「免登」): the same token pair,
rotation and revocation as a password login.

The provider is asked with no transaction open: `prepare` reads what the provider needs
(its app, in the request's transaction), the transaction ends, `exchange` asks the provider
who this is over HTTP, and a short transaction maps the answer to an account (`resolve`)
and issues the tokens. Throttled by the password login's counters: a failure before the
provider names the person counts against the caller's address only (code guessing from
one place), one after it against the person at that address too, so one person's stale
codes never hold a colleague at the same address back (docs/identity.md, "Throttling").
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.errors import ServiceUnavailable, TooManyRequests, Unauthorized
from hrcore.core.i18n import Text, _
from hrcore.identity import locales, repository
from hrcore.identity.auth import Services, _issue_pair, principal_of
from hrcore.identity.models import User
from hrcore.identity.schemas import TokenPair
from hrcore.identity.throttle import Attempt, Throttle

logger = logging.getLogger("hrcore.identity")


@dataclass(frozen=True)
class ExternalIdentity:
    """Whom an identity provider vouched for: the employee it maps to, the provider's own
    id of the person (`subject`, audited)."""

    employee_id: uuid.UUID
    subject: str


class SignInRefused(Exception):
    """A provider or the mapping refused the person: `reason` is the 401's detail, `code`
    names the reason in the audit trail."""

    def __init__(self, code: str, reason: Text, *, subject: str | None = None) -> None:
        super().__init__(code)
        self.code, self.reason, self.subject = code, reason, subject


class SignInUnavailable(Exception):
    """The provider could not say who this is (unreachable, busy): a 503 whose `reason` is
    the detail, audited as `code`, never counted as a failed sign-in."""

    def __init__(self, code: str, reason: Text) -> None:
        super().__init__(code)
        self.code, self.reason = code, reason


Exchange = Callable[[], Awaitable[str]]
"""Asks the provider, with no transaction open, for its id of the person (`subject`)."""


@dataclass(frozen=True)
class ExternalProvider:
    method: str
    prepare: Callable[[AsyncSession, uuid.UUID], Awaitable[Exchange]]
    """Reads the provider's settings of the organization (plain values: the transaction ends
    before the exchange) or raises `SignInRefused`."""
    resolve: Callable[[AsyncSession, uuid.UUID, str], Awaitable[ExternalIdentity]]
    """Maps the provider's subject to an employee or raises `SignInRefused`."""


def _too_many(wait: int) -> TooManyRequests:
    return TooManyRequests(
        _("Too many failed logins; try again later"), headers={"Retry-After": str(wait)}
    )


async def external_login(
    session: AsyncSession,
    services: Services,
    *,
    org: str,
    provider: ExternalProvider,
    client_address: str,
    unavailable: Text,
) -> TokenPair:
    """Sign in the person the provider names; the employee's account must exist and be
    active. Every sign-in, every refusal and every 503 is audited (a refusal in a
    transaction of its own, as the request's rolls back); an unknown organization answers
    `unavailable`, as a provider not set up."""
    method = provider.method
    throttle = Throttle(services.redis, services.sessionmaker, services.settings)
    now = services.clock.now()
    address = Attempt.from_address(services.settings, client_address)
    wait = await throttle.retry_after(address, now)
    if wait is not None:
        raise _too_many(wait)
    organization = await repository.org_by_slug(session, org)
    if organization is None:  # no organization, no audit trail to write to: logged only
        logger.info("%s sign-in refused: unknown organization", method)
        await throttle.failed(address, now)
        raise Unauthorized(unavailable)
    org_id = organization.id
    await set_tenant(session, org_id)
    await locales.settle_request_locale(session, org_id)  # refusals read as the org reads
    try:
        exchange = await provider.prepare(session, org_id)
        await session.rollback()  # nothing written: no transaction open while the provider is asked
        subject = await exchange()
    except SignInRefused as refused:
        await session.rollback()
        await throttle.failed(address, now)
        await _record_refusal(services, org_id, method, refused.code, refused.subject, None)
        raise Unauthorized(refused.reason) from None
    except SignInUnavailable as down:
        logger.warning("%s sign-in unavailable: %s", method, down.code)
        await _record_refusal(services, org_id, method, down.code, None, None)
        raise ServiceUnavailable(down.reason) from None
    attempt = Attempt.of(services.settings, org, f"{method}:{subject}", client_address)
    wait = await throttle.retry_after(attempt, now)
    if wait is not None:
        raise _too_many(wait)
    return await _sign_in(session, services, provider, org_id, subject, attempt, throttle)


async def _sign_in(
    session: AsyncSession,
    services: Services,
    provider: ExternalProvider,
    org_id: uuid.UUID,
    subject: str,
    attempt: Attempt,
    throttle: Throttle,
) -> TokenPair:
    """The short transaction after the exchange: map, check the account, issue tokens."""
    method = provider.method
    await set_tenant(session, org_id)
    user: User | None = None
    try:
        found = await provider.resolve(session, org_id, subject)
        user = await repository.user_for_employee(session, org_id, found.employee_id)
        if user is None:
            raise SignInRefused(
                "no_account", _("No hrcore account belongs to this person"), subject=subject
            )
        if not user.is_active:
            raise SignInRefused(
                "account_disabled", _("This hrcore account is disabled"), subject=subject
            )
    except SignInRefused as refused:
        user_id = user.id if user else None
        await session.rollback()  # nothing of the attempt stays; the refusal is recorded apart
        await throttle.failed(attempt, services.clock.now())
        await _record_refusal(services, org_id, method, refused.code, refused.subject, user_id)
        raise Unauthorized(refused.reason) from None
    await throttle.succeeded(attempt)
    user.last_login_at = services.clock.now()
    audit.record(
        session,
        principal_of(user),
        "user.signed_in",
        "user",
        user.id,
        org_id=org_id,
        after={"method": method, "subject": found.subject},
    )
    return await _issue_pair(session, services, user, family_id=uuid.uuid4(), method=method)


async def _record_refusal(
    services: Services,
    org_id: uuid.UUID,
    method: str,
    reason: str,
    subject: str | None,
    user_id: uuid.UUID | None,
) -> None:
    """The refused attempt on the account when one was found, else on the organization."""
    logger.info("%s sign-in refused: %s", method, reason)
    async with unit_of_work(services.sessionmaker) as session:
        await set_tenant(session, org_id)
        audit.record(
            session,
            None,
            "user.sign_in_refused",
            "user" if user_id else "organization",
            user_id or org_id,
            org_id=org_id,
            after={"method": method, "reason": reason, "subject": subject},
        )

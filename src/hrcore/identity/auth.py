"""Authentication: password login, refresh-token rotation, logout, password change, and
resolving a bearer credential (access token or integration key) to the caller."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, security
from hrcore.core.authz import Principal, Role, Scope
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker, set_tenant, unit_of_work
from hrcore.core.errors import (
    PASSWORD_CHANGE_REQUIRED,
    Forbidden,
    TooManyRequests,
    Unauthorized,
    Unprocessable,
)
from hrcore.core.i18n import N_, _
from hrcore.core.schemas import Ref
from hrcore.identity import locales, passwords, repository
from hrcore.identity.models import RefreshToken, User
from hrcore.identity.schemas import (
    MeOut,
    MyEmployee,
    OrgOut,
    PasswordChange,
    TokenPair,
    TokenRequest,
)
from hrcore.identity.throttle import Attempt, Throttle
from hrcore.settings import Settings

logger = logging.getLogger("hrcore.identity")

REFRESH_KIND = "rt"
API_KEY_KIND = "hk"
INVALID_CREDENTIALS = N_("Invalid organization, email or password")


class PasswordChangeRequired(Forbidden):
    status, slug, title = PASSWORD_CHANGE_REQUIRED


@dataclass(frozen=True)
class Authenticated:
    principal: Principal
    must_change_password: bool


@dataclass(frozen=True)
class Services:
    """What authentication needs beyond the request's session."""

    settings: Settings
    redis: Redis
    clock: Clock
    sessionmaker: SessionMaker


async def _issue_pair(
    session: AsyncSession,
    services: Services,
    user: User,
    family_id: uuid.UUID,
    method: str | None = None,
) -> TokenPair:
    """A new link of `family_id`. A session an identity provider vouched for (`method`) is
    not held back by a one-time password the person never received; the password itself
    still must be changed at its first use (docs/identity.md)."""
    now = services.clock.now()
    secret = security.new_secret()
    session.add(
        RefreshToken(
            org_id=user.org_id,
            user_id=user.id,
            family_id=family_id,
            token_hash=security.hash_token(secret),
            expires_at=now + timedelta(days=services.settings.refresh_token_days),
            method=method,
        )
    )
    access, lifetime = security.issue_access_token(
        services.settings,
        user_id=user.id,
        org_id=user.org_id,
        now=now,
        version=user.token_version,
        method=method,
    )
    return TokenPair(
        access_token=access,
        refresh_token=security.compose_token(REFRESH_KIND, user.org_id, secret),
        expires_in=lifetime,
        must_change_password=user.must_change_password and method is None,
        locale=user.locale,
    )


async def login(
    session: AsyncSession, services: Services, body: TokenRequest, client_address: str
) -> TokenPair:
    """Password login, throttled per account and address, per address and per account
    (identity/throttle.py): an attacker is slowed, the owner is not locked out."""
    email = body.email.lower()
    throttle = Throttle(services.redis, services.sessionmaker, services.settings)
    attempt = Attempt.of(services.settings, body.org, email, client_address)
    wait = await throttle.retry_after(attempt, services.clock.now())
    if wait is not None:
        raise TooManyRequests(
            _("Too many failed logins; try again later"), headers={"Retry-After": str(wait)}
        )
    org = await repository.org_by_slug(session, body.org)
    user = None
    if org is not None:
        await set_tenant(session, org.id)
        user = await repository.user_by_email(session, org.id, email)
    password_ok = await security.verify_password_async(
        user.password_hash if user else None, body.password
    )
    if user is None or not password_ok or not user.is_active:
        await throttle.failed(attempt, services.clock.now())
        raise Unauthorized(_(INVALID_CREDENTIALS))
    await throttle.succeeded(attempt)
    user.last_login_at = services.clock.now()
    return await _issue_pair(session, services, user, family_id=uuid.uuid4())


async def _revoke_family_now(
    services: Services, org_id: uuid.UUID, family_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    """Committed on its own: the request that detects reuse fails, the revocation must stay.
    The user's access tokens end too (a thief may hold one from the stolen refresh token)."""
    async with unit_of_work(services.sessionmaker) as session:
        await set_tenant(session, org_id)
        await repository.revoke_family(session, org_id, family_id, services.clock.now())
        await repository.end_access_tokens(session, org_id, user_id)
        audit.record(
            session,
            None,
            "user.sessions_revoked",
            "user",
            user_id,
            org_id=org_id,
            after={"reason": "refresh_token_reused", "family_id": str(family_id)},
        )


async def _spend_refresh_token(session: AsyncSession, services: Services, raw: str) -> RefreshToken:
    parsed = security.split_token(REFRESH_KIND, raw)
    if parsed is None:
        raise Unauthorized(_("Invalid refresh token"))
    org_id, secret = parsed
    await set_tenant(session, org_id)
    token = await repository.refresh_token_for_update(session, org_id, security.hash_token(secret))
    now = services.clock.now()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise Unauthorized(_("Invalid refresh token"))
    if token.used_at is not None:
        family_id, user_id = token.family_id, token.user_id
        logger.warning("refresh token reuse; revoking family %s", family_id)
        await session.rollback()  # release the row lock before revoking in a transaction of its own
        await _revoke_family_now(services, org_id, family_id, user_id)
        raise Unauthorized(_("Refresh token already used; please log in again"))
    token.used_at = now
    return token


async def refresh(session: AsyncSession, services: Services, raw: str) -> TokenPair:
    """Rotate: the presented token is spent and a new pair of the same family is issued."""
    token = await _spend_refresh_token(session, services, raw)
    user = await repository.user_by_id(session, token.org_id, token.user_id)
    if user is None or not user.is_active:
        raise Unauthorized(_("Invalid refresh token"))
    return await _issue_pair(
        session, services, user, family_id=token.family_id, method=token.method
    )


async def logout(session: AsyncSession, services: Services, raw: str) -> None:
    """Revoke the whole family of the presented token (idempotent for a spent one) and end
    the user's access tokens; the user's other sessions refresh once to go on."""
    parsed = security.split_token(REFRESH_KIND, raw)
    if parsed is None:
        raise Unauthorized(_("Invalid refresh token"))
    org_id, secret = parsed
    await set_tenant(session, org_id)
    token = await repository.refresh_token_for_update(session, org_id, security.hash_token(secret))
    if token is None:
        raise Unauthorized(_("Invalid refresh token"))
    await repository.revoke_family(session, org_id, token.family_id, services.clock.now())
    await repository.end_access_tokens(session, org_id, token.user_id)


async def authenticate(session: AsyncSession, services: Services, credential: str) -> Authenticated:
    """Resolve a bearer credential (access token or API key) and scope the session to its org.

    An access token costs two statements, the tenant and the user's row (with their
    organization's locale, for when neither the user nor `Accept-Language` chose, and time
    zone, for the request's "today" and deadlines): the row is
    read on every request (not cached), so a deactivation, a password change or a logout
    (`token_version`) revokes the token at once, in every process.
    """
    if credential.startswith(f"{API_KEY_KIND}_"):
        return await _authenticate_api_key(session, services, credential)
    claims = _claims(services, credential)
    await set_tenant(session, claims.org_id)
    user = await repository.caller_row(session, claims.org_id, claims.user_id)
    if user is None or not user["is_active"] or user["token_version"] != claims.version:
        raise Unauthorized(_("Invalid or expired access token"))
    principal = Principal(
        kind="user",
        id=user["id"],
        org_id=claims.org_id,
        employee_id=user["employee_id"],
        roles=frozenset(Role(role) for role in user["roles"]),
        department_scope=user["department_scope_id"],
    )
    locales.settle_caller_locale(user["locale"], user["org_locale"])
    repository.note_caller_timezone(session, claims.org_id, user["org_timezone"])
    return Authenticated(principal, user["must_change_password"] and claims.method is None)


_verified: dict[str, tuple[Settings, security.AccessClaims]] = {}
VERIFIED_TOKENS_KEPT = 10_000


def _claims(services: Services, credential: str) -> security.AccessClaims:
    """The token's verified claims, verified once per token and process.

    Verifying costs more than the rest of authentication (PyJWT checks the token's alphabet
    character by character); a token's claims cannot change, so a token seen before is only
    checked for expiry (with the verifier's leeway) under the same settings. Revocation is
    not cached: `authenticate` reads the user's `token_version` on every request.
    """
    seen = _verified.get(credential)
    if seen is not None and seen[0] is services.settings:
        claims = seen[1]
        if time.time() < claims.expires_at.timestamp() + security.LEEWAY_SECONDS:
            return claims
    try:
        claims = security.decode_access_token(services.settings, credential)
    except security.InvalidToken as exc:
        logger.info("rejected access token: %s", exc)
        raise Unauthorized(_("Invalid or expired access token")) from exc
    if len(_verified) >= VERIFIED_TOKENS_KEPT:
        _verified.clear()
    _verified[credential] = (services.settings, claims)
    return claims


def principal_of(user: User) -> Principal:
    return Principal(
        kind="user",
        id=user.id,
        org_id=user.org_id,
        employee_id=user.employee_id,
        roles=frozenset(Role(role) for role in user.roles),
        department_scope=user.department_scope_id,
    )


async def _authenticate_api_key(
    session: AsyncSession, services: Services, credential: str
) -> Authenticated:
    parsed = security.split_token(API_KEY_KIND, credential)
    if parsed is None:
        raise Unauthorized(_("Invalid API key"))
    org_id, secret = parsed
    await set_tenant(session, org_id)
    key = await repository.api_key_by_hash(session, org_id, security.hash_token(secret))
    if key is None or key.revoked_at is not None:
        raise Unauthorized(_("Invalid API key"))
    key.last_used_at = services.clock.now()
    await locales.settle_request_locale(session, org_id)
    principal = Principal(
        kind="api_key",
        id=key.id,
        org_id=org_id,
        scopes=frozenset(Scope(scope) for scope in key.scopes),
        key_departments=frozenset(key.department_ids) if key.department_ids else None,
    )
    return Authenticated(principal, must_change_password=False)


async def change_password(
    session: AsyncSession, services: Services, principal: Principal, body: PasswordChange
) -> TokenPair:
    """Verify the current password, set the new one, end every session (their access tokens
    too) and start a new one for the caller."""
    user = await _own_user(session, principal)
    if not await security.verify_password_async(user.password_hash, body.current_password):
        raise Unprocessable(_("The current password is wrong"))
    if body.new_password == body.current_password:
        raise Unprocessable(_("Choose a password different from the current one"))
    passwords.check(
        body.new_password,
        personal=[user.email, user.display_name],
        field="body.new_password",
        min_score=services.settings.password_min_score,
    )
    user.password_hash = await security.hash_password_async(body.new_password)
    user.must_change_password = False
    user.token_version += 1
    await repository.revoke_user_tokens(session, user.org_id, user.id, services.clock.now())
    audit.record(session, principal, "user.password_changed", "user", user.id, org_id=user.org_id)
    await session.flush()
    return await _issue_pair(session, services, user, family_id=uuid.uuid4())


async def _own_user(session: AsyncSession, principal: Principal) -> User:
    if principal.user_id is None:
        raise Forbidden(_("Only users have passwords"))
    user = await repository.user_by_id(session, principal.org_id, principal.user_id)
    if user is None:
        raise Unauthorized()
    return user


async def me(
    session: AsyncSession,
    principal: Principal,
    employee: Ref | None,
    department_scope: Ref | None,
    must_change_password: bool,
) -> MeOut:
    user = await _own_user(session, principal)
    org = await repository.org_by_id(session, principal.org_id)
    assert org is not None
    return MeOut(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        roles=[Role(role) for role in user.roles],
        org=OrgOut.model_validate(org),
        employee=(
            MyEmployee(id=employee.id, name=employee.name, full_name=employee.name)
            if employee is not None
            else None
        ),
        department_scope=department_scope,
        must_change_password=must_change_password,
        locale=user.locale,
    )

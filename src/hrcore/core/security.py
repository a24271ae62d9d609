"""Credentials: argon2 passwords, opaque tokens stored hashed, and signed access tokens."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hrcore.settings import Settings

ALGORITHMS = ["HS256"]
_hasher = PasswordHasher()
# Verified against when the account does not exist, so timing does not reveal accounts.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not the account exists."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


# argon2 takes ~0.1-0.6 s of CPU: on the event loop it stalls every other request of the
# process (and each stalled login holds its pooled connection). One thread per core bounds
# how many run at once, whatever the number of logins arriving together.
_hashing = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="argon2")


async def hash_password_async(password: str) -> str:
    """`hash_password` off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_hashing, hash_password, password)


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    """`verify_password` off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(
        _hashing, verify_password, password_hash, password
    )


def new_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    """Opaque tokens are stored as SHA-256: they are random, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def compose_token(kind: str, org_id: uuid.UUID, secret: str) -> str:
    """`<kind>_<org hex>_<secret>`: the org lets us scope the lookup before reading the row."""
    return f"{kind}_{org_id.hex}_{secret}"


def split_token(kind: str, token: str) -> tuple[uuid.UUID, str] | None:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != kind:
        return None
    try:
        return uuid.UUID(hex=parts[1]), parts[2]
    except ValueError:
        return None


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    org_id: uuid.UUID
    token_id: str
    expires_at: datetime
    version: int
    method: str | None = None
    """The identity provider that vouched for the session (`amr`); None: a password."""


class InvalidToken(Exception):
    """Any reason an access token is not accepted; the reason is logged, never returned."""


def issue_access_token(
    settings: Settings,
    *,
    user_id: uuid.UUID,
    org_id: uuid.UUID,
    now: datetime,
    version: int,
    method: str | None = None,
) -> tuple[str, int]:
    """A short-lived HS256 JWT signed with the active key; returns it and its lifetime.

    `ver` is the user's token version: logout, family revocation and a password change
    raise it, and a token of an older version is refused at once (not when it expires).
    `method` names the identity provider that signed the person in (`amr`; absent for a
    password): a one-time password does not gate such a session.
    """
    lifetime = timedelta(minutes=settings.access_token_minutes)
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": str(user_id),
        "org": str(org_id),
        "iat": now,
        "nbf": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
        "ver": version,
    }
    if method is not None:
        claims["amr"] = [method]
    key = settings.jwt_keys[settings.jwt_active_kid].get_secret_value()
    token = jwt.encode(claims, key, algorithm="HS256", headers={"kid": settings.jwt_active_kid})
    return token, int(lifetime.total_seconds())


def _version(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidToken("ver is not an integer")
    return value


def _method(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], str):
        raise InvalidToken("amr is not one method")
    return value[0]


LEEWAY_SECONDS = 10
"""Clock skew tolerated on `exp` and `iat`."""


def decode_access_token(settings: Settings, token: str) -> AccessClaims:
    """Verify signature (by `kid`), algorithm, issuer, audience and times."""
    try:
        header = jwt.get_unverified_header(token)
        key = settings.jwt_keys.get(str(header.get("kid")))
        if key is None:
            raise InvalidToken("unknown kid")
        claims = jwt.decode(
            token,
            key.get_secret_value(),
            algorithms=ALGORITHMS,
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["iss", "aud", "exp", "iat", "jti", "sub", "ver"]},
            leeway=LEEWAY_SECONDS,
        )
        return AccessClaims(
            user_id=uuid.UUID(claims["sub"]),
            org_id=uuid.UUID(claims["org"]),
            token_id=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(claims["exp"]).astimezone(),
            version=_version(claims["ver"]),
            method=_method(claims.get("amr")),
        )
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
        raise InvalidToken(str(exc)) from exc

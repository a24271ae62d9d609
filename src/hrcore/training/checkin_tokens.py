"""The rotating token a session's QR code carries 「签到二维码」.

A token names the session and a time window of `WINDOW_SECONDS` and is signed with
HMAC-SHA256 under a key derived from the deployment's active JWT key; the organization is in
the signed text, so a token is worthless in another organization. It is accepted in its own
window and the next one: the screen shows a fresh code every window, and a photo of the code
sent to someone elsewhere stops working within two windows."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hrcore.settings import Settings

WINDOW_SECONDS = 30
"""How long one code is shown; a code is accepted for two windows."""
_DERIVATION_LABEL = b"hrcore/training/check-in-qr/v1"
_SIGNATURE_BYTES = 16


@dataclass(frozen=True)
class IssuedToken:
    token: str
    refresh_at: datetime
    """When the screen should show the next code (this window's end)."""
    expires_at: datetime
    """When this code stops being accepted (the next window's end)."""


def _key(settings: Settings) -> bytes:
    active = settings.jwt_keys[settings.jwt_active_kid].get_secret_value()
    return hmac.new(active.encode(), _DERIVATION_LABEL, hashlib.sha256).digest()


def _signature(settings: Settings, org_id: uuid.UUID, session_id: uuid.UUID, window: int) -> str:
    text = f"{org_id.hex}.{session_id.hex}.{window}".encode()
    digest = hmac.new(_key(settings), text, hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _window(moment: datetime) -> int:
    return int(moment.timestamp()) // WINDOW_SECONDS


def _window_start(window: int) -> datetime:
    return datetime.fromtimestamp(window * WINDOW_SECONDS, UTC)


def issue(
    settings: Settings, org_id: uuid.UUID, session_id: uuid.UUID, now: datetime
) -> IssuedToken:
    """The code to show now for the session."""
    window = _window(now)
    token = f"{session_id.hex}.{window}.{_signature(settings, org_id, session_id, window)}"
    return IssuedToken(
        token=token,
        refresh_at=_window_start(window + 1),
        expires_at=_window_start(window + 2),
    )


class TokenRefused(Exception):
    """Forged, malformed or expired: the caller answers 401 and writes nothing."""


def verify(settings: Settings, org_id: uuid.UUID, token: str, now: datetime) -> uuid.UUID:
    """The session a valid, current token names (it may name another session than the one
    posted to: the caller compares); `TokenRefused` otherwise."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        raise TokenRefused("malformed")
    try:
        session_id = uuid.UUID(hex=parts[0])
    except ValueError as exc:
        raise TokenRefused("malformed") from exc
    window = int(parts[1])
    expected = _signature(settings, org_id, session_id, window)
    if not hmac.compare_digest(expected.encode(), parts[2].encode()):
        raise TokenRefused("signature")
    if window not in (_window(now), _window(now - timedelta(seconds=WINDOW_SECONDS))):
        raise TokenRefused("expired")
    return session_id

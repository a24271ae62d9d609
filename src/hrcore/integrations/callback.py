"""Inbound DingTalk events: verified in the request, stored with a job for the worker.

The callback (`POST /integrations/dingtalk/events?org=<slug>`) is unauthenticated: the org is
found by slug (organizations are not under RLS), the tenant is set, and only then is the
org's integration read. The request verifies the timestamp window, the signature and the
encrypted payload (see `dingtalk_crypto`), stores the event (one row per org and dedup key,
so a replay or retry changes nothing) with an outbox job in the same transaction, and answers
the encrypted `success` at once; the job applies it (`directory_sync`, or the handler another
domain hooked in for the event type, as approvals does for `bpms_instance_change`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import outbox
from hrcore.core.clock import Clock
from hrcore.core.db import set_tenant
from hrcore.core.errors import (
    BadRequest,
    Unauthorized,
)
from hrcore.core.i18n import N_, _
from hrcore.core.models import new_id
from hrcore.identity import api as identity
from hrcore.integrations import dingtalk_crypto, hooks, repository
from hrcore.integrations.config import (
    APPLY_JOB,
    DEPT_EVENTS,
    USER_EVENTS,
    CallbackConfig,
    timestamp_seconds,
)
from hrcore.integrations.dingtalk_crypto import DingTalkCrypto, DingTalkCryptoError
from hrcore.integrations.models import EventStatus

logger = logging.getLogger("hrcore.integrations")

CHECK_URL = "check_url"
UNVERIFIABLE = N_("The DingTalk callback could not be verified")


def _reject(reason: str, *, org_slug: str) -> Unauthorized:
    logger.warning("dingtalk callback rejected", extra={"org": org_slug[:64], "reason": reason})
    return Unauthorized(_(UNVERIFIABLE))


def dedup_key(message: dict[str, Any]) -> str:
    """`event:<id>` when DingTalk names the event, else a hash of the decrypted message."""
    event_id = message.get("EventId") or message.get("eventId")
    if isinstance(event_id, str | int) and str(event_id):
        return f"event:{str(event_id)[:100]}"
    canonical = json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"sha256:{hashlib.sha256(canonical.encode()).hexdigest()}"


async def receive_dingtalk(
    session: AsyncSession,
    *,
    org_slug: str,
    signature: str,
    timestamp: str,
    nonce: str,
    encrypt: str,
    clock: Clock,
    config: CallbackConfig,
) -> dict[str, str]:
    """Verify, store and queue one callback; returns the encrypted `success` reply.

    Anything unverifiable is 401 (logged with the reason) and stores nothing.
    """
    org_id = await identity.org_id_by_slug(session, org_slug)
    if org_id is None:
        raise _reject("unknown organization", org_slug=org_slug)
    await set_tenant(session, org_id)
    integration = await repository.dingtalk_integration(session, org_id)
    if integration is None or not integration.active or not integration.token:
        raise _reject("no active DingTalk callback", org_slug=org_slug)
    sent = timestamp_seconds(timestamp)
    now = clock.now()
    if sent is None or abs(now.timestamp() - sent) > config.replay_window_seconds:
        raise _reject("timestamp outside the replay window", org_slug=org_slug)
    crypto = DingTalkCrypto(integration.token, integration.aes_key, integration.receiver_id)
    try:
        crypto.verify_signature(signature, timestamp, nonce, encrypt)
        plaintext = crypto.decrypt(encrypt)
    except DingTalkCryptoError as exc:
        raise _reject(str(exc), org_slug=org_slug) from exc
    try:
        message = json.loads(plaintext)
    except ValueError as exc:
        raise BadRequest(_("The decrypted DingTalk event is not JSON")) from exc
    if not isinstance(message, dict):
        raise BadRequest(_("The decrypted DingTalk event is not a JSON object"))
    event_type = str(message.get("EventType") or message.get("eventType") or "unknown")[:64]
    if event_type != CHECK_URL:
        await _store(session, org_id, event_type, message, org_slug=org_slug)
    reply_timestamp = str(int(now.timestamp() * 1000))
    return crypto.reply(reply_timestamp, dingtalk_crypto.new_nonce())


async def _store(
    session: AsyncSession,
    org_id: uuid.UUID,
    event_type: str,
    message: dict[str, Any],
    *,
    org_slug: str,
) -> None:
    known = (
        event_type in USER_EVENTS
        or event_type in DEPT_EVENTS
        or hooks.handler_of(event_type) is not None
    )
    status = EventStatus.RECEIVED if known else EventStatus.IGNORED
    event_id = await repository.insert_event(
        session,
        {
            "id": new_id(),
            "org_id": org_id,
            "dedup_key": dedup_key(message),
            "event_type": event_type,
            "payload": message,
            "status": status.value,
            "error": None if known else f"event type {event_type!r} is not handled",
        },
    )
    if event_id is None:
        logger.info("dingtalk event replayed", extra={"org": org_slug, "event_type": event_type})
        return
    if known:
        outbox.enqueue(session, APPLY_JOB, {"event_id": str(event_id)}, org_id=org_id)
    else:
        logger.info("dingtalk event ignored", extra={"org": org_slug, "event_type": event_type})

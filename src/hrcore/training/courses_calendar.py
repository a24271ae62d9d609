"""A per-user iCalendar feed (RFC 5545) of the sessions one holds a seat in.

Calendar apps fetch a feed without a bearer token, so its URL carries the proof: a token
naming the organization and the user, signed (HMAC-SHA256) with the application's active
JWT key and naming that key's id, so a key rotation keeps feeds working while the old key
is configured. A forged, altered or unknown-key token, or one of a user no longer active,
answers 404: nothing says which."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import UTC

from icalendar import Calendar, Event
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.db import fetch, set_tenant
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.settings import Settings
from hrcore.training import courses_repository as repository

FEED_EVENTS_LIMIT = 500
"""The latest sessions a feed shows; older ones stay in the calendars that fetched them."""
_PURPOSE = b"hrcore.training.calendar-feed"


def _signature(settings: Settings, kid: str, org_id: uuid.UUID, user_id: uuid.UUID) -> str | None:
    key = settings.jwt_keys.get(kid)
    if key is None:
        return None
    message = _PURPOSE + b":" + org_id.bytes + user_id.bytes
    digest = hmac.new(key.get_secret_value().encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def feed_token(settings: Settings, principal: Principal) -> str:
    """The caller's feed token: `<key id>.<org and user>.<signature>`."""
    own_employee_id(principal)
    user_id = principal.user_id
    if user_id is None:
        raise NotFound(_("Your account is not linked to an employee"))
    kid = settings.jwt_active_kid
    ids = base64.urlsafe_b64encode(principal.org_id.bytes + user_id.bytes).decode().rstrip("=")
    return f"{kid}.{ids}.{_signature(settings, kid, principal.org_id, user_id)}"


def _verified(settings: Settings, token: str) -> tuple[uuid.UUID, uuid.UUID]:
    """The organization and user a token names, or 404 when it is not one we signed."""
    refused = NotFound(_("No such calendar feed"))
    kid, _dot, rest = token.partition(".")
    ids, _dot, signature = rest.partition(".")
    try:
        raw = base64.urlsafe_b64decode(ids + "=" * (-len(ids) % 4))
    except ValueError as exc:
        raise refused from exc
    if len(raw) != 32:
        raise refused
    org_id, user_id = uuid.UUID(bytes=raw[:16]), uuid.UUID(bytes=raw[16:])
    expected = _signature(settings, kid, org_id, user_id)
    if expected is None or not hmac.compare_digest(expected.encode(), signature.encode()):
        raise refused
    return org_id, user_id


async def feed(session: AsyncSession, settings: Settings, token: str) -> bytes:
    """The feed a token names, as `text/calendar` bytes: each session with its course, times
    in UTC and place; a cancelled session stays, marked cancelled, so calendars drop it."""
    org_id, user_id = _verified(settings, token)
    await set_tenant(session, org_id)
    employees = await identity.employee_ids_for_users(session, org_id, [user_id])
    if user_id not in employees:
        raise NotFound(_("No such calendar feed"))
    rows = await fetch(
        session, repository.FEED_EVENTS, org_id, employees[user_id], FEED_EVENTS_LIMIT
    )
    calendar = Calendar()
    calendar.add("prodid", "-//hrcore//training//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "hrcore training")
    for row in rows:
        event = Event()
        event.add("uid", f"{row['session_id']}@hrcore")
        event.add("summary", row["course_name"])
        event.add("dtstart", row["starts_at"].astimezone(UTC))
        event.add("dtend", row["ends_at"].astimezone(UTC))
        event.add("dtstamp", row["updated_at"].astimezone(UTC))
        if row["place"]:
            event.add("location", row["place"])
        event.add("status", "CANCELLED" if row["session_status"] == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical

"""Audit trail: who changed what, when, from what to what — in the same transaction.

The trail can be trusted (PIPL Art. 54 and 56, docs/privacy.md "Audit that can be trusted"):
the app role may only INSERT and SELECT `audit_events` (migration 0082 revokes UPDATE and
DELETE), and each organization's events form a hash chain. A BEFORE INSERT trigger gives
each row the next `seq` of its organization (1, 2, … without gaps) and
`hash = sha256(previous hash || canonical(row))`, taking the organization's chain lock
(an advisory lock) until the transaction ends. `hrcore audit verify` walks the chains.

So that lock is held for as short a time as possible and never before another lock, events
are not written when recorded: they wait in the session and are inserted in one statement
per organization at commit, after the session's last flush. A savepoint rolled back takes
its events with it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, DateTime, FetchedValue, ForeignKey, Index, String, event, func
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from hrcore.core.authz import Principal
from hrcore.core.context import request_id_var
from hrcore.core.db import unnest_insert
from hrcore.core.models import Base, IdMixin, OrgScopedMixin, new_id, new_ids

AUDIT_RETENTION_FLOOR = timedelta(days=3 * 366)
"""No audit event younger than this may be purged (PIPL Art. 56 asks for ≥ 3 years; three
leap years' worth of days errs on the long side). Retention rules read it as their floor."""

GENESIS = ""
"""The `previous hash` of an organization's first event."""


class AuditEvent(IdMixin, OrgScopedMixin, Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_org_object", "org_id", "object_type", "object_id", "id"),
        Index("ix_audit_events_org_actor", "org_id", "actor_id", "id"),
        Index("uq_audit_events_org_seq", "org_id", "seq", unique=True),
    )

    # Deleting an organization must not take its trail with it: a cascade would run as the
    # table's owner, past the app role's missing DELETE grant.
    org_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=False
    )
    actor_kind: Mapped[str] = mapped_column(String(16), nullable=False)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    object_type: Mapped[str] = mapped_column(String(64), nullable=False)
    object_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    # Set by the database's trigger (migration 0082), whatever the insert says.
    seq: Mapped[int] = mapped_column(BigInteger, server_default=FetchedValue(), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), server_default=FetchedValue(), nullable=False)


def record(
    session: AsyncSession,
    actor: Principal | None,
    action: str,
    object_type: str,
    object_id: uuid.UUID,
    *,
    org_id: uuid.UUID,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to the caller's transaction; `actor=None` means the system. Its id
    is `new_id()`'s, increasing within the process, so the events of one transaction list
    in the order they were recorded."""
    fields = _shared(actor, action, object_type, org_id, before)
    _keep(session, [fields | {"id": new_id(), "object_id": object_id, "after": after}])


def _shared(
    actor: Principal | None,
    action: str,
    object_type: str,
    org_id: uuid.UUID,
    before: dict[str, Any] | None,
) -> dict[str, Any]:
    """An event's columns but the object and its state after: who, what, where, when asked."""
    return {
        "org_id": org_id,
        "actor_kind": actor.kind if actor else "system",
        "actor_id": actor.id if actor else None,
        "action": action,
        "object_type": object_type,
        "before": before,
        "request_id": request_id_var.get(),
    }


async def record_many(
    session: AsyncSession,
    actor: Principal | None,
    action: str,
    object_type: str,
    objects: Sequence[tuple[uuid.UUID, dict[str, Any] | None]],
    *,
    org_id: uuid.UUID,
    before: dict[str, Any] | None = None,
) -> None:
    """One event per `(object id, after)`, all with the same `before`.

    For changes to thousands of objects at once (opening a review cycle), where adding an
    ORM object per event would cost more than the change itself: they go in with the
    transaction's other events, one statement at commit.
    """
    if not objects:
        return
    shared = _shared(actor, action, object_type, org_id, before)
    _keep(
        session,
        [
            shared | {"id": event_id, "object_id": object_id, "after": after}
            for event_id, (object_id, after) in zip(new_ids(len(objects)), objects, strict=True)
        ],
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, for compact before/after pairs."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


# --- written at commit ---------------------------------------------------------------------

_PENDING = "hrcore.audit.pending"
_SET_TENANT = sql("SELECT set_config('app.org_id', :org_id, true)")

Pending = list[tuple[SessionTransaction | None, dict[str, Any]]]


def _keep(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Hold events until commit, each marked with the (sub)transaction that recorded it."""
    sync = session.sync_session
    marker = sync.get_nested_transaction() or sync.get_transaction()
    pending: Pending = sync.info.setdefault(_PENDING, [])
    pending.extend((marker, row) for row in rows)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """At the real commit (not a savepoint's release), after the last flush: the chain lock
    is the transaction's last. Organizations in id order, so two writers never wait on each
    other's chains crosswise; the tenant is switched only when the transaction holds events
    of several organizations (a request or a job works within one)."""
    if not session.info.get(_PENDING) or session.in_nested_transaction():
        return
    session.flush()
    pending: Pending = session.info.pop(_PENDING)
    by_org: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for _, row in pending:
        by_org.setdefault(row["org_id"], []).append(row)
    for org_id in sorted(by_org):
        if len(by_org) > 1:
            session.execute(_SET_TENANT, {"org_id": str(org_id)})
        session.execute(unnest_insert(AuditEvent, by_org[org_id]))


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """Drop the events recorded inside a (sub)transaction that rolled back."""
    pending: Pending | None = session.info.get(_PENDING)
    if not pending:
        return
    if previous_transaction.parent is None:
        session.info.pop(_PENDING)
        return
    session.info[_PENDING] = [
        (marker, row) for marker, row in pending if not _within(marker, previous_transaction)
    ]


@event.listens_for(Session, "after_transaction_end")
def _forget_closed(session: Session, transaction: SessionTransaction) -> None:
    """A session closed without committing keeps nothing for its next transaction."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _within(marker: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while marker is not None:
        if marker is ended:
            return True
        marker = marker.parent
    return False


# --- the chain, as the trigger computes it (docs/privacy.md, "The hash recipe") ---------------


def canonical(row: dict[str, Any]) -> str:
    """The text hashed for one event: a JSON array of its fields in a fixed order, written
    as PostgreSQL writes `jsonb` (`", "` between items, non-ASCII as is); `before` and
    `after` as their `jsonb` text, the time in UTC to the microsecond."""
    created_at: datetime = row["created_at"]
    fields = [
        str(row["org_id"]),
        row["seq"],
        str(row["id"]),
        created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        row["actor_kind"],
        _text(row["actor_id"]),
        row["action"],
        row["object_type"],
        str(row["object_id"]),
        row["before"],
        row["after"],
        row["request_id"],
    ]
    return json.dumps(fields, ensure_ascii=False)


def link(previous: str, row: dict[str, Any]) -> str:
    """An event's hash from the previous event's (`GENESIS` for the first)."""
    return hashlib.sha256((previous + canonical(row)).encode()).hexdigest()


def _text(value: object) -> str | None:
    return None if value is None else str(value)

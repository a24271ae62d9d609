"""Audit trail: who changed what, when, from what to what — in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.authz import Principal
from hrcore.core.context import request_id_var
from hrcore.core.db import insert_all
from hrcore.core.models import Base, IdMixin, OrgScopedMixin, new_ids


class AuditEvent(IdMixin, OrgScopedMixin, Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_org_object", "org_id", "object_type", "object_id", "id"),
        Index("ix_audit_events_org_actor", "org_id", "actor_id", "id"),
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
    """Add an audit event to the caller's transaction; `actor=None` means the system."""
    fields = _shared(actor, action, object_type, org_id, before)
    session.add(AuditEvent(**fields, object_id=object_id, after=after))


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
    """One event per `(object id, after)`, all with the same `before`, in one statement.

    For changes to thousands of objects at once (opening a review cycle), where adding an
    ORM object per event would cost more than the change itself.
    """
    if not objects:
        return
    shared = _shared(actor, action, object_type, org_id, before)
    rows = [
        shared | {"id": event_id, "object_id": object_id, "after": after}
        for event_id, (object_id, after) in zip(new_ids(len(objects)), objects, strict=True)
    ]
    await insert_all(session, AuditEvent, rows)


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, for compact before/after pairs."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}

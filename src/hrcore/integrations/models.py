"""Inbound integrations: DingTalk callback configuration and the log of events received."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin


class EventStatus(StrEnum):
    RECEIVED = "received"
    APPLIED = "applied"
    PARTIAL = "partial"
    IGNORED = "ignored"
    FAILED = "failed"


class DingTalkIntegration(Entity, OrgScopedMixin, Base):
    """One organization's DingTalk callback registration (one per organization).

    `token` and `aes_key` verify and decrypt callbacks, so they are stored readable; they are
    write-only through the API. `receiver_id` is the corp id / app key DingTalk puts at the
    end of every encrypted message. `app_key` / `app_secret` (optional, the secret write-only)
    are an app with contact permissions: directory events carry only ids, and the worker
    reads the people and departments behind them with it, and starts DingTalk approvals
    with it. `approval_processes` maps an approval kind to the DingTalk process code its
    approvals run under instead of hrcore's chain.

    The same app is the micro-app people sign in through 「免登」 (`PUT
    /integrations/dingtalk/app`): `corp_id` is the organization its auth codes belong to,
    `agent_id` the micro-app's id, `sign_in_enabled` whether `POST /auth/dingtalk` accepts
    codes. A row created there first has no callback yet: `token` and `aes_key` are empty
    (unset, as `token_set` says) and callbacks are refused until they are configured.
    """

    __tablename__ = "dingtalk_integrations"
    __table_args__ = (UniqueConstraint("org_id"),)

    receiver_id: Mapped[str] = mapped_column(String(128), nullable=False)
    token: Mapped[str] = mapped_column(String(128), nullable=False)
    aes_key: Mapped[str] = mapped_column(String(43), nullable=False)
    app_key: Mapped[str | None] = mapped_column(String(128))
    app_secret: Mapped[str | None] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    approval_processes: Mapped[dict[str, str]] = mapped_column(
        JSONB, nullable=False, default=dict, server_default="{}"
    )
    corp_id: Mapped[str | None] = mapped_column(String(64))
    agent_id: Mapped[int | None] = mapped_column(BigInteger)
    sign_in_enabled: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=true()
    )


class DingTalkEvent(IdMixin, OrgScopedMixin, Base):
    """A verified callback and what became of it.

    `dedup_key` is `event:<id>` when DingTalk sends an event id, else `sha256:<hex>` of the
    decrypted message: a retried or replayed callback (re-encrypted or not) is one row.
    """

    __tablename__ = "dingtalk_events"
    __table_args__ = (
        UniqueConstraint("org_id", "dedup_key"),
        CheckConstraint(
            "status IN ('received', 'applied', 'partial', 'ignored', 'failed')", name="status"
        ),
        Index("ix_dingtalk_events_org_id_id", "org_id", "id"),
    )

    dedup_key: Mapped[str] = mapped_column(String(128), nullable=False)
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="received")
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
    """Why the event failed; for applied or ignored events, what was skipped and why."""

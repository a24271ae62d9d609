"""Notification channels (DingTalk robots and work notifications) and their delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.delivery import DeliveryLogMixin
from hrcore.core.models import Base, Entity, OrgScopedMixin


class ChannelKind(StrEnum):
    DINGTALK_ROBOT = "dingtalk_robot"
    DINGTALK_WORK_NOTICE = "dingtalk_work_notice"


class ChannelDeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    DEFERRED = "deferred"


class NotificationChannel(Entity, OrgScopedMixin, Base):
    """Where an organization's (or a department subtree's) notifications are also sent.

    `config` holds the public settings (robot: `webhook_url`; work notice: `agent_id`,
    `app_key`); `secret` (robot signing secret or app secret) must be readable to sign, so
    it is stored as is and never returned by the API. `send_times` is the robot's sliding
    rate-limit window: the sends of the last minute and the slots reserved for deferred
    deliveries; `muted_until` is set when DingTalk says the robot is throttled.
    """

    __tablename__ = "notification_channels"
    __table_args__ = (
        CheckConstraint("kind IN ('dingtalk_robot', 'dingtalk_work_notice')", name="kind"),
        Index("ix_notification_channels_org_id_id", "org_id", "id"),
        Index("ix_notification_channels_org_department", "org_id", "department_id"),
    )

    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    config: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    secret: Mapped[str] = mapped_column(String(256), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    send_times: Mapped[list[datetime]] = mapped_column(
        ARRAY(DateTime(timezone=True)), nullable=False, server_default=text("'{}'")
    )
    muted_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ChannelDelivery(DeliveryLogMixin, Base):
    """One notification sent (or being sent) to one channel: the delivery log.

    (channel_id, notification_id) is unique, so fanning out twice delivers once.
    `recipients` are the DingTalk user ids of a work notification (empty for a robot);
    `card` is a work notice's action card (`cards.py`), sent instead of `content`.
    """

    __tablename__ = "channel_deliveries"
    __table_args__ = (
        UniqueConstraint("channel_id", "notification_id"),
        CheckConstraint("status IN ('pending', 'sent', 'failed', 'deferred')", name="status"),
        Index("ix_channel_deliveries_org_channel_id", "org_id", "channel_id", "id"),
    )

    channel_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("notification_channels.id", ondelete="CASCADE"),
        nullable=False,
    )
    notification_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("notifications.id", ondelete="CASCADE"), nullable=False
    )
    content: Mapped[str] = mapped_column(Text, nullable=False)
    recipients: Mapped[list[str]] = mapped_column(ARRAY(String(64)), nullable=False)
    card: Mapped[dict[str, Any] | None] = mapped_column(JSONB(none_as_null=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

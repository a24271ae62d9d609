"""Outbound webhooks: subscriptions of third-party systems and the log of deliveries to them."""

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
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.delivery import DeliveryLogMixin
from hrcore.core.models import Base, Entity, OrgScopedMixin


class EventType(StrEnum):
    """Every event a subscription can listen to: the one place a domain adds its own.

    Stored as plain strings (no database constraint), so adding a type needs no migration.
    """

    TASK_OVERDUE = "task.overdue"
    TASK_COMPLETED = "task.completed"
    CONTRACT_AMENDMENT_CONFIRMED = "contract.amendment_confirmed"
    CONTRACT_EXPIRING = "contract.expiring"
    NOMINATION_DECIDED = "nomination.decided"
    VACANCY_FILLED = "vacancy.filled"
    PROGRAM_STAGE_COMPLETED = "program.stage_completed"
    PROGRAM_PARTICIPANT_DECIDED = "program.participant_decided"
    PROGRAM_PARTICIPANT_GRADUATED = "program.participant_graduated"
    REVIEW_RESULT_PUBLISHED = "review.result_published"
    REVIEW_APPEAL_RESOLVED = "review.appeal_resolved"
    STRETCH_ASSIGNMENT_OUTCOME_RECORDED = "stretch_assignment.outcome_recorded"
    DEVELOPMENT_PLAN_APPROVED = "development_plan.approved"
    COMPETENCY_PROFILE_CHANGED = "competency_profile.changed"
    PERFORMANCE_PERIOD_CLOSED = "performance.period_closed"
    PERFORMANCE_SCORE_UPDATED = "performance.score_updated"
    GOAL_PROGRESS_UPDATED = "goal.progress_updated"
    PERFORMANCE_ALERT_RAISED = "performance.alert_raised"
    MENTOR_APPROVED = "mentor.approved"
    MENTORSHIP_STARTED = "mentorship.started"
    MENTORSHIP_ENDED = "mentorship.ended"
    MENTORING_SESSION_LOGGED = "mentoring_session.logged"
    MENTOR_EFFECTIVENESS_UPDATED = "mentor.effectiveness_updated"
    MENTOR_FLAGGED = "mentor.flagged"
    MENTOR_REQUEST_CREATED = "mentor_request.created"
    TALENT_REVIEW_CLOSED = "talent_review.closed"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class WebhookSubscription(Entity, OrgScopedMixin, Base):
    """A target URL and the event types it receives.

    `secret` signs every delivery (HMAC-SHA256). It must be readable to sign, so it is stored
    as is (not hashed) and returned only once, in the response that creates it.
    """

    __tablename__ = "webhook_subscriptions"
    __table_args__ = (Index("ix_webhook_subscriptions_org_id_id", "org_id", "id"),)

    url: Mapped[str] = mapped_column(String(2048), nullable=False)
    description: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    event_types: Mapped[list[str]] = mapped_column(ARRAY(String(64)), nullable=False)
    secret: Mapped[str] = mapped_column(String(128), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )


class WebhookDelivery(DeliveryLogMixin, Base):
    """One event for one subscription, and how its delivery went (the delivery log).

    `event_id` is the event's identity, the same for every subscription and every retry, so
    receivers can deduplicate; (subscription_id, event_id) is unique, so publishing an event
    twice delivers it once.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id"),
        CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name="status"),
        Index("ix_webhook_deliveries_org_subscription_id", "org_id", "subscription_id", "id"),
    )

    subscription_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
        nullable=False,
    )
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    event_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

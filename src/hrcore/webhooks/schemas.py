"""Request and response models of outbound webhooks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hrcore.webhooks.models import DeliveryStatus, EventType


class WebhookCreate(BaseModel):
    url: str = Field(
        min_length=1,
        max_length=2048,
        description="Where events are POSTed: https, on a public address.",
    )
    description: str = Field(default="", max_length=500)
    event_types: list[EventType] = Field(
        min_length=1, description="The events this subscription receives."
    )

    @field_validator("event_types")
    @classmethod
    def _distinct(cls, value: list[EventType]) -> list[EventType]:
        return sorted(set(value))


class WebhookOut(BaseModel):
    """A subscription. Its signing secret is never shown again after creation."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    active: bool
    consecutive_failures: int = Field(description="Failed attempts in a row; 0 after a success.")
    disabled_at: datetime | None = Field(
        description="When the subscription was disabled after too many failures in a row."
    )
    created_at: datetime
    updated_at: datetime
    version: int


class WebhookCreated(WebhookOut):
    secret: str = Field(
        description="Verifies `X-Hrcore-Signature`: hex HMAC-SHA256 of "
        "`{X-Hrcore-Timestamp}.{raw body}` with this key. Shown only in this response."
    )


class DeliveryOut(BaseModel):
    """One event sent (or being sent) to one subscription."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: uuid.UUID = Field(description="Sent as `id` and `X-Hrcore-Delivery`; stable.")
    event_type: str
    payload: dict[str, Any]
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None = Field(description="Roughly when the next retry runs.")
    created_at: datetime
    last_attempt_at: datetime | None
    delivered_at: datetime | None

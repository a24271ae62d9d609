"""Request and response models of notification channels. Secrets are write-only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hrcore.channels.models import ChannelDeliveryStatus, ChannelKind
from hrcore.core.i18n import _
from hrcore.core.schemas import Ref

Name = Annotated[str, Field(min_length=1, max_length=200)]
Secret = Annotated[
    str,
    Field(
        min_length=1,
        max_length=256,
        description="Robot signing secret (`SEC…`) or app secret. Write-only: never returned.",
    ),
]


class RobotConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    webhook_url: str = Field(
        min_length=1,
        max_length=2048,
        description="The robot's webhook URL (https://oapi.dingtalk.com/robot/send?access_token=…).",
    )


class WorkNoticeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent_id: int = Field(ge=1, description="The DingTalk micro-app's agent id.")
    app_key: str = Field(min_length=1, max_length=128, description="The app's AppKey.")


class RobotChannelCreate(BaseModel):
    kind: Literal[ChannelKind.DINGTALK_ROBOT]
    name: Name
    department_id: uuid.UUID | None = Field(
        default=None, description="Only recipients in this department's subtree; none: the org."
    )
    config: RobotConfig
    secret: Secret
    active: bool = True


class WorkNoticeChannelCreate(BaseModel):
    kind: Literal[ChannelKind.DINGTALK_WORK_NOTICE]
    name: Name
    department_id: uuid.UUID | None = Field(
        default=None, description="Only recipients in this department's subtree; none: the org."
    )
    config: WorkNoticeConfig
    secret: Secret
    active: bool = True


ChannelCreate = Annotated[RobotChannelCreate | WorkNoticeChannelCreate, Field(discriminator="kind")]


class ChannelPatch(BaseModel):
    """Only the fields sent change. `config` is replaced whole and must fit the kind; a new
    `secret` replaces the old one; `department_id: null` widens the channel to the org."""

    name: Name | None = None
    department_id: uuid.UUID | None = None
    config: dict[str, Any] | None = None
    secret: Secret | None = None
    active: bool | None = None
    version: int | None = Field(default=None, description="The version you read (or If-Match).")

    @model_validator(mode="after")
    def _required_stay_set(self) -> ChannelPatch:
        for name in ("name", "config", "secret", "active"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(_("{name} cannot be null", name=name))
        return self


class ChannelOut(BaseModel):
    """A channel. The secret is never shown; a robot URL's `access_token` is masked."""

    id: uuid.UUID
    kind: ChannelKind
    name: str
    department_id: uuid.UUID | None
    department: Ref | None = Field(description="The department the channel serves, by name.")
    config: dict[str, Any]
    has_secret: bool = Field(description="Always true: a secret is set (but never shown).")
    active: bool
    created_at: datetime
    updated_at: datetime
    version: int


class ChannelDeliveryOut(BaseModel):
    """One notification sent (or being sent) to one channel."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    channel_id: uuid.UUID
    notification_id: uuid.UUID
    status: ChannelDeliveryStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None = Field(
        description="When a retry or a rate-limited (deferred) send runs next."
    )
    created_at: datetime
    last_attempt_at: datetime | None
    sent_at: datetime | None

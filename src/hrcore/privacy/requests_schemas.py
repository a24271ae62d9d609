"""Request and response models of privacy requests and the organization's deadlines."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from hrcore.core.schemas import Ref

RequestMessage = Annotated[str, Field(min_length=1, max_length=4000)]


class PrivacyRequestKind(StrEnum):
    """Correct or delete personal information (Art. 46–47), a copy of it (Art. 45), or an
    objection to its processing (Art. 44; one about an automated decision goes to
    `/me/automated-evaluations/{id}/objection`)."""

    CORRECT = "correct"
    DELETE = "delete"
    COPY = "copy"
    OBJECT = "object"


class PrivacyRequestStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    REFUSED = "refused"


class PrivacyRequestIn(BaseModel):
    """What the person asks, in their words."""

    model_config = ConfigDict(extra="forbid")

    kind: PrivacyRequestKind
    message: RequestMessage


class PrivacyRequestOut(BaseModel):
    """A request and how it stands; `due_on` is the legal deadline (working days)."""

    id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    kind: PrivacyRequestKind
    message: str
    status: PrivacyRequestStatus
    due_on: date
    task_id: uuid.UUID | None
    resolution: str | None
    resolved_at: datetime | None
    created_at: datetime
    version: int


class PrivacyResolution(BaseModel):
    """HR's answer: done, or refused with the reason (e.g. records the law requires to keep)."""

    model_config = ConfigDict(extra="forbid")

    outcome: Annotated[
        PrivacyRequestStatus, Field(description="`done` or `refused` (`open` is refused: 422).")
    ]
    reason: RequestMessage | None = Field(
        default=None, description="What was done, or why not; required for `refused`."
    )


class PrivacySettingsIn(BaseModel):
    """The organization's deadlines."""

    model_config = ConfigDict(extra="forbid")

    request_deadline_days: int = Field(
        ge=1, le=15, description="Working days HR has to answer a request (the law: at most 15)."
    )
    export_link_days: int = Field(
        ge=1, le=90, description="Days an own-data export stays downloadable."
    )


class PrivacySettingsOut(PrivacySettingsIn):
    """The deadlines in force; `version` 0 while the defaults apply."""

    version: int

"""Schemas of the read-access log: an entry as the person read about sees it, and an event
as HR (the DPO) sees it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from hrcore.core.privacy import DataClass
from hrcore.core.schemas import Ref


class ReadLogEntryOut(BaseModel):
    """Someone read data about you: who, what, when, through which operation and why."""

    id: uuid.UUID
    occurred_at: datetime
    actor_kind: Literal["user", "api_key"] = Field(
        description="A person's account (`user`) or an integration key (`api_key`)."
    )
    actor_id: uuid.UUID
    actor: Ref | None = Field(
        description="The account's display name or the key's name; null once it is deleted."
    )
    data_class: DataClass
    what: str = Field(
        description="The object or section read: `profile.ratings`, `competency_profile`, "
        "`review_result`, `performance_score`, `training_points`, `contract`, …"
    )
    operation: str = Field(description="The API operation (operationId) that read it.")
    purpose: str | None = Field(description="The purpose the reader gave (`X-Purpose`).")
    masked: bool = Field(description="The reader was shown the data masked, not in clear.")


class ReadAccessEventOut(ReadLogEntryOut):
    """A read of one person's sensitive or evaluation data, for HR and the DPO."""

    subject_employee_id: uuid.UUID
    subject: Ref | None = Field(description="The person read about; null once purged.")
    request_id: str | None = Field(description="The request's id, as in the access log.")

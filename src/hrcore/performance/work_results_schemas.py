"""Request and response shapes of work results."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.schemas import BoundedDatetime, Ref
from hrcore.performance.schemas import Finite, Key, Name

Status = Literal["submitted", "accepted", "rejected"]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
MAX_FILES = 5


class WorkResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Name
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)] = ""
    indicator: Key = Field(description="The indicator the result counts for (a scheme's key).")
    value: Finite = Field(description="The value it claims for that indicator.")
    achieved_at: BoundedDatetime = Field(description="When it was delivered: its period.")
    file_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_FILES,
        description="Evidence: files the submitter uploaded (`POST /files`).",
    )


class RejectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(description="Why: the employee reads it.")


class WorkResultOut(BaseModel):
    id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    title: str
    description: str
    indicator: str
    value: float
    achieved_at: datetime
    file_ids: list[uuid.UUID]
    status: Status
    decided_by: uuid.UUID | None
    decided_by_user: Ref | None
    decided_at: datetime | None
    reason: str | None = Field(description="The rejection's reason.")
    observation_id: uuid.UUID | None = Field(
        description="The observation an acceptance recorded (source `work_result`)."
    )
    created_at: datetime

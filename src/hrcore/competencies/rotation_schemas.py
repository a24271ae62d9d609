"""Request and response shapes of rotation plans 「轮岗计划」."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.masking import MaskedModel, PayAmount
from hrcore.core.schemas import BoundedDate, Ref

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
MAX_LEGS = 12


class RotationLegIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department_id: uuid.UUID = Field(description="The host department: not the employee's own.")
    post_title: Title = Field(description="The temporary post held there (挂职岗位).")
    host_supervisor_id: uuid.UUID = Field(description="Who supervises and rates the leg.")
    start_date: BoundedDate
    end_date: BoundedDate
    allowance: Decimal | None = Field(
        default=None, ge=0, max_digits=12, decimal_places=2, description="Monthly allowance."
    )


class RotationPlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID
    title: Title
    legs: list[RotationLegIn] = Field(min_length=1, max_length=MAX_LEGS)


class RotationPlanPatch(BaseModel):
    """A draft's new content: the fields sent replace the old ones (legs as a whole)."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    legs: list[RotationLegIn] | None = Field(default=None, min_length=1, max_length=MAX_LEGS)


class CompetencyRatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    competency_id: uuid.UUID
    value: float = Field(ge=0, le=10)


class LegRatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ratings: list[CompetencyRatingIn] = Field(min_length=1, max_length=50)
    note: Note | None = None


class LegEndIn(BaseModel):
    last_day: BoundedDate = Field(
        description="The leg's new last day: from its first day to before its planned end."
    )


class LegWithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="Why the leg is called off: kept on the leg and its temporary post.")


class CompetencyRatingOut(BaseModel):
    competency: Ref
    value: float


class LegRatingOut(BaseModel):
    ratings: list[CompetencyRatingOut]
    note: str | None
    rated_by: uuid.UUID | None
    rated_at: datetime


class RotationLegOut(MaskedModel):
    """A leg of a rotation. Its `allowance` is pay (`x-masked`): clear for the rotated
    employee, HR admins and keys with `sensitive:read`, `null` for their managers and the
    host supervisor (docs/privacy.md "Pay")."""

    masking_subject = "employee_id"
    masking_object = "rotation_leg"

    id: uuid.UUID
    employee_id: uuid.UUID = Field(description="The rotated employee (the plan's `employee`).")
    sequence: int
    department: Ref
    post_title: str
    host_supervisor: Ref
    start_date: date
    end_date: date
    allowance: PayAmount
    state: Literal["upcoming", "running", "ended", "withdrawn"] = Field(
        description="Where the leg stands today, in the organization's time zone; "
        "`withdrawn`: called off before its first day."
    )
    employment_event_id: uuid.UUID | None = Field(
        description="The temporary-post employment event recorded when the plan was confirmed."
    )
    rating_task_id: uuid.UUID | None
    rating: LegRatingOut | None
    withdrawn_at: datetime | None = Field(description="When the leg was called off.")
    withdrawal_reason: str | None


class RotationPlanOut(BaseModel):
    id: uuid.UUID
    employee: Ref
    title: str
    status: Literal["draft", "confirmed"]
    legs: list[RotationLegOut]
    created_at: datetime
    confirmed_at: datetime | None
    version: int

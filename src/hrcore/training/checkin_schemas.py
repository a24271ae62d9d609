"""Request and response shapes of QR check-in, attendance, online progress and xAPI."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hrcore.core.i18n import _
from hrcore.core.pagination import Page
from hrcore.core.schemas import Ref

ModuleKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class TrainingQrToken(BaseModel):
    """The code a kiosk screen renders itself (`?format=json`)."""

    token: str = Field(description="What the QR code carries; the app posts it to check in.")
    refresh_at: datetime = Field(description="Show the next code from then on.")
    expires_at: datetime = Field(description="This code is refused from then on.")


class TrainingCheckInIn(BaseModel):
    """The app's QR check-in (`token`, for the caller) or the instructor's or HR's manual
    check-in of someone (`employee_id`): exactly one of the two."""

    model_config = ConfigDict(extra="forbid")

    token: str | None = Field(default=None, min_length=1, max_length=200)
    employee_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _one_way_in(self) -> Self:
        if (self.token is None) == (self.employee_id is None):
            raise ValueError(_("give either token (QR) or employee_id (manual), not both"))
        return self


class TrainingCheckInOut(BaseModel):
    enrolment_id: uuid.UUID
    session_id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    status: str
    checked_in_at: datetime
    late: bool = Field(description="Arrived after the start plus the session's grace minutes.")
    check_in_method: Literal["qr", "manual"]


class TrainingAttendee(BaseModel):
    enrolment_id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    status: str
    checked_in_at: datetime | None
    late: bool
    check_in_method: Literal["qr", "manual"] | None


class TrainingAttendanceSummary(BaseModel):
    enrolled: int = Field(description="Enrolled people (not waitlisted or cancelled).")
    present: int = Field(description="Checked in, on time or late.")
    late: int
    absent: int = Field(description="Enrolled and not checked in.")


class TrainingAttendancePage(Page[TrainingAttendee]):
    summary: TrainingAttendanceSummary = Field(
        description="Over every enrolled person the reader sees, not this page only."
    )


class CourseProgressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    course_id: uuid.UUID
    module_key: ModuleKey = Field(description="A `key` of the course's `modules`.")


class CourseProgressOut(BaseModel):
    enrolment_id: uuid.UUID
    course_id: uuid.UUID
    course: Ref
    status: str
    progress_percent: int = Field(description="Completed modules of the course's, in percent.")
    completed_modules: list[str]
    modules_total: int
    completion_threshold: int = Field(description="The percent that completes the course.")
    completed_at: datetime | None
    exam_score: float | None
    passed_at: datetime | None

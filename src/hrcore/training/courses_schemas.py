"""Request and response shapes of courses, their sessions, enrolments and the calendar feed."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.schemas import BoundedDatetime, Ref
from hrcore.training.models import CourseMode, EnrolmentSource, EnrolmentStatus, SessionStatus

CourseName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Place = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Hours = Annotated[Decimal, Field(gt=0, le=1000, max_digits=6, decimal_places=1)]
Money = Annotated[Decimal, Field(ge=0, le=10**9, max_digits=12, decimal_places=2)]
Percent = Annotated[int, Field(ge=1, le=100)]
Mark = Annotated[int, Field(ge=0, le=100)]
CoursePoints = Annotated[int, Field(ge=-1000, le=1000)]


class CourseModule(BaseModel):
    """One module of an online course; progress names modules by `key`."""

    model_config = ConfigDict(extra="forbid")

    key: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    title: CourseName


class CourseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: CourseName
    description: str | None = Field(default=None, max_length=4000)
    mode: CourseMode
    category: Label | None = None
    hours: Hours
    fee: Money | None = None
    points: CoursePoints | None = Field(
        default=None,
        description="Overrides the attendance (offline) or online-course rule's value for "
        "this course; the rule's value when absent.",
    )
    competency_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    modules: list[CourseModule] = Field(
        default_factory=list, max_length=100, description="Online courses only; keys unique."
    )
    completion_threshold: Percent = Field(
        default=100, description="Online: the progress in percent that completes the course."
    )
    pass_mark: Mark | None = Field(default=None, description="The exam's pass mark, if any.")
    active: bool = True


class CoursePatch(BaseModel):
    """Only the fields sent change; the mode is fixed once created."""

    model_config = ConfigDict(extra="forbid")

    name: CourseName | None = None
    description: str | None = Field(default=None, max_length=4000)
    category: Label | None = None
    hours: Hours | None = None
    fee: Money | None = None
    points: CoursePoints | None = None
    competency_ids: list[uuid.UUID] | None = Field(default=None, max_length=50)
    modules: list[CourseModule] | None = Field(default=None, max_length=100)
    completion_threshold: Percent | None = None
    pass_mark: Mark | None = None
    active: bool | None = None
    version: int | None = Field(default=None, description="The version read (or use If-Match).")


class CourseOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
    mode: CourseMode
    category: str | None
    hours: Decimal
    fee: Decimal | None
    points: int | None
    competency_ids: list[uuid.UUID]
    competencies: list[Ref]
    modules: list[CourseModule]
    completion_threshold: int
    pass_mark: int | None
    active: bool
    created_at: datetime
    updated_at: datetime
    version: int


class CourseSessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    course_id: uuid.UUID = Field(description="An offline course.")
    starts_at: BoundedDatetime
    ends_at: BoundedDatetime = Field(description="After `starts_at`.")
    place: Place | None = None
    capacity: int = Field(ge=1, le=100_000)
    instructor_id: uuid.UUID | None = Field(
        default=None, description="The employee teaching (earns the teaching rule's points)."
    )
    instructor_allowance: Money | None = None
    late_grace_minutes: int = Field(default=10, ge=0, le=240)


class CourseSessionPatch(BaseModel):
    """Only the fields sent change. `status` ends a scheduled session: `completed` awards its
    instructor the teaching points, `cancelled` cancels its enrolments."""

    model_config = ConfigDict(extra="forbid")

    starts_at: BoundedDatetime | None = None
    ends_at: BoundedDatetime | None = None
    place: Place | None = None
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    instructor_id: uuid.UUID | None = None
    instructor_allowance: Money | None = None
    late_grace_minutes: int | None = Field(default=None, ge=0, le=240)
    status: Literal["completed", "cancelled"] | None = None
    version: int | None = Field(default=None, description="The version read (or use If-Match).")


class CourseSessionOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    course: Ref
    starts_at: datetime
    ends_at: datetime
    place: str | None
    capacity: int
    instructor_id: uuid.UUID | None
    instructor: Ref | None
    instructor_allowance: Decimal | None
    late_grace_minutes: int
    status: SessionStatus
    enrolled: int = Field(description="Seats taken (enrolled or completed).")
    waitlisted: int
    seats_left: int
    created_at: datetime
    updated_at: datetime
    version: int


class SessionEnrolmentIn(BaseModel):
    """Nothing: the caller enrols themself. `employee_ids`: the caller's own reports (their
    manager or department head) or anyone (HR). `department_id`: HR enrols the subtree's
    active employees (those enrolled already are left as they are)."""

    model_config = ConfigDict(extra="forbid")

    employee_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=500)
    department_id: uuid.UUID | None = None
    source: Literal["hr", "needs"] | None = Field(
        default=None, description="HR only: `needs` when enrolling from the needs list."
    )


class OnlineEnrolmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    course_id: uuid.UUID = Field(description="An active online course.")


class CourseEnrolmentOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    course: Ref
    session_id: uuid.UUID | None
    employee_id: uuid.UUID
    employee: Ref
    status: EnrolmentStatus
    source: EnrolmentSource
    checked_in_at: datetime | None
    late: bool
    progress_percent: int
    completed_at: datetime | None
    reminder_task_id: uuid.UUID | None
    created_at: datetime


class CourseEnrolmentsOut(BaseModel):
    """The enrolments a request made: `waitlisted` ones wait for a free seat."""

    items: list[CourseEnrolmentOut]


class MyEnrolmentOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    course: Ref
    mode: CourseMode
    session_id: uuid.UUID | None
    session: Ref | None = Field(description="The session, named after its course.")
    starts_at: datetime | None
    ends_at: datetime | None
    place: str | None
    session_status: SessionStatus | None
    status: EnrolmentStatus
    checked_in_at: datetime | None
    late: bool
    progress_percent: int
    completed_at: datetime | None
    created_at: datetime


class CalendarFeedOut(BaseModel):
    url: str = Field(description="Secret: whoever has it reads your training calendar (iCalendar).")

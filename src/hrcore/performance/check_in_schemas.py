"""Request and response shapes of check-ins 「一对一面谈」 and feedback 「反馈 / 表扬」."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.schemas import BoundedDate, BoundedDatetime, Ref
from hrcore.performance.schemas import Key

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=10_000)]
FeedbackText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
]
CheckInStatus = Literal["scheduled", "held", "cancelled"]
FeedbackKind = Literal["praise", "suggestion"]
Visibility = Literal["private", "manager", "public"]
MAX_AGENDA = 30
MAX_ITEMS = 20


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActionItemIn(Strict):
    title: Title
    assignee_id: uuid.UUID = Field(description="The manager or the report of the check-in.")
    due_on: BoundedDate = Field(description="Not before today where the organization is.")


class CheckInIn(Strict):
    report_id: uuid.UUID = Field(description="A direct report of the caller.")
    scheduled_at: BoundedDatetime
    agenda: list[Title] = Field(default_factory=list, max_length=MAX_AGENDA)
    action_items: list[ActionItemIn] = Field(default_factory=list, max_length=MAX_ITEMS)


class CheckInPatch(Strict):
    """The fields sent change; `add_action_items` adds to those the check-in has."""

    scheduled_at: BoundedDatetime | None = Field(default=None, description="While scheduled.")
    status: Literal["held", "cancelled"] | None = Field(
        default=None,
        description="From `scheduled` only; cancelling withdraws the open action items' tasks.",
    )
    agenda: list[Title] | None = Field(default=None, max_length=MAX_AGENDA)
    shared_notes: Notes | None = Field(default=None, description="Both participants read them.")
    private_note: Notes | None = Field(
        default=None, description="The caller's own note: only its author ever reads it."
    )
    add_action_items: list[ActionItemIn] = Field(default_factory=list, max_length=MAX_ITEMS)


class ActionItemOut(BaseModel):
    id: uuid.UUID
    title: str
    assignee: Ref
    due_on: date
    task_id: uuid.UUID
    status: Literal["open", "completed", "cancelled"] = Field(description="The task's state.")
    overdue: bool
    completed_at: datetime | None


class CheckInOut(BaseModel):
    """A check-in as the caller may see it: its participants read everything but the other
    one's private note; HR admins read the metadata only (`agenda`, `shared_notes`,
    `private_note` and `action_items` null)."""

    id: uuid.UUID
    manager: Ref
    report: Ref
    scheduled_at: datetime
    status: CheckInStatus
    closed_at: datetime | None = Field(description="When it was marked held or cancelled.")
    agenda: list[str] | None
    shared_notes: str | None
    private_note: str | None = Field(description="The caller's own note, if they wrote one.")
    action_items: list[ActionItemOut] | None = Field(
        description="For the participants on `GET /check-ins/{id}` and the writes' answers "
        "(null in lists and for HR admins)."
    )
    created_at: datetime
    version: int


class FeedbackIn(Strict):
    receiver_id: uuid.UUID = Field(description="A colleague in the organization.")
    kind: FeedbackKind
    text: FeedbackText
    visibility: Visibility = Field(
        description="`private`: the receiver only; `manager`: and the receiver's manager; "
        "`public`: whoever may see the receiver."
    )
    competency_id: uuid.UUID | None = Field(default=None, description="A competency it is about.")
    indicator: Key | None = Field(
        default=None, description="A performance indicator key it is about."
    )


class FeedbackOut(BaseModel):
    id: uuid.UUID
    giver: Ref
    receiver: Ref
    kind: FeedbackKind
    text: str
    visibility: Visibility
    competency: Ref | None
    indicator: str | None
    created_at: datetime

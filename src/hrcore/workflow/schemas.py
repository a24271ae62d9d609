"""Request and response shapes of tasks and their policies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from hrcore.core.calendar import DaysAre
from hrcore.core.i18n import _
from hrcore.core.schemas import Ref
from hrcore.workflow.kinds import DeclaredKind

TaskStatus = Literal["open", "completed", "cancelled"]


class ReminderPolicy(BaseModel):
    """Remind the assignee before the due time, then repeatedly once it is overdue."""

    model_config = ConfigDict(extra="forbid")

    before_due_days: list[int] = Field(
        default_factory=lambda: [3],
        max_length=10,
        description="Remind this many days before the due time (each 1–365).",
    )
    repeat_every_days: int | None = Field(
        default=2,
        ge=1,
        le=365,
        description="Once overdue: remind at the due time, then every this many days until "
        "done. Null: no overdue reminders.",
    )
    days_are: DaysAre = Field(
        default="calendar",
        description="calendar: the offsets are calendar days; working: working days on the "
        "organization's calendar (weekends, statutory holidays and make-up days 「调休」).",
    )
    hold_on_non_working_days: bool = Field(
        default=True,
        description="A reminder that would fall on a non-working day waits for the next "
        "working morning (09:00, the organization's time zone); false sends it as it falls.",
    )

    @field_validator("before_due_days")
    @classmethod
    def _offsets(cls, value: list[int]) -> list[int]:
        if any(day < 1 or day > 365 for day in value):
            raise ValueError(_("each offset must be between 1 and 365 days"))
        return sorted(set(value), reverse=True)


class EscalationPolicy(BaseModel):
    """Tell the assignee's manager, then HR, when a task stays overdue."""

    model_config = ConfigDict(extra="forbid")

    manager_after_days: int | None = Field(
        default=3, ge=0, le=365, description="Days overdue before the manager is told."
    )
    hr_after_days: int | None = Field(
        default=7, ge=0, le=365, description="Days overdue before HR admins are told."
    )
    days_are: DaysAre = Field(
        default="calendar",
        description="calendar: the offsets are calendar days; working: working days on the "
        "organization's calendar (weekends, statutory holidays and make-up days 「调休」).",
    )
    hold_on_non_working_days: bool = Field(
        default=True,
        description="A escalation that would fall on a non-working day waits for the next "
        "working morning (09:00, the organization's time zone); false sends it as it falls.",
    )


class TaskPolicy(BaseModel):
    reminder: ReminderPolicy
    escalation: EscalationPolicy


class TaskPolicyDefaultsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reminder: ReminderPolicy
    escalation: EscalationPolicy
    version: int | None = Field(
        default=None, description="The version you read; a stale one answers 409."
    )


class TaskPolicyDefaultsOut(BaseModel):
    reminder: ReminderPolicy
    escalation: EscalationPolicy
    version: int = Field(description="0 while the organization uses the built-in defaults.")


class Submission(BaseModel):
    """What the assignee hands in; the owning domain may check it further."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=20_000)
    links: list[HttpUrl] = Field(default_factory=list, max_length=20)
    attachments: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="References of uploaded files.",
    )

    @field_validator("attachments")
    @classmethod
    def _refs(cls, value: list[str]) -> list[str]:
        if any(not ref.strip() or len(ref) > 200 for ref in value):
            raise ValueError(_("attachment references are 1–200 characters"))
        return value

    @property
    def is_empty(self) -> bool:
        return not (self.text and self.text.strip()) and not self.links and not self.attachments


class TaskCompletion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    submission: Submission | None = None


class SubjectRef(BaseModel):
    """The object the task belongs to, for deep links into its domain."""

    type: str
    id: uuid.UUID


class SubmissionRequirement(BaseModel):
    """What `POST /tasks/{id}/complete` needs in `submission`: the task's kind and the rule
    its creator set (a program stage's), whichever is stricter."""

    required: bool = Field(description="False: the task may be completed without one.")
    min_text_length: int = Field(description="Characters of `text`, spaces trimmed.")
    min_links: int
    min_attachments: int


class CompletedBy(BaseModel):
    """The operation that completes the task, with the task's values in its path."""

    operation_id: str = Field(description="The OpenAPI operation id, e.g. `complete_task`.")
    method: str
    path: str = Field(description="Ready to call, e.g. `/api/v1/review-assignments/{id}/submit`.")


class TaskOut(BaseModel):
    id: uuid.UUID
    subject: SubjectRef
    kind: DeclaredKind
    title: str
    assignee_employee_id: uuid.UUID
    assignee: Ref = Field(description="The assignee, named.")
    department_id: uuid.UUID
    department: Ref = Field(description="The assignee's department when assigned, named.")
    subject_employee: Ref | None = Field(
        description="The employee the task is about, named: the participant a supervisor "
        "evaluates, the employee a rater reviews, the appellant, the contract holder. Null "
        "when it is about nobody in particular."
    )
    completed_by: CompletedBy
    submission_rule: SubmissionRequirement | None = Field(
        description="Null: the task takes no submission; `completed_by` names the operation "
        "that completes it (a review's submit, an amendment's confirm)."
    )
    due_at: datetime
    status: TaskStatus
    overdue: bool = Field(description="Open and past its due time.")
    completed_at: datetime | None
    on_time: bool | None = Field(description="Set on completion: completed by the due time.")
    submission_required: bool
    confidential: bool = Field(
        description="Seen only by the assignee and HR auditors (a 360 peer's or subordinate's "
        "rating); never escalated by name nor sent to webhooks."
    )
    submission: Submission | None
    policy: TaskPolicy
    deep_link: str = Field(
        description="Opens the task in the mobile app or the DingTalk micro-app "
        "(`HRCORE_DEEP_LINK_TEMPLATE`, default `hrcore://open/task/{id}`): the same link its "
        "inbox items, channel notices and DingTalk to-do carry."
    )
    created_at: datetime
    version: int


TodoState = Literal["none", "open", "done", "deleted"]


class TodoDeliveryOut(BaseModel):
    """A task's DingTalk to-do and where its delivery stands."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    task_id: uuid.UUID
    dingtalk_user_id: str = Field(description="The assignee's DingTalk user id.")
    todo_id: str | None = Field(description="DingTalk's id of the to-do; null until created.")
    wanted: Literal["open", "done", "deleted"] = Field(
        description="What hrcore wants DingTalk to show: open, done (the task was completed) "
        "or deleted (cancelled)."
    )
    synced: TodoState = Field(description="What DingTalk shows as far as hrcore knows.")
    due_at: datetime | None = Field(
        description="The due time DingTalk shows (a rescheduled task's to-do follows it)."
    )
    status: Literal["pending", "sent", "failed"] = Field(
        description="pending: the worker has a change to make (and retries a failure); "
        "sent: DingTalk shows what hrcore wants; failed: given up after the last attempt."
    )
    attempts: int = Field(description="Attempts at the latest change.")
    last_error: str | None
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    sent_at: datetime | None
    created_at: datetime

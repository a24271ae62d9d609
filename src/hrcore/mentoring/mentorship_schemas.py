"""Request and response shapes of mentee templates, pairings (mentorships), their plans and
`/me/mentorships`. A template's and a plan's content (goals, checklist, schedule) share one
shape, so a plan drafted from a template is checked by the same rules when the mentor edits
it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hrcore.core.i18n import _
from hrcore.core.schemas import BoundedDate, Ref
from hrcore.mentoring.mentorship_models import (
    MenteeRole,
    MentorshipStatus,
    PlanStatus,
    SessionKind,
)
from hrcore.mentoring.schemas import MentorRuleCheck

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
MAX_MONTHS = 36


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MenteeCompetencyLevelGoal(_Strict):
    """Reach `level` (1..N of the competency's levels) of a competency of the library."""

    kind: Literal["competency_level"]
    key: Key
    title: Title
    competency_id: uuid.UUID
    level: int = Field(ge=1, le=10)


class MenteeSkillTestScoreGoal(_Strict):
    """Score at least `target` (0–100) in the pairing's skill tests."""

    kind: Literal["skill_test_score"]
    key: Key
    title: Title
    target: float = Field(ge=0, le=100, allow_inf_nan=False)


class MenteePerformanceScoreGoal(_Strict):
    """Be rated at least `target` (1–5) in performance."""

    kind: Literal["performance_score"]
    key: Key
    title: Title
    target: float = Field(ge=1, le=5, allow_inf_nan=False)


MenteeGoal = Annotated[
    MenteeCompetencyLevelGoal | MenteeSkillTestScoreGoal | MenteePerformanceScoreGoal,
    Field(discriminator="kind"),
]


class MenteeChecklistItem(_Strict):
    """Content the mentor must cover; sessions name the keys they covered."""

    key: Key
    title: Title


class MentoringScheduleItem(_Strict):
    """A session kind held every `every_months` months over the pairing."""

    kind: SessionKind
    every_months: int = Field(ge=1, le=MAX_MONTHS)


DEFAULT_SCHEDULE = (
    MentoringScheduleItem(kind=SessionKind.ONE_ON_ONE, every_months=1),
    MentoringScheduleItem(kind=SessionKind.SKILL_TEST, every_months=3),
    MentoringScheduleItem(kind=SessionKind.PROGRESS_REPORT, every_months=6),
)


class MentoringContent(_Strict):
    """Goals, checklist and schedule: keys unique within each, one schedule item per kind."""

    goals: list[MenteeGoal] = Field(min_length=1, max_length=20)
    checklist: list[MenteeChecklistItem] = Field(default_factory=list, max_length=50)
    schedule: list[MentoringScheduleItem] = Field(
        default_factory=lambda: list(DEFAULT_SCHEDULE),
        min_length=1,
        max_length=3,
        description="Default: a 1:1 monthly, a skill test quarterly, a progress report "
        "half-yearly.",
    )

    @model_validator(mode="after")
    def _unique_keys(self) -> Self:
        for name, keys in (
            ("goals", [goal.key for goal in self.goals]),
            ("checklist", [item.key for item in self.checklist]),
        ):
            if len(set(keys)) != len(keys):
                raise ValueError(_("{name} keys must be unique", name=name))
        kinds = [item.kind for item in self.schedule]
        if len(set(kinds)) != len(kinds):
            raise ValueError(_("each session kind is scheduled once"))
        return self


class MenteeTemplateIn(MentoringContent):
    name: Name
    role: MenteeRole
    duration_months: int = Field(ge=1, le=MAX_MONTHS)

    @model_validator(mode="after")
    def _intervals_fit(self) -> Self:
        if any(item.every_months > self.duration_months for item in self.schedule):
            raise ValueError(_("a session interval must not exceed the duration"))
        return self


class MenteeTemplatePatch(MenteeTemplateIn):
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class MenteeTemplateOut(BaseModel):
    id: uuid.UUID
    name: str
    role: MenteeRole
    duration_months: int
    goals: list[MenteeGoal]
    checklist: list[MenteeChecklistItem]
    schedule: list[MentoringScheduleItem]
    revision: int
    created_at: datetime
    updated_at: datetime
    version: int


class MenteeTemplateRevisionOut(BaseModel):
    """A mentee template as it was at one revision (what plans drafted then copied)."""

    template_id: uuid.UUID
    revision: int
    name: str
    role: MenteeRole
    duration_months: int
    goals: list[MenteeGoal]
    checklist: list[MenteeChecklistItem]
    schedule: list[MentoringScheduleItem]
    created_at: datetime


class MentorshipIn(_Strict):
    program_id: uuid.UUID
    mentor_id: uuid.UUID = Field(description="A mentor of the program (`/mentors`).")
    mentee_id: uuid.UUID = Field(description="The mentee's employee id.")
    template_id: uuid.UUID = Field(description="The mentee template the plan is drafted from.")
    starts_on: BoundedDate
    override_reason: Reason | None = Field(
        default=None,
        description="HR admins only: pairs a mentor who fails the program's rules now (audited).",
    )


class MentorshipOut(BaseModel):
    id: uuid.UUID
    program: Ref
    mentor: Ref = Field(description="The mentor (`/mentors/{id}`), named by their employee.")
    mentor_employee: Ref
    mentee: Ref
    template: Ref
    status: MentorshipStatus
    starts_on: date
    ends_on: date
    checks: list[MentorRuleCheck] = Field(
        description="The mentor's rule checks when paired: each rule's value and pass/fail."
    )
    override_reason: str | None
    end_reason: str | None
    ended_at: datetime | None
    plan_status: PlanStatus
    mentor_load: int = Field(description="The mentor's active pairings now.")
    created_at: datetime
    version: int


class MentorshipEndIn(_Strict):
    outcome: Literal["completed", "cancelled"]
    reason: Reason | None = Field(default=None, description="Required when cancelled.")

    @model_validator(mode="after")
    def _reason_when_cancelled(self) -> Self:
        if self.outcome == "cancelled" and self.reason is None:
            raise ValueError(_("a cancelled pairing needs a reason"))
        return self


class MentorshipPlanIn(MentoringContent):
    """The whole plan, replaced: goals, checklist, schedule and the pairing's dates."""

    starts_on: BoundedDate
    ends_on: BoundedDate
    submit: bool = Field(default=False, description="Submit the plan for approval.")
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class MentorshipPlanOut(BaseModel):
    id: uuid.UUID = Field(description="The plan's own id: the subject of its approvals.")
    mentorship_id: uuid.UUID
    status: PlanStatus
    template_revision: int
    goals: list[MenteeGoal]
    checklist: list[MenteeChecklistItem]
    schedule: list[MentoringScheduleItem]
    starts_on: date
    ends_on: date
    submitted_at: datetime | None
    approved_at: datetime | None
    decision_comment: str | None
    version: int


class MentorshipPlanDecisionIn(_Strict):
    decision: Literal["approve", "return"]
    comment: Reason | None = Field(default=None, description="Required to return the plan.")

    @model_validator(mode="after")
    def _comment_to_return(self) -> Self:
        if self.decision == "return" and self.comment is None:
            raise ValueError(_("returning a plan needs a comment"))
        return self


class MentorContactOut(BaseModel):
    email: str | None
    phone: str | None


class MyMentorshipOut(BaseModel):
    id: uuid.UUID
    role: Literal["mentor", "mentee"] = Field(description="The caller's part in the pairing.")
    program: Ref
    mentor_employee: Ref
    mentee: Ref
    status: MentorshipStatus
    starts_on: date
    ends_on: date
    plan_status: PlanStatus
    mentor_contact: MentorContactOut | None = Field(
        description="The mentor's work email and phone, shown to the mentee (null as mentor)."
    )

"""Request and response shapes of mentoring programs, their eligibility rules, mentor
applications and mentors."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, model_validator

from hrcore.core.i18n import _
from hrcore.core.schemas import Ref
from hrcore.mentoring.models import ApplicationSource, ApplicationStatus

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MentorTopPerformanceRule(_Rule):
    """The latest `periods` lettered ratings in a row are all `letter` or better (A is best)."""

    kind: Literal["top_performance"]
    letter: Literal["A", "B", "C", "D"] = "A"
    periods: int = Field(default=3, ge=1, le=10)


class MentorTenureRule(_Rule):
    """Employed at least `min_months` months (from the hire date to today, in the org's zone)."""

    kind: Literal["tenure"]
    min_months: int = Field(ge=0, le=720)


class MentorFormerMenteesGainRule(_Rule):
    """At least `min_mentees` completed pairings as a mentor (any program) whose mentee's
    performance rating gained at least `min_gain_percent` % (the stored effectiveness)."""

    kind: Literal["former_mentees_gain"]
    min_mentees: int = Field(default=2, ge=1, le=50)
    min_gain_percent: float = Field(default=20, ge=0, le=500)


class MentorCertificateRule(_Rule):
    """Holds a certificate named `name` (any case; e.g. the mentor course's), recorded on the
    growth profile and not expired."""

    kind: Literal["certificate"]
    name: Name


class MentorReviewRatingRule(_Rule):
    """The latest published review result's overall (as calibrated, 0–100) is at least
    `min_overall`."""

    kind: Literal["review_rating"]
    min_overall: float = Field(ge=0, le=100)


Rule = Annotated[
    MentorTopPerformanceRule
    | MentorTenureRule
    | MentorFormerMenteesGainRule
    | MentorCertificateRule
    | MentorReviewRatingRule,
    Field(discriminator="kind"),
]
RULES = TypeAdapter(list[Rule])
"""A program's rules as stored (JSON) to and from `Rule`s."""


class SuggestionWeights(BaseModel):
    """How much each term counts in a program's mentor suggestions (relative weights; a term
    with weight 0 is left out, and so is a term that says nothing about a mentor)."""

    model_config = ConfigDict(extra="forbid")

    strengths: float = Field(
        default=50, ge=0, le=100, description="The mentor's scores on the mentee's gaps."
    )
    proximity: float = Field(
        default=20, ge=0, le=100, description="Closeness in the department tree."
    )
    capacity: float = Field(default=15, ge=0, le=100, description="Room left for mentees.")
    effectiveness: float = Field(
        default=15,
        ge=0,
        le=100,
        description="The mentor's past effectiveness, once it is computed for them.",
    )


class MentoringReminderPolicy(BaseModel):
    """When a program's scheduled 1:1s, skill tests and progress reports remind the mentor
    and escalate (workflow's sweep; a window on a non-working day waits for the next working
    morning). The defaults are seed 003's: 5 days before, every 2 days once overdue, the
    mentor's manager 1 day overdue, HR admins 7."""

    model_config = ConfigDict(extra="forbid")

    before_due_days: list[Annotated[int, Field(ge=1, le=365)]] = Field(
        default_factory=lambda: [5],
        max_length=10,
        description="Remind the mentor this many days before the due date (each 1–365).",
    )
    repeat_every_days: int | None = Field(
        default=2, ge=1, le=365, description="Once overdue, remind every this many days; null: no."
    )
    manager_after_days: int | None = Field(
        default=1, ge=0, le=365, description="Days overdue before the mentor's manager is told."
    )
    hr_after_days: int | None = Field(
        default=7, ge=0, le=365, description="Days overdue before HR admins are told."
    )

    @model_validator(mode="after")
    def _steps_in_order(self) -> MentoringReminderPolicy:
        if len(set(self.before_due_days)) != len(self.before_due_days):
            raise ValueError(_("Each day before the due date may be given once"))
        manager, hr = self.manager_after_days, self.hr_after_days
        if manager is not None and hr is not None and hr < manager:
            raise ValueError(_("HR admins are told after the mentor's manager, not before"))
        return self


class MentoringProgramIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: str | None = Field(default=None, max_length=4000)
    department_id: uuid.UUID | None = Field(
        default=None, description="A department subtree; the whole organization if absent."
    )
    capacity: int = Field(default=3, ge=1, le=50, description="Mentees per mentor at most.")
    rules: list[Rule] = Field(default_factory=list, max_length=10)
    active: bool = True
    suggestion_weights: SuggestionWeights | None = Field(
        default=None,
        description="Weights of the mentor suggestions' terms; the defaults if absent.",
    )
    reminder_policy: MentoringReminderPolicy | None = Field(
        default=None,
        description="When the schedule's tasks remind the mentor and escalate; the defaults if "
        "absent.",
    )


class MentoringProgramPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    description: str | None = Field(default=None, max_length=4000)
    capacity: int | None = Field(default=None, ge=1, le=50)
    rules: list[Rule] | None = Field(default=None, max_length=10)
    active: bool | None = None
    suggestion_weights: SuggestionWeights | None = None
    reminder_policy: MentoringReminderPolicy | None = None
    version: int | None = None


class MentoringProgramOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
    department: Ref | None = Field(description="The subtree; null for the whole organization.")
    capacity: int
    rules: list[Rule]
    active: bool
    suggestion_weights: SuggestionWeights = Field(
        description="The weights the program's mentor suggestions use (the defaults unless set)."
    )
    reminder_policy: MentoringReminderPolicy = Field(
        description="When the schedule's tasks remind the mentor and escalate (the defaults "
        "unless set); tasks keep the policy they were planned with."
    )
    created_at: datetime
    updated_at: datetime
    version: int


class MentorRuleCheck(BaseModel):
    kind: str
    value: float | str | None = Field(
        description="What was found: consecutive ratings at the letter or better, years "
        "employed, former mentees with the gain, the date the certificate was obtained, the "
        "latest review overall."
    )
    passed: bool


class MentorApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    program_id: uuid.UUID
    employee_id: uuid.UUID | None = Field(
        default=None, description="HR nominating an employee; the caller themself if absent."
    )
    motivation: str | None = Field(default=None, max_length=4000)


class MentorApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    override_reason: Reason | None = Field(
        default=None, description="Required when the applicant failed a rule (audited)."
    )


class MentorRejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class MentorApplicationOut(BaseModel):
    id: uuid.UUID
    program: Ref
    employee: Ref
    source: ApplicationSource
    status: ApplicationStatus
    eligible: bool = Field(description="Every rule passed when the application was made.")
    checks: list[MentorRuleCheck] = Field(description="Each rule's value and pass/fail, in order.")
    motivation: str | None
    decision_reason: str | None
    overridden: bool
    decided_at: datetime | None
    created_at: datetime
    version: int


class MentorOut(BaseModel):
    id: uuid.UUID
    program: Ref
    employee: Ref
    capacity: int
    load: int = Field(description="Active pairings now.")
    available: bool = Field(description="The load is below the capacity.")
    approved_at: datetime
    flagged_at: datetime | None = Field(
        description="When the nightly re-evaluation found the mentor failing a rule of the "
        "program; null while they qualify (cleared when they qualify again)."
    )
    flag_checks: list[MentorRuleCheck] | None = Field(
        description="Each rule's value and pass/fail when last re-evaluated, while flagged."
    )

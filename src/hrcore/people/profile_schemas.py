"""Response models of the panoramic profile 「人才全景档案」: one section per source, each
filled by its owning domain (`profile_sections`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from hrcore.core.masking import MaskedModel
from hrcore.core.schemas import Ref
from hrcore.people.schemas import (
    ContactEmail,
    ContactPhone,
    EmployeeStatus,
    EmploymentEventOut,
    GrowthProfileOut,
    PendingChange,
    PerformanceRatingOut,
    PersonalPhone,
    SensitiveIdNumber,
)


class PositionRef(Ref):
    is_management: bool


class ProfileBasics(MaskedModel):
    """Who the employee is; contact and sensitive fields (`x-masked`) masked for whoever may
    not see them (docs/privacy.md)."""

    id: uuid.UUID
    employee_number: str
    full_name: str
    department: Ref
    position: PositionRef | None
    manager: Ref | None
    hire_date: date
    status: EmployeeStatus
    tenure_years: float = Field(description="Since hire_date, to today in the org's time zone.")
    email: ContactEmail
    phone: ContactPhone
    personal_phone: PersonalPhone
    id_number: SensitiveIdNumber


class CurrentPost(BaseModel):
    department: Ref
    position: PositionRef | None
    temporary_posts: list[EmploymentEventOut] = Field(
        description="Temporary posts running today (end_date not passed)."
    )
    pending_changes: list[PendingChange] = Field(
        description="Moves recorded with a future effective date, in the order they take "
        "effect; the post above stays until then."
    )


class TrainingEntry(BaseModel):
    course: Ref
    completed_on: date | None = Field(description="In the organization's time zone.")
    result: str | None = Field(description="passed (the course's exam), late or attended.")


class ProjectEntry(BaseModel):
    project: Ref
    role: str
    started_on: date | None
    ended_on: date | None


class PeerFeedbackEntry(BaseModel):
    source: str
    summary: str
    received_on: date


class PointsEntry(BaseModel):
    period: str = Field(description="A year (`2026`) or a quarter (`2026-Q4`).")
    total: int


class ProgramEntry(BaseModel):
    program: Ref = Field(description="The program run.")
    status: str = Field(description="enrolled, active, completed or withdrawn.")
    current_stage: str | None = Field(description="The stage the participant is in, if open.")
    started_on: date | None = Field(description="The run's start day.")
    ended_at: datetime | None = Field(description="When the participation completed or ended.")


class DevelopmentPlanEntry(BaseModel):
    id: uuid.UUID = Field(description="Read it whole at `/development-plans/{id}`.")
    period: str
    title: str
    status: str = Field(description="draft, submitted, returned or active.")
    goals: int = Field(description="How many goals it has.")
    actions: int = Field(description="How many actions it has.")
    approved_at: datetime | None


class MentoringEntry(BaseModel):
    mentorship_id: uuid.UUID = Field(description="Read it at `/mentorships/{id}`.")
    role: Literal["mentor", "mentee"] = Field(description="The employee's side of the pairing.")
    program: Ref = Field(description="The mentoring program.")
    other: Ref = Field(description="The mentor (for a mentee) or the mentee (for a mentor).")
    status: str = Field(description="active, completed or cancelled.")
    starts_on: date
    ends_on: date
    ended_at: datetime | None
    plan_status: str | None = Field(description="draft, submitted, returned or approved.")
    sessions_held: int = Field(description="Sessions logged (1:1s, skill tests, reports).")


class ProfileMentorScore(BaseModel):
    mentor_id: uuid.UUID = Field(description="Explained at `/mentors/{id}/effectiveness`.")
    program: Ref
    score: float | None = Field(description="0–100; null until the first recompute.")
    pairings: int = Field(description="Pairings the score was computed over.")
    computed_at: datetime | None


class ContractEntry(BaseModel):
    id: uuid.UUID
    type: str = Field(description="The contract's kind.")
    status: str = Field(description="active or terminated.")
    starts_on: date
    ends_on: date | None
    grade: str | None
    allowance: Decimal | None
    work_location: str
    pay_terms_ref: str = Field(description="A reference to the pay terms; amounts live in payroll.")


def _absent_section() -> Any:
    """A section whose domain does not exist yet: absent from the body rather than empty."""
    return Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Absent until its domain exists.",
    )


class PanoramicProfile(BaseModel):
    """Everything known about one employee, trimmed to what the caller may see.

    Programs, contracts, competencies (the development plan), training (trainings, points)
    and mentoring fill their sections; the sections of domains that do not exist yet
    (projects, peer feedback) are absent, not empty.
    """

    basics: ProfileBasics
    current_post: CurrentPost
    employment_history: list[EmploymentEventOut]
    management_experience: int = Field(
        description="Events that led a team or were in a management position."
    )
    performance_trend: list[PerformanceRatingOut] = Field(
        description="Ratings of the last three full calendar years and the current one, by period."
    )
    growth_profile: GrowthProfileOut | None
    trainings: list[TrainingEntry] = Field(description="Completed courses, newest first.")
    projects: list[ProjectEntry] | SkipJsonSchema[None] = _absent_section()
    peer_feedback: list[PeerFeedbackEntry] | SkipJsonSchema[None] = _absent_section()
    points: list[PointsEntry] = Field(
        description="Training points 「积分」 per year, each followed by its quarters, newest "
        "first."
    )
    program_participation: list[ProgramEntry] = Field(description="Oldest run first.")
    contracts: list[ContractEntry] | None = Field(
        description="HR admins and the employee themself (as the contracts routes); null otherwise."
    )
    development_plan: DevelopmentPlanEntry | None = Field(
        description="The current individual development plan 「个人发展计划」 (the open plan of "
        "the latest period); null without one."
    )
    mentoring: list[MentoringEntry] | None = Field(
        description="Pairings 「师徒结对」 as mentee and as mentor, oldest first (never survey "
        "answers); null for integration keys."
    )
    mentor_effectiveness: list[ProfileMentorScore] | None = Field(
        description="The employee's effectiveness as a mentor in each program they mentor in "
        "(as `/mentors/{id}/effectiveness`: HR admins, the employee and their direct manager); "
        "null for others."
    )

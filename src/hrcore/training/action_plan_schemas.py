"""Request and response shapes of action plans after a course 「行动计划」."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.schemas import Ref
from hrcore.training.models import ActionPlanStatus

Written = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class ScoringSide(StrEnum):
    HR = "hr"
    MANAGER = "manager"


class ActionPlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enrolment_id: uuid.UUID = Field(description="A completed enrolment without a plan yet.")


class ActionPlanSubmission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: Written = Field(description="What the employee will apply from the course, and how.")


class ActionPlanScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    side: ScoringSide = Field(
        description="hr: an HR admin's score; manager: the employee's manager's or the head of "
        "a department over them."
    )
    score: int = Field(ge=0, le=100)


class ActionPlanAdoption(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Written = Field(description="Why and how the company adopts the plan.")


class ActionPlanPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Written = Field(description="What the adopted plan achieved.")


class ActionPlanOut(BaseModel):
    id: uuid.UUID
    enrolment_id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    course_id: uuid.UUID
    course: Ref
    task_id: uuid.UUID | None = Field(description="The employee's task; submitting completes it.")
    status: ActionPlanStatus
    due_on: date = Field(description="Day 30 after the course was completed.")
    content: str | None
    submitted_at: datetime | None
    hr_score: int | None
    hr_scored_by: uuid.UUID | None
    hr_scored_by_user: Ref | None
    manager_score: int | None
    manager_scored_by: uuid.UUID | None
    manager_scored_by_user: Ref | None
    score: float | None = Field(description="The mean of both scores, once both are in.")
    scored_at: datetime | None
    adopted: bool
    adopted_at: datetime | None
    adopted_by: uuid.UUID | None
    adopted_by_user: Ref | None
    adoption_note: str | None
    outcome: str | None
    created_at: datetime

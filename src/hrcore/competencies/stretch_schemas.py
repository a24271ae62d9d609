"""Request and response shapes of stretch assignments 「部门内任务」: the assignment, its
assignees and outcomes, and the matches both ways."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.competencies.schemas import MAX_LEVELS
from hrcore.core.schemas import BoundedDate, Ref

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Status = Literal["open", "assigned", "closed"]
Allowance = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
POST_TITLE = (
    "The post a role that changes the person's post gives (project lead, assistant to the "
    "chief): assigning records it as a temporary post on the person's employment record "
    "(HR admins only assign such a role)."
)
ALLOWANCE = "The post's monthly allowance (a post only), carried into the temporary post."
Factor = Literal["gap_fit", "readiness", "load", "pool"]


class DevelopedCompetencyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    competency_id: uuid.UUID
    start_level: int = Field(
        ge=1, le=MAX_LEVELS, description="The level (within the competency's) needed to start."
    )


class StretchAssignmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    description: LongText | None = None
    department_id: uuid.UUID
    team_size: int = Field(ge=1, le=1000, description="How many people the assignee leads.")
    starts_on: BoundedDate
    ends_on: BoundedDate
    slots: int = Field(default=1, ge=1, le=50, description="How many people may take it.")
    competencies: list[DevelopedCompetencyIn] = Field(
        min_length=1, max_length=20, description="What it develops, each with its start level."
    )
    post_title: Title | None = Field(default=None, description=POST_TITLE)
    allowance: Allowance | None = Field(default=None, description=ALLOWANCE)


class StretchAssignmentPatch(BaseModel):
    """What an editor may change; the department stays (its assignees were chosen in it)."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: LongText | None = None
    team_size: int | None = Field(default=None, ge=1, le=1000)
    starts_on: BoundedDate | None = None
    ends_on: BoundedDate | None = None
    slots: int | None = Field(default=None, ge=1, le=50)
    competencies: list[DevelopedCompetencyIn] | None = Field(
        default=None, min_length=1, max_length=20
    )
    status: Literal["open", "closed"] | None = Field(
        default=None,
        description="`closed` ends it; `open` reopens it (`assigned` again when every slot "
        "is taken).",
    )
    post_title: Title | None = Field(
        default=None, description=POST_TITLE + " `null` makes it no post; fixed once taken."
    )
    allowance: Allowance | None = Field(default=None, description=ALLOWANCE)
    reason: Reason | None = Field(
        default=None,
        description="Why a post is closed before it begins: required then, as its holders' "
        "temporary posts are withdrawn with it.",
    )
    version: int | None = None


class DevelopedCompetencyOut(BaseModel):
    competency_id: uuid.UUID
    competency: Ref
    start_level: int
    levels: int = Field(description="How many levels the competency has.")
    start: float = Field(description="The start level on the profile's 0–10 scale.")


class StretchAssignmentOut(BaseModel):
    id: uuid.UUID
    title: str
    description: str | None
    department_id: uuid.UUID
    department: Ref
    team_size: int
    starts_on: date
    ends_on: date
    duration_days: int
    slots: int
    taken: int = Field(description="How many people are on it.")
    status: Status
    competencies: list[DevelopedCompetencyOut]
    post_title: str | None = Field(description="The post it gives; null: it is no post.")
    allowance: Decimal | None
    version: int
    created_at: datetime
    updated_at: datetime


class FigureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Title = Field(description="What was measured (revenue delivered, customers won).")
    value: float = Field(ge=-1e12, le=1e12)
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    competency_id: uuid.UUID
    rating: float = Field(ge=0, le=10, description="The supervisor's rating, 0–10.")


class PeerFeedbackIn(BaseModel):
    """Peers' ratings of one competency, without names: only their mean is kept, and only
    when enough peers answered."""

    model_config = ConfigDict(extra="forbid")

    competency_id: uuid.UUID
    ratings: list[Annotated[float, Field(ge=0, le=10)]] = Field(min_length=1, max_length=200)


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID = Field(description="The assignee the outcome is about.")
    figures: list[FigureIn] = Field(default_factory=list, max_length=20)
    ratings: list[RatingIn] = Field(
        min_length=1, max_length=20, description="One per competency the assignment develops."
    )
    peer_feedback: list[PeerFeedbackIn] = Field(default_factory=list, max_length=20)
    note: LongText | None = None


class FigureOut(BaseModel):
    name: str
    value: float
    unit: str | None


class OutcomeCompetencyOut(BaseModel):
    competency_id: uuid.UUID
    competency: Ref
    supervisor_rating: float
    peer_mean: float | None = Field(
        description="The peers' mean; null when fewer than the anonymity threshold answered."
    )
    peer_count: int | None = Field(description="How many peers answered, when shown.")
    evidence: float = Field(description="The value recorded as competency evidence.")


class OutcomeOut(BaseModel):
    id: uuid.UUID
    assignment_id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    figures: list[FigureOut]
    competencies: list[OutcomeCompetencyOut]
    note: str | None
    recorded_times: int = Field(description="1 when first recorded; each correction adds 1.")
    created_at: datetime
    updated_at: datetime


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID
    supervisor_id: uuid.UUID | None = Field(
        default=None,
        description="Who checks the mid-point and rates the outcome; the "
        "assignee's manager if left out.",
    )


class AssigneeOut(BaseModel):
    id: uuid.UUID
    assignment_id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    supervisor_id: uuid.UUID
    supervisor: Ref
    status: Literal["active", "completed"]
    task_ids: list[uuid.UUID] = Field(
        description="The kick-off, mid-point check and outcome tasks, in that order."
    )
    outcome: OutcomeOut | None = Field(
        description="Null until recorded, and for readers who may not see the assignee's "
        "records (anyone but HR, their managers, department head, supervisor and themself)."
    )
    employment_event_id: uuid.UUID | None = Field(
        description="The temporary post recorded on the person's employment record when the "
        "assignment is a post; null otherwise."
    )
    created_at: datetime


class StretchAssignmentDetailOut(StretchAssignmentOut):
    assignees: list[AssigneeOut]


class MatchFactorOut(BaseModel):
    factor: Factor
    value: float = Field(description="0–1.")
    weight: float
    points: float = Field(description="What the factor adds to the score (0–100 in all).")


class CompetencyFitOut(BaseModel):
    competency_id: uuid.UUID
    competency: Ref
    start: float = Field(description="Needed to start, on the 0–10 scale.")
    required: float | None = Field(
        description="What the person's position model requires; null when it does not name it."
    )
    current: float | None
    gap: float
    ready: bool


class CandidateMatchOut(BaseModel):
    rank: int
    employee_id: uuid.UUID
    employee: Ref
    score: float
    factors: list[MatchFactorOut]
    competencies: list[CompetencyFitOut]
    open_assignments: int
    at_capacity: bool
    pools: list[Ref]


class CandidateMatchesOut(BaseModel):
    assignment_id: uuid.UUID
    assignment: Ref
    candidates: int = Field(description="How many people were ranked.")
    items: list[CandidateMatchOut]


class AssignmentMatchOut(BaseModel):
    rank: int
    assignment_id: uuid.UUID
    assignment: Ref
    department_id: uuid.UUID
    department: Ref
    starts_on: date
    ends_on: date
    score: float
    factors: list[MatchFactorOut]
    competencies: list[CompetencyFitOut]


class AssignmentMatchesOut(BaseModel):
    employee_id: uuid.UUID
    employee: Ref
    open_assignments: int
    at_capacity: bool
    pools: list[Ref]
    items: list[AssignmentMatchOut]

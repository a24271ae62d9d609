"""Request and response shapes of talent pools, screening rules and memberships."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.schemas import Ref
from hrcore.talent.models import MemberStatus, NominationSource, Readiness

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Level = Literal["low", "medium", "high"]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PerformancePercentileRule(_Rule):
    """Among the top `top_percent` % by mean rating over the latest `periods` periods."""

    kind: Literal["performance_percentile"]
    scope: Literal["organization", "department"] = Field(
        default="organization",
        description="Ranked against the whole organization or the employee's own department.",
    )
    periods: int = Field(default=1, ge=1, le=10)
    top_percent: float = Field(gt=0, le=100)


class ConsecutiveTopRatingsRule(_Rule):
    """The latest `count` lettered ratings are all `letter` or better (A is best)."""

    kind: Literal["consecutive_top_ratings"]
    letter: Literal["A", "B", "C", "D"] = "A"
    count: int = Field(default=2, ge=1, le=10)


class ManagementExperienceRule(_Rule):
    """At least `min_events` employment events that put the employee at the head of a team."""

    kind: Literal["management_experience"]
    min_events: int = Field(default=1, ge=1, le=50)


class CareerPlanRule(_Rule):
    """A submitted career plan with this aspiration."""

    kind: Literal["career_plan"]
    aspiration: Literal["management", "specialist"] = "management"


class TenureRule(_Rule):
    """Employed at least `min_years` years (from the hire date to today, in the org's zone)."""

    kind: Literal["tenure"]
    min_years: float = Field(ge=0, le=60)


Rule = Annotated[
    PerformancePercentileRule
    | ConsecutiveTopRatingsRule
    | ManagementExperienceRule
    | CareerPlanRule
    | TenureRule,
    Field(discriminator="kind"),
]


class TalentPoolIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    description: str | None = Field(default=None, max_length=4000)
    target_position_id: uuid.UUID | None = None
    target_family: str | None = Field(default=None, min_length=1, max_length=100)
    rules: list[Rule] = Field(default_factory=list, max_length=10)
    active: bool = True


class TalentPoolPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    description: str | None = Field(default=None, max_length=4000)
    target_position_id: uuid.UUID | None = None
    target_family: str | None = Field(default=None, min_length=1, max_length=100)
    rules: list[Rule] | None = Field(default=None, max_length=10)
    active: bool | None = None
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class TalentPoolOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
    target_position: Ref | None
    target_family: str | None
    rules: list[Rule]
    active: bool
    created_at: datetime
    updated_at: datetime
    version: int


class ScreenRequest(BaseModel):
    """Preview who qualifies. `rules` previews unsaved rules; the pool's own by default."""

    model_config = ConfigDict(extra="forbid")

    rules: list[Rule] | None = Field(default=None, max_length=10)
    only_passing: bool = Field(
        default=True, description="false: everyone in scope, with each rule's pass or fail."
    )
    limit: int = Field(default=100, ge=1, le=500)


class CriterionResult(BaseModel):
    kind: str
    value: float | str | None = Field(description="What was found (null: no data).")
    passed: bool


class ScreenCandidate(BaseModel):
    employee: Ref
    department_id: uuid.UUID
    passed: bool
    criteria: list[CriterionResult]


class ScreenResult(BaseModel):
    evaluated: int = Field(description="Active employees in the caller's scope.")
    rules: list[Rule]
    candidates: list[ScreenCandidate]


class NineBox(BaseModel):
    model_config = ConfigDict(extra="forbid")

    performance: Level
    potential: Level


class Nomination(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID
    reason: Reason


class MemberPatch(BaseModel):
    """HR: approve (status active), graduate or remove, set readiness, place on the 9-box.
    Every change needs a reason; it is audited."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["active", "graduated", "removed"] | None = None
    readiness: Readiness | None = None
    nine_box: NineBox | None = None
    reason: Reason
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class PlacementOut(BaseModel):
    performance: Level
    potential: Level
    reason: str
    placed_at: datetime


class MemberOut(BaseModel):
    id: uuid.UUID
    pool_id: uuid.UUID
    employee: Ref
    department_id: uuid.UUID
    status: MemberStatus
    readiness: Readiness | None
    source: NominationSource
    reason: str
    nominated_at: datetime
    activated_at: datetime | None
    ended_at: datetime | None
    nine_box: PlacementOut | None
    version: int


class NineBoxCell(BaseModel):
    performance: Level
    potential: Level
    members: list[Ref]


class NineBoxOut(BaseModel):
    pool_id: uuid.UUID
    cells: list[NineBoxCell] = Field(description="All nine cells, high potential first.")
    unplaced: list[Ref] = Field(description="Nominated or active members not yet placed.")

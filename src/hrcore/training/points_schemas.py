"""Request and response shapes of point rules, the points settings, the ledger, my points and
the leaderboard."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.schemas import Ref
from hrcore.training.models import PointCategory

RuleCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
RuleName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SourceType = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,31}$")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
RulePoints = Annotated[int, Field(ge=-1000, le=1000)]
PERIOD_PATTERN = r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"


class PointRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: RuleCode = Field(description="What the rule rewards; unique in the organization.")
    name: RuleName
    category: PointCategory
    points: RulePoints


class PointRulePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: RuleName | None = None
    points: RulePoints | None = None
    active: bool | None = None
    version: int | None = Field(default=None, description="The version read; stale is 409.")


class PointRuleOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    category: PointCategory
    points: int
    active: bool
    version: int
    updated_at: datetime


class CategoryWeights(BaseModel):
    """Target weights of the categories in percent, summing to 100."""

    model_config = ConfigDict(extra="forbid")

    participation: int = Field(ge=0, le=100)
    outcome: int = Field(ge=0, le=100)
    sharing: int = Field(ge=0, le=100)


class BadgeThreshold(BaseModel):
    """A badge earned by a period's total reaching `points`."""

    model_config = ConfigDict(extra="forbid")

    points: int = Field(ge=1, le=1_000_000)
    name: RuleName


class PointSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category_weights: CategoryWeights
    badges: list[BadgeThreshold] = Field(max_length=20)
    version: int | None = Field(default=None, description="The version read; stale is 409.")


class PointSettingsOut(BaseModel):
    category_weights: CategoryWeights
    badges: list[BadgeThreshold] = Field(description="Ordered by points.")
    version: int


class PointsEntryIn(BaseModel):
    """A manual award (`employee_id`, `code`, `source_id`) or a correction (`corrects_id`,
    `points`, `reason`)."""

    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID | None = None
    code: RuleCode | None = Field(default=None, description="The rule awarded.")
    source_type: SourceType = Field(
        default="manual", description="What kind of thing the award is for (`article`…)."
    )
    source_id: uuid.UUID | None = Field(
        default=None, description="The thing awarded for: one award per rule and source."
    )
    occurred_at: AwareDatetime | None = Field(default=None, description="Default: now.")
    corrects_id: uuid.UUID | None = Field(default=None, description="The entry corrected.")
    points: RulePoints | None = Field(
        default=None, description="A correction's points (e.g. -15 to take an award back)."
    )
    reason: Reason | None = None


class PointsEntryOut(BaseModel):
    id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    rule_id: uuid.UUID | None
    rule: Ref | None
    code: str | None
    category: PointCategory
    points: int
    source_type: str
    source_id: uuid.UUID
    occurred_at: datetime
    recorded_at: datetime
    corrects_id: uuid.UUID | None
    reason: str | None
    recorded_by: uuid.UUID | None
    recorded_by_user: Ref | None


class CategoryStanding(BaseModel):
    category: PointCategory
    points: int
    target_weight: int = Field(description="The category's target share, percent.")
    share: float | None = Field(description="Its share of the total, percent; null at 0.")


class Rank(BaseModel):
    rank: int | None = Field(description="Competition ranking (1, 2, 2, 4); null: no points.")
    of: int = Field(description="People with points in the period.")


class MyPointsOut(BaseModel):
    period: str
    employee: Ref
    total: int
    categories: list[CategoryStanding]
    organization_rank: Rank
    department: Ref
    department_rank: Rank
    badges: list[BadgeThreshold] = Field(description="Earned in the period.")
    next_badge: BadgeThreshold | None
    latest: list[PointsEntryOut] = Field(description="My latest entries in the period.")


class LeaderboardEntryOut(BaseModel):
    rank: int
    employee: Ref
    department: Ref
    total: int
    participation: int | None = Field(description="Null for readers of the board who see totals.")
    outcome: int | None
    sharing: int | None

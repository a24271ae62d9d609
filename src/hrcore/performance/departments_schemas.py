"""Response shapes of department performance."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field

from hrcore.core.schemas import Ref
from hrcore.performance.schemas import IndicatorScoreOut


class DepartmentOwnScore(BaseModel):
    """The department's own observations scored against its scheme, explained per indicator
    (inputs, target, formula, weight, direction) as an employee's are."""

    overall: float = Field(description="0–100: the weighted mean of the indicators observed.")
    indicators: list[IndicatorScoreOut]


class TeamIndicator(BaseModel):
    key: str
    name: str
    members: int = Field(description="How many members have a score on it in the period.")
    value: float = Field(description="The mean of their values.")
    score: float = Field(description="The mean of their scores.")


class TeamScore(BaseModel):
    """The mean of the members' live scores (the department and the ones under it, active
    members only)."""

    members: int = Field(description="How many members have a score in the period.")
    overall: float
    indicators: list[TeamIndicator]


class DepartmentPeriodOut(BaseModel):
    period: str
    starts_on: date
    department: DepartmentOwnScore | None = Field(
        description="Null: nothing was observed for the department itself in the period."
    )
    team: TeamScore | None = Field(description="Null: no member has a score in the period.")


class DepartmentPerformanceOut(BaseModel):
    department_id: uuid.UUID
    department: Ref
    scheme: Ref | None = Field(
        description="The scheme of the department (the nearest department at or above it "
        "named by one), its current revision; null when none applies or nothing was observed."
    )
    scheme_revision: int | None
    periods: list[DepartmentPeriodOut] = Field(description="Newest first, at most 12.")

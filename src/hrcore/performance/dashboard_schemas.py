"""Response shapes of the dashboards: small, for a phone (figures, not explanations)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from hrcore.core.schemas import Ref
from hrcore.performance.schemas import Direction


class DashboardIndicator(BaseModel):
    key: str
    name: str
    unit: str
    direction: Direction
    value: float | None = Field(description="The period's value (null: nothing observed yet).")
    target: float
    score: float | None
    weight: float


class DashboardPeriod(BaseModel):
    period: str = Field(description="`2026-12` (month) or `2026-Q4` (quarter).")
    starts_on: date
    overall: float
    computed_at: datetime
    indicators: list[DashboardIndicator]


class TrendPoint(BaseModel):
    period: str
    starts_on: date
    overall: float


class IndicatorPoint(BaseModel):
    period: str
    starts_on: date
    value: float | None
    score: float | None


class IndicatorTrend(BaseModel):
    """One indicator over the periods that measured it, oldest first."""

    key: str
    name: str
    unit: str
    direction: Direction
    points: list[IndicatorPoint]


class DashboardKeyResult(BaseModel):
    id: uuid.UUID
    title: str
    unit: str
    target: float
    current: float | None = Field(description="The value now (null: nothing measured yet).")
    progress: float = Field(description="0–100, as `/goals/{id}` reads it.")


class DashboardGoal(BaseModel):
    """A goal of the current month or quarter with its progress (`/goals/{id}` explains it)."""

    id: uuid.UUID
    title: str
    period: str
    status: str
    progress: float | None = Field(description="0–100 (null: no key results yet).")
    key_results: list[DashboardKeyResult]


class MyDashboardOut(BaseModel):
    current: DashboardPeriod | None = Field(
        description="The newest period scored (null before the first score)."
    )
    trend: list[TrendPoint] = Field(description="The overall of the last 12 periods, oldest first.")
    indicator_trends: list[IndicatorTrend]
    goals: list[DashboardGoal] = Field(
        description="The caller's goals of the current month and quarter, cancelled ones left out."
    )


class ScoreBandOut(BaseModel):
    at_least: float | None = Field(description="Lower bound (null: none).")
    below: float | None = Field(description="Upper bound, excluded (null: none).")
    members: int


class TeamPoint(BaseModel):
    period: str
    starts_on: date
    members: int = Field(description="Members scored in the period.")
    mean: float = Field(description="Their mean overall score.")


class TeamIndicatorPoint(BaseModel):
    period: str
    starts_on: date
    members: int = Field(description="Members with this indicator observed.")
    mean_score: float | None
    mean_value: float | None


class TeamIndicatorTrend(BaseModel):
    """One indicator's team means over the team's last 12 periods, oldest first (the last
    point is the current period's when it was observed then)."""

    key: str
    name: str
    unit: str
    direction: Direction
    points: list[TeamIndicatorPoint]


class MemberScore(BaseModel):
    employee_id: uuid.UUID
    employee: Ref
    department_id: uuid.UUID
    department: Ref
    overall: float


class DepartmentObservationOut(BaseModel):
    """The newest value observed for the department itself (market, resources…)."""

    indicator: str
    value: float
    observed_at: datetime
    source: str


class DepartmentDashboardOut(BaseModel):
    department: Ref
    members: int = Field(description="Active employees of the department and those under it.")
    period: str | None = Field(description="The current period: the team's newest scored.")
    scored: int = Field(description="Members scored in the current period.")
    mean: float | None = Field(description="Their mean overall score.")
    distribution: list[ScoreBandOut] = Field(
        description="The current period's overall scores by band: below 60, 60–80, 80–100, "
        "100 and above."
    )
    trend: list[TeamPoint] = Field(description="The last 12 periods, oldest first.")
    indicator_trends: list[TeamIndicatorTrend]
    best: list[MemberScore] = Field(description="The highest overall scores, best first.")
    worst: list[MemberScore] = Field(description="The lowest overall scores, worst first.")
    observations: list[DepartmentObservationOut] = Field(
        description="Per indicator, the newest observation of the department itself."
    )
    goals: list[DashboardGoal] = Field(
        description="The department's own goals of the current month and quarter, cancelled "
        "ones left out."
    )

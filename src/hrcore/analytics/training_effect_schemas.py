"""The training figure's response: the effect of courses and the points distribution."""

from __future__ import annotations

from pydantic import BaseModel, Field

from hrcore.analytics.schemas import FigureWindow


class TrainingEffectCategory(BaseModel):
    """One course category's enrolments in the window (`""`: courses without one)."""

    category: str
    enrolled: int
    completed: int
    examined: int = Field(description="Completed in a course with an exam (a pass mark).")
    exam_passed: int
    action_plans: int = Field(description="Action plans submitted.")
    completion_rate: float | None = Field(description="completed ÷ enrolled; null: none.")
    pass_rate: float | None = Field(description="exam_passed ÷ examined; null: none.")


class PointsBand(BaseModel):
    band: str = Field(description="`0`, `1-19`, `20-49`, `50-99` or `100+` points.")
    people: int


class PointsDistribution(BaseModel):
    """One points category's people per band over the years in the window."""

    category: str = Field(description="`participation`, `outcome`, `sharing` or `total`.")
    label: str
    people: int = Field(description="People with a balance of the year.")
    mean: float | None = Field(description="Mean points per person; null: none.")
    bands: list[PointsBand]


class TrainingEffectOut(FigureWindow):
    effect: list[TrainingEffectCategory] = Field(description="Per course category.")
    overall: TrainingEffectCategory = Field(description="Every category (`category` is `all`).")
    points: list[PointsDistribution] = Field(
        description="The yearly balances whose year begins in the window, per category."
    )

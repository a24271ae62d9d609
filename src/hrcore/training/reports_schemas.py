"""Response models of training's reports (`/training-reports/…`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from hrcore.core.schemas import Ref

PERIOD_PATTERN = r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"


class TrainingReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class TrainingCategoryShare(BaseModel):
    points: int
    share: float | None = Field(
        description="Percent of the points of all categories; null when they sum to zero."
    )
    target: int = Field(description="The category's target weight in percent (settings).")
    gap: float | None = Field(description="share − target, in percentage points.")


class TrainingCategoryFigures(BaseModel):
    people: int = Field(description="Employees with points in the period.")
    total: int
    participation: TrainingCategoryShare
    outcome: TrainingCategoryShare
    sharing: TrainingCategoryShare


class TrainingDepartmentPoints(TrainingCategoryFigures):
    department: Ref = Field(description="The employees' own department (not its subtree).")


class TrainingPointsByCategory(BaseModel):
    period: str
    department: Ref | None = Field(description="The subtree reported; null: the organization.")
    overall: TrainingCategoryFigures = Field(description="The whole subtree (or organization).")
    departments: list[TrainingDepartmentPoints] = Field(description="By department name.")


class TrainingCourseFigures(BaseModel):
    course: Ref
    mode: str = Field(description="online or offline.")
    sessions: int = Field(description="Classes not cancelled.")
    enrolled: int = Field(description="Enrolments not cancelled or waitlisted.")
    attended: int = Field(description="Checked in, or completed online.")
    late: int
    completed: int
    completion_rate: float | None = Field(description="completed / enrolled in percent.")
    action_plans: int
    mean_plan_score: float | None = Field(description="Over the plans scored by HR and manager.")
    adopted_plans: int


class TrainingCoursesReport(BaseModel):
    items: list[TrainingCourseFigures] = Field(description="By course name.")


class TrainingFigureChange(BaseModel):
    n: int = Field(description="Participants with a figure both before and after.")
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None = Field(description="Mean of after − before over the n.")


class TrainingCourseEffect(BaseModel):
    course: Ref
    first_session_at: datetime | None = Field(
        description="Before and after are counted from here (for an online course, from "
        "each participant's completion)."
    )
    participants: int = Field(description="Who attended, in the caller's reach.")
    performance: TrainingFigureChange = Field(
        description="Overall live score (0–100): the latest period starting before the "
        "course → the latest starting since."
    )
    competencies: TrainingFigureChange = Field(
        description="Mean score (0–10) on the course's competencies: the newest profile "
        "before the course → the newest since."
    )


class TrainingCourseCost(BaseModel):
    course: Ref
    fee: Decimal | None = Field(description="Per participant.")
    participants: int = Field(description="Enrolments not cancelled or waitlisted.")
    sessions: int
    fees: Decimal = Field(description="fee × participants.")
    allowance: Decimal = Field(
        description="The instructor allowance of the classes, shared by the participants in "
        "reach when the reach is not the whole organization."
    )
    cost: Decimal = Field(description="fees + allowance.")
    performance: TrainingFigureChange
    cost_per_performance_point: Decimal | None = Field(
        description="cost ÷ (mean change × n); null unless the change is positive."
    )


class TrainingCostTotal(BaseModel):
    participants: int
    cost: Decimal
    performance: TrainingFigureChange
    cost_per_performance_point: Decimal | None


class TrainingCostReport(BaseModel):
    items: list[TrainingCourseCost] = Field(description="By course name.")
    total: TrainingCostTotal

"""The retention figure's response: turnover of each cohort against the rest, and by exit
reason."""

from __future__ import annotations

from pydantic import BaseModel, Field

from hrcore.analytics.schemas import FigureWindow


class StaffTurnover(BaseModel):
    """Turnover of one population in the window: leavers ÷ average headcount."""

    headcount_start: int = Field(description="Employed the day before the window starts.")
    headcount_end: int = Field(description="Employed on the window's last day.")
    average_headcount: float = Field(description="(headcount_start + headcount_end) ÷ 2.")
    leavers: int = Field(description="Exits in the window.")
    rate: float | None = Field(description="leavers ÷ average_headcount; null: nobody employed.")
    annualized_rate: float | None = Field(
        description="rate × 12 ÷ the window's months (equal to rate for twelve months)."
    )


class CohortTurnover(BaseModel):
    """One cohort's turnover against everyone else's."""

    cohort: str = Field(
        description="`program_graduates`, `trained_managers`, `new_hires` or `mentees`."
    )
    label: str
    members: StaffTurnover
    rest: StaffTurnover = Field(description="Everyone not in the cohort.")


class ReasonTurnover(BaseModel):
    """The exits of one reason in the window."""

    reason: str = Field(description="An exit reason category, or `not_recorded`.")
    label: str
    leavers: int
    rate: float | None = Field(description="leavers ÷ everyone's average headcount.")
    share: float | None = Field(description="leavers ÷ all leavers; null: nobody left.")


class StaffRetentionOut(FigureWindow):
    months: int = Field(description="The window's months.")
    overall: StaffTurnover = Field(description="Everyone in the scope.")
    cohorts: list[CohortTurnover]
    by_reason: list[ReasonTurnover]

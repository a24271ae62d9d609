"""The funnel's and the vacancy fill's responses."""

from __future__ import annotations

from pydantic import BaseModel, Field

from hrcore.analytics.schemas import FigureWindow


class FunnelStep(BaseModel):
    """One step of the loop in the window and how many of the step before reached it."""

    step: str = Field(
        description="`pool_member`, `program_completion`, `attainment` or `appointment`."
    )
    label: str
    people: int = Field(description="Pool members counted in this step in the window.")
    conversion: float | None = Field(
        description="people ÷ the previous step's people; null for the first step or none before."
    )


class FunnelOut(FigureWindow):
    steps: list[FunnelStep]


class VacancyFillOut(FigureWindow):
    """Vacancies filled in the window, from inside or otherwise, and how long it took."""

    filled: int
    internal: int = Field(description="Filled by an active pool member or a competition applicant.")
    other: int = Field(description="Filled by someone else (an appointment with an override).")
    internal_fill_rate: float | None = Field(description="internal ÷ filled; null: none filled.")
    median_days_to_fill: float | None = Field(
        description="Median whole days from opening to filling; null: none filled."
    )

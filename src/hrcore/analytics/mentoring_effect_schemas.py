"""The mentoring effectiveness figure's response."""

from __future__ import annotations

from pydantic import BaseModel, Field

from hrcore.analytics.schemas import FigureWindow


class MentoringCount(BaseModel):
    """One step's people in the window."""

    step: str
    label: str
    count: int


class MentoringMean(BaseModel):
    """One outcome's mean over the pairings (or mentors) it was measured for."""

    step: str
    label: str
    counted: int = Field(description="How many pairings (mentors, for the score) it is over.")
    mean: float | None = Field(description="The mean value; null: none measured.")


class MentoringEffectOut(FigureWindow):
    pairings: list[MentoringCount] = Field(
        description="Pairings running (by start), completed and cancelled (by end)."
    )
    sessions: list[MentoringCount] = Field(
        description="Scheduled sessions due in the window and sessions logged."
    )
    held_rate: float | None = Field(
        description="Sessions held ÷ sessions planned; null: none planned."
    )
    outcomes: list[MentoringMean] = Field(
        description="Mean rating gain and skill-test gain (%), goals reached (%) of the "
        "mentees, and the mentors' mean effectiveness score (0–100)."
    )

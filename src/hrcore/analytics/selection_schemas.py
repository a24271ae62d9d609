"""Selection accuracy's response: at 6 and 12 months after appointments from pools."""

from __future__ import annotations

from pydantic import BaseModel, Field

from hrcore.analytics.schemas import FigureWindow


class SelectionMark(BaseModel):
    """The appointments from pools whose mark (6 or 12 months on) fell in the window."""

    mark: str = Field(description="`6_months` or `12_months`.")
    label: str
    appointed: int = Field(description="Appointments counted at this mark.")
    rated_well: int = Field(description="In post, latest rating 4+ of 5 (A or B).")
    rated_below: int = Field(description="In post, latest rating below 4 (C or D).")
    not_rated: int = Field(description="In post, no rating since the appointment.")
    transferred: int = Field(description="Transferred by the mark.")
    left: int = Field(description="Exited by the mark.")
    in_post_share: float | None = Field(description="In post ÷ appointed; null: none.")
    accuracy: float | None = Field(description="Rated well ÷ appointed; null: none.")


class SelectionAccuracyOut(FigureWindow):
    marks: list[SelectionMark]

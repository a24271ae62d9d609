"""Request and response shapes of the working calendar."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.calendar import Basis
from hrcore.core.schemas import BoundedDate


class CalendarDayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: BoundedDate
    working: bool = Field(description="true: a working day (a make-up day); false: a day off.")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = (
        Field(description="年会, 公司年假, 调休上班… (blank is refused)")
    )


class CalendarDayOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    day: date
    working: bool
    name: str
    created_at: datetime


class YearDay(BaseModel):
    """A day that is not what Monday-to-Friday says: a holiday on a weekday or a weekend
    worked, from the official schedule or the organization's own days (which win)."""

    day: date
    working: bool
    name: str
    source: Literal["official", "organization"]


class WorkingYearOut(BaseModel):
    year: int
    basis: Basis = Field(
        description="official: the published State Council schedule is known for the year; "
        "weekends_only: it is not yet, so only weekends and the organization's own days are "
        "days off."
    )
    note: str = Field(description="The basis in the reader's language.")
    working_days: int = Field(description="How many working days the year has.")
    days: list[YearDay] = Field(description="The exceptions to Monday-to-Friday, by date.")

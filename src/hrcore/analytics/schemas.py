"""The figures' responses and the drill-down's rows."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from hrcore.core.schemas import Ref


class FigureWindow(BaseModel):
    """Which people and months a figure counts, and how current it is."""

    department: Ref | None = Field(description="The subtree counted; null: the organization.")
    start: date = Field(description="First month counted (its first day).")
    end: date = Field(description="Last day counted.")
    refreshed_at: datetime | None = Field(
        description="When the worker last brought this figure up to date; null: not yet."
    )


class OnTimeArea(BaseModel):
    """One area's tasks done or due in the window."""

    area: str = Field(description="`program_stage`, `review`, `mentoring_session` or `all`.")
    label: str
    on_time: int
    late: int = Field(description="Done after the deadline.")
    overdue: int = Field(description="Still open past the deadline.")
    rate: float | None = Field(description="on_time ÷ (on_time + late + overdue); null: none.")


class OnTimeOut(FigureWindow):
    areas: list[OnTimeArea]
    overall: OnTimeArea


class AnalyticsPersonOut(BaseModel):
    """One person behind a figure and why they are counted there."""

    id: uuid.UUID = Field(description="The fact's id (stable until the figure is refreshed).")
    employee: Ref
    department: Ref | None
    step: str
    step_label: str
    dimension: str = Field(
        description="The figure's breakdown (an area, a position…); may be empty."
    )
    occurred_on: date
    value: Decimal | None
    reason: str = Field(description="Why this person is counted, in the reader's language.")

"""Response shapes of decline alerts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from hrcore.core.schemas import Ref


class SeriesPoint(BaseModel):
    period: str
    value: float


class PerformanceAlertOut(BaseModel):
    """An indicator of an employee's period worse than its trailing average by more than its
    threshold, with the figures that raised it."""

    id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    indicator: str
    indicator_name: str
    unit: str
    direction: Literal["higher", "lower"]
    period: str = Field(description="The period judged (`2026-12`, `2026-Q4`).")
    starts_on: date
    scheme_id: uuid.UUID
    value: float = Field(description="The period's value.")
    average: float = Field(description="The mean of `series`.")
    series: list[SeriesPoint] = Field(description="The trailing window, oldest first.")
    window: int = Field(description="How many periods the average is over.")
    threshold: float = Field(description="The % worse than the average that raises an alert.")
    decline: float = Field(
        description="How much worse than the average the value is, in %, read in the "
        "indicator's direction (a rise of a lower-is-better indicator)."
    )
    raised_at: datetime

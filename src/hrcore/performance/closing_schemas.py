"""Request and response models of period close, calibration and the rating policy."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hrcore.core.i18n import _
from hrcore.core.schemas import Ref

PERIOD_ID_PATTERN = r"^(19|20)\d{2}-(0[1-9]|1[0-2]|Q[1-4])$"
"""A period's id is its name: a month (`2026-11`) or a quarter (`2026-Q4`)."""
PeriodId = Annotated[str, StringConstraints(pattern=PERIOD_ID_PATTERN)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Letter = Literal["A", "B", "C", "D"]
Overall = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]


class LetterFloors(BaseModel):
    """The lowest overall (0–100) that earns each letter; below `C` is `D`."""

    model_config = ConfigDict(extra="forbid")

    A: Overall
    B: Overall
    C: Overall

    @model_validator(mode="after")
    def _descending(self) -> LetterFloors:
        if not self.A > self.B > self.C:
            raise ValueError(_("the floors must fall from A to C"))
        return self


class Guideline(BaseModel):
    """The share of a period's people each letter should have, in percent (sum 100)."""

    model_config = ConfigDict(extra="forbid")

    A: Overall
    B: Overall
    C: Overall
    D: Overall

    @model_validator(mode="after")
    def _whole(self) -> Guideline:
        if abs(self.A + self.B + self.C + self.D - 100) > 1e-6:
            raise ValueError(_("the shares must sum to 100"))
        return self


class RatingPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_days: int = Field(
        ge=0, le=90, description="Days after a period's end before the cron closes it."
    )
    letters: LetterFloors
    guideline: Guideline


class RatingPolicyIn(RatingPolicy):
    version: int | None = Field(
        default=None, description="The version read (or send `If-Match`); 409 when stale."
    )


class RatingPolicyOut(RatingPolicy):
    version: int = Field(description="0 while the organization keeps the defaults.")


class LetterShare(BaseModel):
    letter: Letter
    guideline: float = Field(description="The guideline's share, in percent.")
    before: int = Field(description="People with this letter by their score as computed.")
    before_share: float
    after: int = Field(description="People with this letter after calibration.")
    after_share: float


class PerformancePeriodOut(BaseModel):
    id: str = Field(description="The period's name, its stable id.")
    kind: Literal["month", "quarter"]
    starts_on: date
    ends_on: date = Field(description="The day after the period.")
    state: Literal["open", "closed"]
    employees: int = Field(description="People with a score in the period.")
    calibrated: int = Field(description="People whose result HR calibrated.")
    closed_at: datetime | None
    closed_by: uuid.UUID | None = Field(description="None when the cron closed it.")
    reopened_at: datetime | None
    reopen_reason: str | None


class PerformancePeriodDetailOut(PerformancePeriodOut):
    distribution: list[LetterShare] = Field(
        description="Letters against the guideline: open periods from the live scores "
        "(before = after), closed ones before and after calibration."
    )


class PeriodResultOut(BaseModel):
    employee_id: uuid.UUID
    employee: Ref
    overall: float = Field(description="The frozen score, as computed.")
    calibrated: float | None = Field(description="HR's calibrated score, None if not calibrated.")
    calibration_reason: str | None
    calibrated_by: uuid.UUID | None
    calibrated_at: datetime | None
    original_letter: Letter = Field(description="The letter the computed score earns.")
    letter: Letter = Field(description="The rating's letter (from the calibrated score if any).")
    score: float = Field(description="The rating's score on the 1–5 scale.")


class PeriodReopenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class CalibrationAdjustment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID
    overall: Overall = Field(description="The calibrated score, 0–100.")
    reason: Reason


class CalibrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    adjustments: list[CalibrationAdjustment] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _once_each(self) -> CalibrationIn:
        if len({a.employee_id for a in self.adjustments}) != len(self.adjustments):
            raise ValueError(_("each employee at most once"))
        return self

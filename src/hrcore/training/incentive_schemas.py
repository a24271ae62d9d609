"""Request and response models of incentives: the rules, an evaluation, an incentive."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from hrcore.core.masking import MaskedModel, PayAmount
from hrcore.core.schemas import Ref
from hrcore.training.incentive_models import EvaluationStatus, IncentiveKind, IncentiveStatus

PERIOD_PATTERN = r"^(19|20|21)[0-9]{2}(-Q[1-4])?$"
Period = Annotated[
    str,
    Field(
        pattern=PERIOD_PATTERN,
        description="A quarter (`2026-Q4`) or a year (`2026`), 1900 to 2199.",
    ),
]


class IncentiveRulesIn(BaseModel):
    """The organization's incentive thresholds (the seeds' values are the defaults)."""

    model_config = ConfigDict(extra="forbid")

    top_percent: Decimal = Field(
        gt=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="A quarter's top share (in percent of the ranked) that earns the coefficient.",
    )
    top_coefficient: Decimal = Field(
        gt=0,
        le=10,
        max_digits=4,
        decimal_places=2,
        description="The bonus coefficient added for the top share (+0.1).",
    )
    competition_points: int = Field(
        ge=1, le=100_000, description="A quarter's points for the next-level competition (100)."
    )
    benefits_points: int = Field(
        ge=1, le=100_000, description="A quarter's points for the benefits (80)."
    )
    excellent_points: int = Field(
        ge=1, le=100_000, description='A year\'s points an "excellent" rating requires (80).'
    )
    promotion_points: int = Field(
        ge=1, le=100_000, description="Points in the last 12 months promotion requires (120)."
    )
    promotion_plan_percent: int = Field(
        ge=0, le=100, description="Action plans completed (scored of due) promotion requires (80)."
    )
    bonus_step_points: int = Field(
        ge=1, le=100_000, description="Every this many points of a quarter add a bonus step (10)."
    )
    bonus_step_percent: Decimal = Field(
        gt=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="The bonus percent of one step (1).",
    )
    bonus_cap_percent: Decimal = Field(
        gt=0,
        le=100,
        max_digits=5,
        decimal_places=2,
        description="The most bonus percent a quarter earns (5).",
    )
    version: int | None = Field(
        default=None, description="The version read; a stale one is 409 (or send `If-Match`)."
    )


class IncentiveRulesOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    top_percent: Decimal
    top_coefficient: Decimal
    competition_points: int
    benefits_points: int
    excellent_points: int
    promotion_points: int
    promotion_plan_percent: int
    bonus_step_points: int
    bonus_step_percent: Decimal
    bonus_cap_percent: Decimal
    version: int = Field(description="0 while the defaults were never written.")


class IncentiveEvaluationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: Period


class IncentiveEvaluationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    period: str
    status: EvaluationStatus
    incentives: int | None = Field(description="How many incentives it wrote, once done.")
    evaluated_at: datetime | None
    created_at: datetime


class IncentiveReasons(BaseModel):
    """The figures that made an incentive: the points counted and the thresholds met (or
    missed), with the rank for a top share and the action plans for promotion."""

    points: int
    threshold: Decimal | None = None
    rank: int | None = Field(default=None, description="1 is the most points; ties share.")
    ranked: int | None = Field(default=None, description="Employees with points in the period.")
    top_percent: Decimal | None = Field(
        default=None, description="The share of the ranked with at least as many points."
    )
    plans_scored: int | None = None
    plans_due: int | None = None
    plan_completion_percent: Decimal | None = None
    plan_threshold_percent: int | None = None


class IncentiveOut(MaskedModel):
    """An incentive of one employee. Its `amount` is pay (`x-masked`): clear for the
    employee, HR admins and keys with `sensitive:read`, `null` for their managers
    (docs/privacy.md); `kind` and `eligible` stay."""

    masking_subject = "employee_id"
    masking_object = "incentive"

    id: uuid.UUID
    period: str
    employee_id: uuid.UUID
    employee: Ref
    kind: IncentiveKind
    amount: PayAmount = Field(
        description="The coefficient (`bonus_coefficient`) or percent (`bonus_percent`); "
        "none for eligibility kinds. Pay: `null` (masked) for whoever may not see it — "
        "everyone but the employee, HR admins and keys with `sensitive:read` (core.masking)."
    )
    eligible: bool
    reasons: IncentiveReasons
    status: IncentiveStatus
    created_at: datetime
    granted_by: uuid.UUID | None
    granted_by_user: Ref | None
    granted_at: datetime | None

"""Retention rules and the dry run, as clients send and read them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hrcore.core.i18n import Rendered, _
from hrcore.core.pagination import Page
from hrcore.core.privacy import DataClass
from hrcore.core.schemas import Ref
from hrcore.privacy.retention_kinds import RetentionAction, RetentionEvent, SubjectKind

MAX_YEARS = 100


class PeriodUnit(StrEnum):
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"


DAYS_IN = {PeriodUnit.DAYS: 1, PeriodUnit.MONTHS: 31, PeriodUnit.YEARS: 366}
MIN_DAYS_IN = {PeriodUnit.DAYS: 1.0, PeriodUnit.MONTHS: 365 / 12, PeriodUnit.YEARS: 365.0}
"""A unit's days in a common year (a period against a kind's minimum: 36 months = 3 years)."""


class RetentionPeriod(BaseModel):
    """How long after its event a record is kept: `{"amount": 3, "unit": "years"}`."""

    model_config = ConfigDict(extra="forbid")

    amount: int = Field(ge=1, description=f"At least 1; the period is at most {MAX_YEARS} years.")
    unit: PeriodUnit

    @model_validator(mode="after")
    def _at_most_a_century(self) -> RetentionPeriod:
        if self.amount * DAYS_IN[self.unit] > MAX_YEARS * 366:
            raise ValueError(_("a retention period is at most {years} years", years=MAX_YEARS))
        return self


class RetentionRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject_kind: SubjectKind = Field(description="What the rule purges (one rule per kind).")
    period: RetentionPeriod
    action: RetentionAction = Field(
        description="What happens when the period is over; each kind offers one action "
        "(`departed_employee_identity`: `anonymise`; the others: `delete`)."
    )
    enabled: bool = True


class RetentionRuleChange(BaseModel):
    """Fields to change; `version` (or `If-Match`) guards against a concurrent change."""

    model_config = ConfigDict(extra="forbid")

    period: RetentionPeriod | None = None
    action: RetentionAction | None = None
    enabled: bool | None = None
    version: int | None = None


class RetentionRuleOut(BaseModel):
    id: uuid.UUID
    subject_kind: SubjectKind
    description: Rendered = Field(description="What the kind covers, in the reader's language.")
    data_classes: list[DataClass]
    event: RetentionEvent = Field(description="What starts the period.")
    period: RetentionPeriod
    action: RetentionAction
    enabled: bool
    version: int
    created_at: datetime
    updated_at: datetime


class RetentionDryRunIn(BaseModel):
    """Without `rule_id`: every enabled rule, each with the first page of its sample; with
    it: that rule (enabled or not), the page after `cursor`."""

    model_config = ConfigDict(extra="forbid")

    rule_id: uuid.UUID | None = None


class RetentionDryRunItem(BaseModel):
    id: uuid.UUID = Field(description="The record that would be purged.")
    employee_id: uuid.UUID | None = Field(
        description="Whose data it is (a review's participant, never a rater); null for a "
        "record of no one person (a delivery log entry)."
    )
    employee: Ref | None
    event_on: date = Field(description="The day of the event the period runs from.")


class RetentionDryRunRule(BaseModel):
    rule_id: uuid.UUID
    subject_kind: SubjectKind
    action: RetentionAction
    cutoff: datetime = Field(description="Records whose event came before this would go.")
    count: int = Field(description="How many would go now (employees under legal hold spared).")
    sample: Page[RetentionDryRunItem]


class RetentionDryRunOut(BaseModel):
    rules: list[RetentionDryRunRule]

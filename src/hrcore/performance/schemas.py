"""Request and response shapes of performance schemes, metric observations and live
scores."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hrcore.core.i18n import Rendered, _
from hrcore.core.schemas import BoundedDatetime, Ref

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
Weight = Annotated[float, Field(gt=0, le=100)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
Period = Literal["month", "quarter"]
Aggregation = Literal["sum", "mean", "last", "rate"]
Direction = Literal["higher", "lower"]
TOLERANCE = 0.01
MAX_BATCH = 10_000


def sums_to_100(weights: list[float]) -> bool:
    return abs(sum(weights) - 100) < TOLERANCE


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScoreBand(Strict):
    at_least: Finite = Field(
        description="The threshold: reached at or above it, or at or below it when lower is better."
    )
    score: float = Field(ge=0, le=100)


class IndicatorFormula(Strict):
    """How the period's value becomes 0–100 against the target (`core.scoring`): `ratio`,
    `linear` (0 at `floor`, 100 at the target) or `banded`. Data, never code."""

    kind: Literal["ratio", "linear", "banded"]
    cap: float = Field(default=100, gt=0, le=100)
    floor: Finite = Field(
        default=0,
        description="`linear`: the value scoring 0 (above the target when lower is better).",
    )
    bands: list[ScoreBand] = Field(default_factory=list, max_length=10)


class ReviewPeerSource(Strict):
    """Peers' ratings on a review form's indicators: when a result of a cycle run on the
    form is published, the peers' mean score (0–100) on these indicators becomes an
    observation of this indicator (source `review`), if enough peers answered."""

    kind: Literal["review_peer_rating"]
    review_template_id: uuid.UUID = Field(description="The review form (`/review-templates`).")
    template_indicator_keys: list[Key] = Field(
        min_length=1, max_length=20, description="Keys of the form's indicators averaged."
    )


class IndicatorSpec(Strict):
    key: Key
    name: Name
    unit: Unit
    direction: Direction = Field(description="`lower`: less is better (response time).")
    weight: Weight = Field(
        description="The indicator's share of the overall score; all sum to 100."
    )
    target: Finite = Field(description="The value aimed at in one period.")
    formula: IndicatorFormula
    aggregation: Aggregation = Field(
        description="How a period's observations make its value: `sum`, `mean`, `last` (the "
        "latest observed), `rate` (the share of observations that are not 0, in percent)."
    )
    decline_window: int = Field(
        default=3, ge=1, le=12, description="Decline alerts: periods averaged."
    )
    decline_threshold: float = Field(
        default=25, gt=0, le=1000, description="Decline alerts: % worse."
    )
    diagnosis_streak: int = Field(
        default=3, ge=2, le=12, description="Diagnosis: ended periods below target in a row."
    )
    source: ReviewPeerSource | None = Field(
        default=None,
        description="A source inside hrcore that records this indicator's observations "
        "(null: they come from ingestion only).",
    )


class SchemeDepartmentOverride(Strict):
    """A department subtree's variant: its own weights (still summing to 100 with the
    scheme's others) and/or its own targets."""

    department_id: uuid.UUID
    weights: dict[Key, Weight] = Field(default_factory=dict, max_length=30)
    targets: dict[Key, Finite] = Field(default_factory=dict, max_length=30)

    @model_validator(mode="after")
    def _changes_something(self) -> SchemeDepartmentOverride:
        if not self.weights and not self.targets:
            raise ValueError(_("a department override sets weights or targets"))
        return self


class PerformanceSchemeIn(Strict):
    name: Name
    period: Period
    position_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=200, description="Employees in these positions."
    )
    department_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=200,
        description="Employees in these department subtrees (a position's scheme wins).",
    )
    indicators: list[IndicatorSpec] = Field(min_length=1, max_length=30)
    department_overrides: list[SchemeDepartmentOverride] = Field(
        default_factory=list, max_length=50
    )

    @model_validator(mode="after")
    def _consistent(self) -> PerformanceSchemeIn:
        if not self.position_ids and not self.department_ids:
            raise ValueError(_("a scheme names positions or departments it applies to"))
        keys = [indicator.key for indicator in self.indicators]
        if len(set(keys)) != len(keys):
            raise ValueError(_("indicator keys must be unique"))
        weights = {indicator.key: indicator.weight for indicator in self.indicators}
        if not sums_to_100(list(weights.values())):
            raise ValueError(
                _("indicator weights must sum to 100, not {total}", total=sum(weights.values()))
            )
        for index, override in enumerate(self.department_overrides):
            unknown = sorted((set(override.weights) | set(override.targets)) - set(keys))
            if unknown:
                raise ValueError(
                    _(
                        "department_overrides.{index}: no indicator {keys}",
                        index=index,
                        keys=", ".join(unknown),
                    )
                )
            if override.weights and not sums_to_100(list((weights | override.weights).values())):
                raise ValueError(
                    _(
                        "department_overrides.{index}: weights must sum to 100, not {total}",
                        index=index,
                        total=sum((weights | override.weights).values()),
                    )
                )
        return self


class PerformanceSchemePatch(PerformanceSchemeIn):
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class PerformanceSchemeOut(BaseModel):
    id: uuid.UUID
    name: str
    period: Period
    position_ids: list[uuid.UUID]
    department_ids: list[uuid.UUID]
    indicators: list[IndicatorSpec]
    department_overrides: list[SchemeDepartmentOverride]
    revision: int
    created_at: datetime
    updated_at: datetime
    version: int


class PerformanceSchemeRevisionOut(BaseModel):
    """A scheme as it was at one revision (what a period's scores started on)."""

    template_id: uuid.UUID
    revision: int
    name: str
    period: Period
    position_ids: list[uuid.UUID]
    department_ids: list[uuid.UUID]
    indicators: list[IndicatorSpec]
    department_overrides: list[SchemeDepartmentOverride]
    created_at: datetime


# --- observations ---------------------------------------------------------------------------

SourceName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ObservationIn(Strict):
    """One measured value for an employee or a department (exactly one)."""

    employee_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    indicator: Key
    value: float = Field(description="A finite number; anything else is refused for this item.")
    observed_at: BoundedDatetime
    source: SourceName = Field(description="The system it comes from (`jira`, `crm`, `manual`).")
    external_id: ExternalId = Field(
        description="The source's own id: a repeat with the same value is ignored, with "
        "another value it is a correction."
    )


class ObservationBatchIn(Strict):
    items: list[ObservationIn] = Field(min_length=1, max_length=MAX_BATCH)


Outcome = Literal["recorded", "corrected", "unchanged", "refused"]


class ItemResult(BaseModel):
    """What became of one item, by its position in the batch."""

    index: int
    outcome: Outcome
    id: uuid.UUID | None = Field(description="The stored observation (null when refused).")
    error: Rendered | None = Field(description="Why it was refused, in the reader's language.")


class ObservationBatchOut(BaseModel):
    recorded: int
    corrected: int
    unchanged: int
    refused: int
    items: list[ItemResult]


class ObservationOut(BaseModel):
    id: uuid.UUID
    employee_id: uuid.UUID | None
    employee: Ref | None
    department_id: uuid.UUID | None
    department: Ref | None
    indicator: str
    value: float
    observed_at: datetime
    source: str
    external_id: str
    revision: int = Field(description="1, then one more for each correction.")
    recorded_at: datetime


# --- scores ---------------------------------------------------------------------------------


class ScoreInput(BaseModel):
    id: uuid.UUID
    value: float
    observed_at: datetime
    source: str | None = Field(
        default=None,
        description="Where the observation came from (`review`, `jira`…); null on scores "
        "computed before sources were shown.",
    )


class IndicatorScoreOut(BaseModel):
    """One indicator of a period: the score and everything it was computed from."""

    key: str
    name: str
    unit: str
    direction: Direction
    weight: float
    weight_from: Literal["scheme", "department"]
    target: float
    target_from: Literal["scheme", "department"]
    formula: IndicatorFormula
    aggregation: Aggregation
    observations: int = Field(description="How many observations the value is made of.")
    inputs: list[ScoreInput] = Field(description="The newest of them (at most 20), oldest first.")
    value: float | None = Field(description="The period's value (null: nothing observed yet).")
    score: float | None


class PerformanceScoreOut(BaseModel):
    period: str = Field(description="`2026-12` (month) or `2026-Q4` (quarter).")
    starts_on: date
    scheme_id: uuid.UUID
    scheme: Ref
    scheme_revision: int
    overall: float = Field(
        description="0–100: the weighted mean of the indicators observed so far (weights of "
        "the others left out)."
    )
    indicators: list[IndicatorScoreOut]
    computed_at: datetime


class EmployeePerformanceOut(BaseModel):
    employee: Ref
    periods: list[PerformanceScoreOut] = Field(description="Newest first.")

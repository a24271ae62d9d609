"""Request and response shapes of the competency library and the models per position."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.schemas import BoundedDatetime, Ref

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Indicator = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Category = Literal["management", "professional", "general"]
MAX_LEVELS = 10


class CompetencyLevelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = Field(description="What the level is called (入门, 熟练, 精通…).")
    indicators: list[Indicator] = Field(
        default_factory=list,
        max_length=20,
        description="Behavioural indicators: what someone at this level does.",
    )


class CompetencyLevel(CompetencyLevelIn):
    level: int = Field(description="1 for the first level in the list, counting up.")


class CompetencyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    category: Category
    description: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None
    ) = None
    levels: list[CompetencyLevelIn] = Field(
        min_length=1,
        max_length=MAX_LEVELS,
        description="From the lowest level up; the first is level 1 (at most 10).",
    )


class CompetencyPatch(CompetencyIn):
    version: int | None = None


class CompetencyOut(BaseModel):
    id: uuid.UUID
    name: str
    category: Category
    description: str | None
    levels: list[CompetencyLevel]
    revision: int
    version: int
    created_at: datetime
    updated_at: datetime


class CompetencyRevisionOut(BaseModel):
    template_id: uuid.UUID
    revision: int
    created_at: datetime
    name: str
    category: Category
    description: str | None
    levels: list[CompetencyLevel]


class ModelEntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    competency_id: uuid.UUID
    required_level: int = Field(ge=1, le=MAX_LEVELS, description="Within the competency's levels.")
    weight: int = Field(ge=1, le=100, description="Share of the model; the weights sum to 100.")


class CompetencyModelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: list[ModelEntryIn] = Field(min_length=1, max_length=50)
    version: int | None = Field(
        None, description="The version the client read (409 when another was saved since)."
    )


class ModelEntryOut(BaseModel):
    competency_id: uuid.UUID
    competency: Ref
    required_level: int
    weight: int
    levels: int = Field(description="How many levels the competency has now.")


class CompetencyModelOut(BaseModel):
    position_id: uuid.UUID
    position: Ref
    department_id: uuid.UUID | None = Field(
        description="The department of this variant; null for the position's general model."
    )
    department: Ref | None
    version: int
    entries: list[ModelEntryOut]
    created_at: datetime


class EvidenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID
    competency_id: uuid.UUID
    value: float = Field(ge=0, le=10, description="Where the employee stands, 0–10.")
    note: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="What the assessment rests on (required).")
    observed_at: BoundedDatetime | None = Field(
        None, description="When it was observed; now if left out."
    )


class EvidenceOut(BaseModel):
    id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    competency_id: uuid.UUID
    competency: Ref
    value: float
    source_kind: str
    source_id: uuid.UUID
    source_weight: float
    observed_at: datetime
    note: str | None


class EvidenceUsed(BaseModel):
    """One piece of evidence behind a figure and the weight it counted with."""

    id: uuid.UUID
    source_kind: str = Field(description="manual, review, program_evaluation, …")
    source_id: uuid.UUID = Field(
        description="The source event: a manual assessment's own id, a review result's id."
    )
    value: float
    note: str | None = Field(
        None,
        description="How the source arrived at the value: an assessment's note; a review's "
        "cycle and the indicators behind it, with their shares.",
    )
    source_weight: float = Field(description="The source's own weight.")
    weight: float = Field(
        description="What it counted with: kind weight × source weight × recency decay."
    )
    observed_at: datetime


class CompetencyFigure(BaseModel):
    competency_id: uuid.UUID
    competency: Ref
    score: float = Field(description="0–10: the weighted mean of the evidence.")
    sources: int = Field(description="How many source events stand behind the score.")
    evidence: list[EvidenceUsed]


class ScorePoint(BaseModel):
    competency_id: uuid.UUID
    score: float


class ProfileSnapshot(BaseModel):
    computed_at: datetime
    scores: list[ScorePoint]


class CompetencyProfileOut(BaseModel):
    employee_id: uuid.UUID
    employee: Ref
    computed_at: datetime | None = Field(
        description="When the figures were computed; null before any evidence."
    )
    competencies: list[CompetencyFigure]
    history: list[ProfileSnapshot] = Field(
        description="The latest recomputes that changed a figure, newest first (at most 20)."
    )


class GapLine(BaseModel):
    competency_id: uuid.UUID
    competency: Ref
    weight: int
    required_level: int
    levels: int
    required: float = Field(description="The required level on the profile's 0–10 scale.")
    current: float | None = Field(description="The profile's score; null without evidence.")
    gap: float = Field(description="How far below the requirement, 0 when met.")
    met: bool


class CompetencyGapsOut(BaseModel):
    employee_id: uuid.UUID
    employee: Ref
    position_id: uuid.UUID
    position: Ref
    department_id: uuid.UUID | None = Field(
        description="The department variant the model came from; null for the general model."
    )
    model_version: int = Field(description="The model version the gaps are measured against.")
    profile_computed_at: datetime | None
    attained: bool = Field(description="「达标」: every required level is met.")
    match: float = Field(
        description="0–100: the weighted share of the requirements met (a score above the "
        "requirement counts as met, never more)."
    )
    competencies: list[GapLine]


class HeatmapCell(BaseModel):
    competency_id: uuid.UUID
    required_level: int
    required: float = Field(description="The required level on the profile's 0–10 scale.")
    current: float | None = Field(description="The profile's score; null without evidence.")
    gap: float = Field(description="How far below the requirement, 0 when met.")
    met: bool


class HeatmapRow(BaseModel):
    employee_id: uuid.UUID
    employee: Ref
    department_id: uuid.UUID
    department: Ref
    position_id: uuid.UUID | None
    position: Ref | None
    model_version: int | None = Field(
        description="The version the person is measured against; null when the position (or "
        "the person, having none) has no model."
    )
    attained: bool = Field(description="「达标」: every required level is met.")
    match: float = Field(description="0–100: the weighted share of the requirements met.")
    cells: list[HeatmapCell] = Field(description="One per competency of the person's model.")


class HeatmapColumn(BaseModel):
    competency_id: uuid.UUID
    competency: Ref
    levels: int
    people: int = Field(description="How many people in scope are measured against it.")
    assessed: int = Field(description="How many of them have a score.")
    average: float | None = Field(description="Their mean score; null when nobody has one.")
    attained_percent: float = Field(
        description="0–100: the share of the people measured against it who meet it."
    )


class HeatmapOut(BaseModel):
    department_id: uuid.UUID
    department: Ref
    include_subdepartments: bool
    position_id: uuid.UUID | None = Field(
        description="The position everyone is measured against; null: each their own."
    )
    position: Ref | None
    people: int = Field(description="Everyone in scope, over all pages.")
    competencies: list[HeatmapColumn] = Field(
        description="The columns: every competency of the models in use, by name, with the "
        "figures of everyone in scope (not only this page)."
    )
    items: list[HeatmapRow] = Field(description="The rows of this page, by name.")
    next_cursor: str | None = Field(description="Opaque; null on the last page.")

"""Request and response models of automated evaluations and objections to them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.i18n import Rendered
from hrcore.core.schemas import Ref
from hrcore.privacy.automated_models import ObjectionStatus

Message = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class AutomatedEvaluationKind(StrEnum):
    POOL_SCREENING = "pool_screening"
    """Talent: a pool's screening rules evaluated for the person (pools they are in)."""
    VACANCY_RANKING = "vacancy_ranking"
    """Talent: the person's score as a candidate for an open vacancy."""
    STRETCH_MATCH = "stretch_match"
    """Competencies: an open stretch assignment ranked for the person's gaps."""
    COMPETENCY_SCORE = "competency_score"
    """Competencies: the profile's score on one competency, from weighted evidence."""
    PERFORMANCE_SCORE = "performance_score"
    """Performance: a period's live score from the metric observations."""
    TRAINING_NEED = "training_need"
    """Training: a need drawn from the person's data, with the courses it proposes."""
    MENTOR_EFFECTIVENESS = "mentor_effectiveness"
    """Mentoring: the person's effectiveness as a mentor in a program, from their pairings."""


SubjectType = Literal[
    "talent_pool",
    "vacancy",
    "stretch_assignment",
    "competency",
    "performance_scheme",
    "mentoring_program",
]


class AutomatedFactorOut(BaseModel):
    """One factor the domain weighed, as it explains it."""

    factor: str = Field(description="The domain's name of the factor, or the evidence's kind.")
    value: float | str | None = Field(description="What was found (null: no data).")
    weight: float | None = Field(description="The weight it counted with (null: unweighted).")
    points: float | None = Field(description="What it scored (null: not counted).")
    explanation: Rendered = Field(description="Why, in the reader's language.")


class AutomatedResultOut(BaseModel):
    score: float | None = Field(description="Null for a screening, which only passes or not.")
    out_of: float | None = Field(description="The score's scale: 100 or 10 (competencies).")
    verdict: Literal["passed", "not_passed", "eligible", "not_eligible"] | None = Field(
        description="A screening's verdict (every rule met or not) and a vacancy ranking's "
        "(ready now: eligible, or not); null for the scores."
    )
    rank: int | None = Field(
        description="The rank among what was ranked for the person (stretch assignments); a "
        "vacancy ranking never tells the person their rank among other candidates."
    )


class AutomatedObjectionStateOut(BaseModel):
    id: uuid.UUID
    status: ObjectionStatus
    created_at: datetime


class AutomatedEvaluationOut(BaseModel):
    """An automated evaluation of the caller as it stands now."""

    id: str = Field(
        description="Stable: `<kind>:<subject id>` (a performance score adds `:<period>`); "
        "the same evaluation keeps its id as its facts change."
    )
    kind: AutomatedEvaluationKind
    title: Rendered = Field(description="What was evaluated, in the reader's language.")
    subject_type: SubjectType
    subject: Ref = Field(
        description="The deciding object: the talent pool, the vacancy (named by its position), "
        "the stretch assignment, the competency, the performance scheme or the mentoring "
        "program."
    )
    result: AutomatedResultOut
    computed_at: datetime = Field(
        description="When the figures were computed; rankings and matches are computed as read."
    )
    factors: list[AutomatedFactorOut]
    objection: AutomatedObjectionStateOut | None = Field(
        description="The latest objection to this evaluation, if any."
    )


class AutomatedObjectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: Message = Field(description="Why the person objects; what they want reviewed.")


class AutomatedObjectionResolution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["upheld", "changed"] = Field(
        description="`upheld`: the review confirms the automated result; `changed`: the "
        "reviewer decides otherwise."
    )
    reason: Message


class AutomatedObjectionOut(BaseModel):
    """An objection and its human review. The evaluation is kept as the person read it."""

    id: uuid.UUID
    evaluation_id: str
    kind: AutomatedEvaluationKind
    employee_id: uuid.UUID
    employee: Ref
    evaluation: AutomatedEvaluationOut = Field(description="As shown when the person objected.")
    message: str
    status: ObjectionStatus
    task_id: uuid.UUID | None = Field(description="HR's review task (null without one).")
    reason: str | None = Field(description="Why the reviewer upheld or changed the result.")
    resolved_by: uuid.UUID | None
    resolved_by_user: Ref | None
    resolved_at: datetime | None
    created_at: datetime

"""The needs analysis's response 「培训需求分析」: needs per competency, each with its evidence,
its people and the courses that address it."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from hrcore.core.schemas import Ref

NeedSource = Literal["position_model", "review", "career_plan"]


class TrainingNeedEvidence(BaseModel):
    source: NeedSource = Field(
        description="`position_model`: a requirement of the person's position's competency "
        "model not met; `review`: an item of their newest published review result scored "
        "under the threshold; `career_plan`: a requirement of the model of the position their "
        "career plan aims at not met."
    )
    people: int = Field(description="How many of the need's people this line covers.")
    value: float | None = Field(
        description="0–100 (their mean for several people): the profile's score or the item's "
        "published figure; null when nobody it covers has a profile score yet."
    )
    threshold: float = Field(
        description="0–100: the required level on the profile's scale, or the review threshold."
    )
    position_id: uuid.UUID | None = Field(description="The model's position (not for reviews).")
    position: Ref | None
    review_cycle_id: uuid.UUID | None = Field(description="The review cycle (reviews only).")
    review_cycle: Ref | None
    item: str | None = Field(description="The review item's name (reviews only).")


class TrainingNeedPerson(BaseModel):
    employee_id: uuid.UUID
    employee: Ref
    department_id: uuid.UUID
    department: Ref
    score: float | None = Field(
        description="0–100: the review item's published figure where a review measured it, "
        "else the competency profile's score; null when neither says anything yet."
    )
    course_ids: list[uuid.UUID] = Field(
        description="The need's courses proposed to this person: those they have not passed."
    )


class TrainingNeedCourse(BaseModel):
    course_id: uuid.UUID
    course: Ref
    mode: str = Field(description="`online` or `offline`.")
    hours: float
    points: int | None = Field(description="The course's own points, when it sets them.")
    proposed_to: int = Field(description="How many of the need's people have not passed it.")


class TrainingNeed(BaseModel):
    kind: Literal["common", "individual"] = Field(
        description="`common`: a topic many people of the department share (see the query's "
        "minimums); `individual`: one person's."
    )
    competency_id: uuid.UUID
    competency: Ref
    count: int = Field(description="How many people have the need.")
    average_score: float | None = Field(
        description="0–100: the mean of the people's scores (null when none has one)."
    )
    evidence: list[TrainingNeedEvidence]
    people: list[TrainingNeedPerson] = Field(description="By name.")
    courses: list[TrainingNeedCourse] = Field(
        description="Active courses tagged with the competency that someone of the need has "
        "not passed, by name."
    )


class TrainingNeedsOut(BaseModel):
    department_id: uuid.UUID | None = Field(description="The department analysed (subtree).")
    department: Ref | None
    employee_id: uuid.UUID | None = Field(description="The person analysed.")
    employee: Ref | None
    people: int = Field(description="How many active people were analysed.")
    review_threshold: int
    items: list[TrainingNeed] = Field(
        description="Common needs first (most people first), then individual ones."
    )
    next_cursor: str | None = Field(description="Opaque; null on the last page.")

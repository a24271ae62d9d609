"""Response shapes of mentor suggestions: the mentee's gaps, then each mentor ranked with
every term that scored them and what it found."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from hrcore.core.schemas import Ref
from hrcore.mentoring.schemas import SuggestionWeights

Term = Literal["strengths", "proximity", "capacity", "effectiveness"]
Relation = Literal["same_department", "sibling", "other"]


class MentorGap(BaseModel):
    competency: Ref
    required: float = Field(description="The level the mentee's position requires, 0–10.")
    current: float | None = Field(description="The mentee's newest score, 0–10.")
    gap: float


class MentorStrength(BaseModel):
    competency: Ref
    mentor_score: float | None = Field(description="The mentor's newest score, 0–10.")
    covers: float = Field(description="How much of the required level the mentor has, 0–1.")


class MentorSuggestionTerm(BaseModel):
    term: Term
    weight: float = Field(description="The term's share of the score (the shares add up to 1).")
    score: float = Field(description="0–100.")


class MentorSuggestionOut(BaseModel):
    mentor_id: uuid.UUID
    employee: Ref
    department: Ref
    score: float = Field(description="0–100: the terms' scores by their weights.")
    terms: list[MentorSuggestionTerm] = Field(
        description="The terms that scored this mentor; one that says nothing about them "
        "(no gaps to cover, no effectiveness yet) is left out and the others reweighed."
    )
    strengths: list[MentorStrength] = Field(
        description="The mentor's scores on the mentee's gaps, in the gaps' order."
    )
    relation: Relation = Field(description="Where the mentor's department is from the mentee's.")
    distance: int = Field(description="Steps between the two departments in the tree.")
    load: int = Field(description="Mentees paired with the mentor in this program now.")
    capacity: int
    has_room: bool = Field(description="Fewer mentees than the capacity; full mentors rank last.")


class MentorSuggestionsOut(BaseModel):
    program: Ref
    mentee: Ref
    gaps: list[MentorGap] = Field(
        description="The mentee's unmet competencies against their position's model, "
        "heaviest first."
    )
    weights: SuggestionWeights
    considered: int = Field(description="The program's mentors ranked (before `limit`).")
    items: list[MentorSuggestionOut]

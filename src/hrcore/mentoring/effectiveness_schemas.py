"""Response shapes of a mentor's effectiveness: the score, each part explained, and the
pairings it was computed over."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from hrcore.core.i18n import Rendered
from hrcore.core.schemas import Ref
from hrcore.mentoring.mentorship_models import MentorshipStatus
from hrcore.settings import MentorPart


class MentorEffectivenessPart(BaseModel):
    part: MentorPart
    value: float | None = Field(
        description="What was found: a mean gain in %, a share in %, a survey mean (1–5); "
        "null when nothing counts (the part is then left out and the weights renormalised)."
    )
    score: float | None = Field(description="The value as 0–100.")
    weight: float
    contribution: float | None = Field(
        description="score × weight / the weights of the parts that have a score."
    )
    counted: int = Field(description="How many pairings (mentees, for the survey) it counts.")
    of: int = Field(
        description="Out of how many; for the survey, the anonymity threshold to reach."
    )
    explanation: Rendered


class MentoringGoalCheck(BaseModel):
    kind: str
    target: float
    found: float | None
    reached: bool | None = Field(description="Null when there is no figure to compare yet.")


class MentorshipEffectivenessOut(BaseModel):
    mentorship_id: uuid.UUID
    mentee: Ref
    status: MentorshipStatus
    starts_on: date
    ends_on: date
    performance_gain: float | None = Field(
        description="% from the mentee's rating before the pairing to the latest since."
    )
    skill_first: float | None
    skill_last: float | None
    skill_gain: float | None = Field(description="% from the first skill test to the last.")
    goals_reached: int
    goals_total: int
    goals: list[MentoringGoalCheck]
    promoted: bool = Field(description="Promoted during the pairing or the months after it.")
    high_performer: bool | None = Field(
        description="The mentee's latest rating is A or ≥ 4.5; not shown to the mentor."
    )


class MentorEffectivenessOut(BaseModel):
    mentor_id: uuid.UUID
    employee: Ref
    program: Ref
    score: float | None = Field(description="0–100; null until something can be scored.")
    computed_at: datetime | None = Field(description="Null until first computed.")
    parts: list[MentorEffectivenessPart]
    pairings: list[MentorshipEffectivenessOut] = Field(
        description="Completed and running pairings; no survey figure per pairing (one "
        "mentee's answers are shown only pooled with others')."
    )

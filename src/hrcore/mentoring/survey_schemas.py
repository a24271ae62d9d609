"""Request and response shapes of mentee surveys: the answer, and what a reader gets back —
the mentee their own answers, everyone else figures pooled past the anonymity threshold."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hrcore.core.i18n import Rendered


class MentoringSurveyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: uuid.UUID | None = Field(
        default=None, description="The session answered about; absent for a periodic survey."
    )
    on_time: int = Field(ge=1, le=5, description="Were sessions held on time? 1–5.")
    relevant: int = Field(ge=1, le=5, description="Was the content relevant? 1–5.")
    solved: int = Field(ge=1, le=5, description="Did it solve my problem? 1–5.")
    comment: str | None = Field(default=None, max_length=4000)


class MentoringSurveyOut(BaseModel):
    """One answer, as only its mentee reads it."""

    id: uuid.UUID
    session_id: uuid.UUID | None
    on_time: int
    relevant: int
    solved: int
    comment: str | None
    created_at: datetime


class MentoringSurveyMeans(BaseModel):
    on_time: float
    relevant: float
    solved: float


class MentoringSurveySummary(BaseModel):
    """The mentee: `mine` (their answers, with comments) and the figures over all of them.
    The mentor, the mentor's manager, department heads reaching the pairing and HR: figures
    only, and only over whole blocks of `threshold` answers; no answer and no comment."""

    threshold: int = Field(description="The anonymity threshold reviews use.")
    enough: bool = Field(
        description="The figures are shown: for the mentee, any answer; for everyone else, "
        "at least `threshold` answers."
    )
    answers: int | None = Field(
        description="How many answers the figures pool (a multiple of `threshold` for all "
        "but the mentee); null below the threshold."
    )
    means: MentoringSurveyMeans | None = Field(description="Null below the threshold.")
    note: Rendered | None = Field(description="Why the figures are withheld, when they are.")
    mine: list[MentoringSurveyOut] | None = Field(
        description="The mentee's own answers, oldest first; null for every other reader."
    )

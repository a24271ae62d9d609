"""Request and response shapes of a pairing's logged sessions and its checklist coverage."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.pagination import Page
from hrcore.core.schemas import BoundedDate
from hrcore.mentoring.mentorship_models import SessionKind

ChecklistKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class MentoringSessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: SessionKind
    held_on: BoundedDate = Field(description="Not after today (the organization's day).")
    notes: str | None = Field(default=None, max_length=20_000)
    checklist_covered: list[ChecklistKey] = Field(
        default_factory=list,
        max_length=100,
        description="Keys of the plan's checklist the session covered (unknown keys: 422).",
    )
    score: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="The skill test's score, 0–100: required for skill tests, refused on others.",
    )
    task_id: uuid.UUID | None = Field(
        default=None,
        description="The scheduled task the session fulfils (completed with it); absent: the "
        "earliest open task of the session's kind, if any.",
    )


class MentoringSessionOut(BaseModel):
    id: uuid.UUID
    mentorship_id: uuid.UUID
    kind: SessionKind
    held_on: date
    notes: str | None
    checklist_covered: list[str]
    score: float | None = Field(description="Skill tests only.")
    task_id: uuid.UUID | None = Field(description="The scheduled task it completed.")
    created_at: datetime


class ChecklistCoverage(BaseModel):
    key: str
    title: str
    covered_by: list[uuid.UUID] = Field(
        description="The sessions that covered the item, earliest held first; empty: not yet."
    )


class MentoringSessionPage(Page[MentoringSessionOut]):
    coverage: list[ChecklistCoverage] = Field(
        description="Every item of the plan's checklist and the sessions that covered it, "
        "over all the pairing's sessions (not only this page)."
    )

"""Request and response models of appeals (an employee objects to one indicator's score)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from hrcore.core.i18n import _
from hrcore.reviews.schemas import Key, Strict, Text


class AppealIn(Strict):
    indicator_key: Key
    reason: Text


class AppealReply(Strict):
    reply: Text


class AppealResolution(Strict):
    """`upheld` sets the indicator's new score (required); `rejected` keeps the result."""

    outcome: Literal["upheld", "rejected"]
    resolution: Text
    score: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _score_when_upheld(self) -> AppealResolution:
        if self.outcome == "upheld" and self.score is None:
            raise ValueError(_("an upheld appeal needs the indicator's new score"))
        if self.outcome == "rejected" and self.score is not None:
            raise ValueError(_("a rejected appeal keeps the score"))
        return self


class AppealOut(BaseModel):
    id: uuid.UUID
    result_id: uuid.UUID
    indicator_key: str
    reason: str
    status: Literal["open", "answered", "upheld", "rejected"]
    reply: str | None
    replied_at: datetime | None
    resolution: str | None
    original_score: float | None
    new_score: float | None
    resolved_at: datetime | None
    created_at: datetime
    version: int

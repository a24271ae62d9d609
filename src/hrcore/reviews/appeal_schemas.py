"""Request and response models of appeals (an employee objects to one indicator's score or
to one comment on their result)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from hrcore.core.i18n import _
from hrcore.reviews.schemas import Key, Strict, Text


class AppealIn(Strict):
    """One indicator's score (`indicator_key`) or one comment (`comment_id`), not both."""

    indicator_key: Key | None = None
    comment_id: uuid.UUID | None = Field(
        default=None, description="The `id` of one of the result's `comment_items`."
    )
    reason: Text

    @model_validator(mode="after")
    def _one_subject(self) -> AppealIn:
        if (self.indicator_key is None) == (self.comment_id is None):
            raise ValueError(_("an appeal names either an indicator_key or a comment_id"))
        return self


class AppealReply(Strict):
    reply: Text


class AppealResolution(Strict):
    """`upheld` sets an indicator's new score (required) or hides the comment (no score);
    `rejected` keeps the result."""

    outcome: Literal["upheld", "rejected"]
    resolution: Text
    score: float | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _no_score_when_rejected(self) -> AppealResolution:
        if self.outcome == "rejected" and self.score is not None:
            raise ValueError(_("a rejected appeal keeps the score"))
        return self


class AppealOut(BaseModel):
    id: uuid.UUID
    result_id: uuid.UUID
    about: Literal["indicator", "comment"]
    indicator_key: str | None = Field(description="Set when the appeal is about an indicator.")
    comment_id: uuid.UUID | None = Field(description="Set when the appeal is about a comment.")
    comment: str | None = Field(
        description="The comment as quoted when filed; once hidden only HR and the employee "
        "who appealed read it here."
    )
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

"""The talent review meeting's requests and responses."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.schemas import Ref

Level = Literal["low", "medium", "high"]
ReviewReason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
]


class TalentReviewOpen(BaseModel):
    """A session over a department's subtree or a talent pool's open members: name exactly one."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    department_id: uuid.UUID | None = None
    pool_id: uuid.UUID | None = None


class TalentReviewSummaryOut(BaseModel):
    id: uuid.UUID
    name: str
    status: Literal["open", "closed"]
    department: Ref | None = Field(description="The subtree reviewed (or `pool`).")
    pool: Ref | None = Field(description="The talent pool reviewed (or `department`).")
    revision: int = Field(description="Counts the session's changes; a report is of one.")
    created_at: datetime
    closed_at: datetime | None


class TalentReviewCell(BaseModel):
    """One box of the 9-box: how many participants in the caller's reach are there now."""

    performance: Level
    potential: Level
    count: int


class TalentReviewOut(TalentReviewSummaryOut):
    participants: int = Field(description="Participants in the caller's reach.")
    unplaced: int = Field(description="Of them, not on the 9-box (never placed, not moved).")
    moves: int = Field(description="Moves of them so far.")
    cells: list[TalentReviewCell]


class TalentReviewMoveIn(BaseModel):
    """Move a participant to a box; the reason is kept with the move."""

    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID
    performance: Level
    potential: Level
    reason: ReviewReason


class TalentReviewMoveOut(BaseModel):
    id: uuid.UUID
    from_performance: Level | None
    from_potential: Level | None
    to_performance: Level
    to_potential: Level
    reason: str
    moved_by: uuid.UUID | None = Field(description="The user who moved them.")
    moved_at: datetime


class TalentReviewPlacementOut(BaseModel):
    """A participant: the box talent's 9-box proposed, where they are now and every move."""

    id: uuid.UUID
    employee: Ref
    department: Ref | None
    proposed_performance: Level | None = Field(description="null: never placed in talent.")
    proposed_potential: Level | None
    performance: Level | None = Field(description="null: not on the 9-box yet.")
    potential: Level | None
    moves: list[TalentReviewMoveOut] = Field(description="Oldest first.")


class TalentReviewClosedOut(BaseModel):
    session: TalentReviewOut
    memberships_updated: int = Field(
        description="Active pool memberships whose 9-box or readiness the outcome changed."
    )


class TalentReviewReportPending(BaseModel):
    """The 202 body while the worker draws the report."""

    status: Literal["pending"] = "pending"
    revision: int

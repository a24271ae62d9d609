"""Request and response shapes of individual development plans 「个人发展计划」."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.approvals.api import ApprovalOut
from hrcore.competencies.stretch_schemas import FigureOut
from hrcore.core.schemas import BoundedDate, Ref

PERIOD_PATTERN = r"^(19|20)\d{2}(-(H[12]|Q[1-4]))?$"
"""A year, half or quarter, as performance ratings name their periods."""
Period = Annotated[str, StringConstraints(pattern=PERIOD_PATTERN)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
ActionKind = Literal["stretch_assignment", "program", "course", "mentoring", "other"]
ActionStatus = Literal["planned", "in_progress", "done", "dropped"]
PlanStatus = Literal["draft", "submitted", "returned", "active", "rejected", "closed"]
MAX_GOALS = 20
MAX_ACTIONS = 50


class GoalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    competency_id: uuid.UUID = Field(description="A competency of the organization's library.")
    target_level: int = Field(ge=1, le=10, description="A level the competency has (1..N).")
    note: Note | None = None


class GoalOut(GoalIn):
    competency: Ref


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = Field(
        None, description="The action's id when editing one already in the plan; new if left out."
    )
    kind: ActionKind
    reference_id: uuid.UUID | None = Field(
        None,
        description="What the action is: a program run (`program`, required and checked), a "
        "stretch assignment the employee is on or may read (`stretch_assignment`, required "
        "and checked), a course or a mentoring relationship when it exists in another "
        "system (optional).",
    )
    title: Title
    due_on: BoundedDate | None = None
    status: ActionStatus = "planned"


class ActionOut(BaseModel):
    id: uuid.UUID
    kind: ActionKind
    reference_id: uuid.UUID | None
    title: str
    due_on: date | None
    status: ActionStatus = Field(
        description="As the plan's editors set it; progress reads a program's from the "
        "program and a stretch assignment's from the assignment."
    )


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID | None = Field(
        None, description="Whose plan; the caller's own when left out."
    )
    period: Period = Field(description="A year (`2027`), half (`2027-H1`) or quarter.")
    title: Title
    goals: list[GoalIn] = Field(default_factory=list, max_length=MAX_GOALS)
    actions: list[ActionIn] = Field(default_factory=list, max_length=MAX_ACTIONS)
    goals_from_gaps: bool = Field(
        False,
        description="Add a goal for every requirement of the employee's position model they "
        "do not meet yet (its required level as the target), after the goals given.",
    )


class PlanPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    goals: list[GoalIn] | None = Field(None, max_length=MAX_GOALS)
    actions: list[ActionIn] | None = Field(None, max_length=MAX_ACTIONS)
    status: Literal["closed"] | None = Field(
        None, description="`closed` ends an active plan; nothing else is set this way."
    )
    version: int | None = Field(None, description="The version read (or send `If-Match`).")


class GoalProgress(BaseModel):
    competency: Ref
    target_level: int
    levels: int
    required: float = Field(description="The target on the profile's 0–10 scale (r / N × 10).")
    current: float | None = Field(description="The profile's score; null without evidence.")
    met: bool


class OutcomeEvidenceOut(BaseModel):
    competency_id: uuid.UUID
    evidence: float = Field(description="The value the outcome recorded as evidence, 0–10.")


class ActionOutcomeOut(BaseModel):
    figures: list[FigureOut]
    competencies: list[OutcomeEvidenceOut]
    recorded_at: datetime


class ActionProgress(BaseModel):
    id: uuid.UUID
    title: str
    kind: ActionKind
    status: ActionStatus
    source: Literal["plan", "program", "stretch_assignment"] = Field(
        description="`program`: read from the employee's participation in the run; "
        "`stretch_assignment`: from their part in the assignment (active: in progress, "
        "completed: done); `plan`: as the editors set it."
    )
    outcome: ActionOutcomeOut | None = Field(
        description="A stretch assignment's outcome for the employee once recorded: its "
        "figures and the evidence per competency; null otherwise."
    )


class PlanProgress(BaseModel):
    percent: float = Field(
        description="0–100: each goal counts the share of its target reached, each action "
        "1 when done (dropped actions left out)."
    )
    profile_computed_at: datetime | None
    goals: list[GoalProgress]
    actions: list[ActionProgress]


class PlanVersionOut(BaseModel):
    version: int
    edited_by: uuid.UUID
    edited_by_user: Ref
    edited_at: datetime


class PlanSummary(BaseModel):
    id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    period: str
    title: str
    status: PlanStatus
    version: int
    updated_at: datetime


class GoalsModelOut(BaseModel):
    position_id: uuid.UUID
    department_id: uuid.UUID | None = Field(
        description="The variant's department; null: the position's general model."
    )
    version: int


class PlanOut(PlanSummary):
    shown_version: int = Field(description="The version whose content is shown (`?version=`).")
    goals: list[GoalOut]
    actions: list[ActionOut]
    submitted_at: datetime | None
    approved_at: datetime | None
    closed_at: datetime | None
    goals_model: GoalsModelOut | None = Field(
        description="The competency model version `goals_from_gaps` drew goals from (it is "
        "not deleted while the plan is open); null when the goals were not drawn from gaps."
    )
    created_at: datetime
    versions: list[PlanVersionOut] = Field(description="Every content version, oldest first.")
    approvals: list[ApprovalOut] = Field(
        description="Its approval history, oldest first, with every round's decisions."
    )
    progress: PlanProgress


class PlanCommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
    reply_to: uuid.UUID | None = Field(None, description="The plan's comment this answers.")


class PlanCommentOut(BaseModel):
    id: uuid.UUID
    reply_to: uuid.UUID | None
    author_id: uuid.UUID
    author: Ref = Field(description="`author_id`'s link: the user's display name.")
    body: str
    created_at: datetime

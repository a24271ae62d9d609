"""Request and response shapes of goals, key results and their check-ins."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hrcore.core.i18n import _
from hrcore.core.schemas import Ref
from hrcore.performance.schemas import Aggregation, Finite, Key, Unit

GOAL_PERIOD_PATTERN = r"^(19|20)\d{2}-(0[1-9]|1[0-2]|Q[1-4])$"
"""A month (`2026-12`) or a quarter (`2026-Q4`), as schemes name their periods."""
GoalPeriod = Annotated[str, StringConstraints(pattern=GOAL_PERIOD_PATTERN)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Level = Literal["organization", "department", "person"]
Status = Literal["draft", "active", "done", "cancelled"]
StartingStatus = Literal["draft", "active"]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
MAX_KEY_RESULTS = 20


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PerformanceGoalIn(Strict):
    """The owner decides the level: neither id (the organization, HR), `department_id` (its
    head or HR) or `employee_id` (the employee, their managers, department head, HR)."""

    title: Title
    description: Description = ""
    period: GoalPeriod = Field(description="`2026-12` (month) or `2026-Q4` (quarter).")
    department_id: uuid.UUID | None = None
    employee_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = Field(
        default=None,
        description="The goal this one aligns to: an organization goal, or a goal of the "
        "owner's department or one above it, of the same period or one containing it.",
    )
    status: StartingStatus = Field(
        default="draft", description="A goal starts as a draft or active (see `PATCH`)."
    )

    @model_validator(mode="after")
    def _one_owner(self) -> PerformanceGoalIn:
        if self.department_id is not None and self.employee_id is not None:
            raise ValueError(_("a goal belongs to a department or to an employee, not both"))
        return self


class PerformanceGoalPatch(Strict):
    """Fields left out stay; `parent_id: null` detaches the goal from its parent."""

    title: Title | None = None
    description: Description | None = None
    status: Status | None = Field(
        default=None,
        description="draft → active → done or cancelled (a draft may be cancelled too); "
        "reopening a done or cancelled goal (→ active) needs `reason`; other changes 409.",
    )
    reason: Reason | None = Field(
        default=None, description="Why the status changes (kept in the audit trail)."
    )
    parent_id: uuid.UUID | None = None
    version: int | None = Field(default=None, description="The version you read (or If-Match).")

    @model_validator(mode="after")
    def _no_empty_fields(self) -> PerformanceGoalPatch:
        emptied = sorted(
            name
            for name in ("title", "description", "status")
            if name in self.model_fields_set and getattr(self, name) is None
        )
        if emptied:
            raise ValueError(_("these fields cannot be null: {names}", names=", ".join(emptied)))
        return self


class KeyResultIn(Strict):
    """Measured from `start` to `target` (either way: a target below the start is a
    reduction, as response time). With `indicator` (a scheme's indicator key) its value
    comes from the performance data; without, from check-ins."""

    title: Title
    unit: Unit
    start: Finite
    target: Finite
    weight: float = Field(
        default=1, gt=0, le=100, description="Its share among the goal's key results."
    )
    indicator: Key | None = None

    @model_validator(mode="after")
    def _somewhere_to_go(self) -> KeyResultIn:
        if self.start == self.target:
            raise ValueError(_("the target must differ from the start"))
        return self


class KeyResultPatch(Strict):
    """Fields left out stay; the indicator (or its absence) stays."""

    title: Title | None = None
    unit: Unit | None = None
    start: Finite | None = None
    target: Finite | None = None
    weight: float | None = Field(default=None, gt=0, le=100)


class KeyResultCheckInIn(Strict):
    value: Finite = Field(description="The key result's value now, in its unit.")
    note: Note = ""


class KeyResultCheckInOut(BaseModel):
    id: uuid.UUID
    value: float
    note: str
    recorded_by: uuid.UUID
    recorded_at: datetime


class KeyResultProgressInput(BaseModel):
    """One figure behind an indicator's value: a period's value and how many observations
    made it."""

    period: str
    value: float
    observations: int


class KeyResultOut(BaseModel):
    id: uuid.UUID
    title: str
    unit: str
    start: float
    target: float
    weight: float
    indicator: str | None = Field(description="Measured by this indicator (null: by hand).")
    current: float | None = Field(
        description="The value now: the indicator's value in the goal's period, or the newest "
        "check-in (null: nothing measured yet)."
    )
    progress: float = Field(description="0–100: how far `current` went from start to target.")
    aggregation: Aggregation | None = Field(
        description="How the indicator's figures make the period's value (by the scheme)."
    )
    inputs: list[KeyResultProgressInput] = Field(
        description="The figures behind an indicator's value."
    )
    latest_check_in: KeyResultCheckInOut | None


class KeyResultHistoryOut(KeyResultOut):
    check_ins: list[KeyResultCheckInOut] = Field(description="Every check-in, newest first.")


class PerformanceGoalOut(BaseModel):
    id: uuid.UUID
    level: Level
    title: str
    description: str
    period: str
    status: Status
    department_id: uuid.UUID | None
    department: Ref | None
    employee_id: uuid.UUID | None
    employee: Ref | None
    parent_id: uuid.UUID | None
    progress: float | None = Field(
        description="0–100: the weighted mean of the key results' progress (null: none yet)."
    )
    key_results: list[KeyResultOut]
    version: int


class PerformanceGoalNode(PerformanceGoalOut):
    children: list[PerformanceGoalNode] = Field(description="The goals aligned to this one.")


class PerformanceGoalTreeOut(BaseModel):
    period: str
    goals: list[PerformanceGoalNode] = Field(
        description="The roots: goals whose parent the caller does not see or that have none."
    )

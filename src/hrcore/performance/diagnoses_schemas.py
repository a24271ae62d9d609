"""Request and response shapes of diagnoses."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.schemas import Ref

RootCause = Literal["market", "resources", "team_capability", "process", "other"]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class DiagnosisActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Title
    due_on: date
    assignee_employee_id: uuid.UUID | None = Field(
        default=None, description="Who carries it out (default: the head resolving it)."
    )


class DiagnosisResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    root_cause_category: RootCause
    root_cause: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)
    ]
    action_plan: list[DiagnosisActionIn] = Field(
        min_length=1, max_length=20, description="Each item becomes a task."
    )


class DiagnosisActionOut(BaseModel):
    title: str
    due_on: date
    assignee_employee_id: uuid.UUID
    task_id: uuid.UUID


class DiagnosisOut(BaseModel):
    id: uuid.UUID
    department_id: uuid.UUID
    department: Ref
    indicator: str
    indicator_name: str
    streak_from: str = Field(description="The first period below target.")
    streak_to: str = Field(description="The period that made the streak long enough.")
    periods: int
    status: Literal["open", "resolved"]
    head_employee_id: uuid.UUID | None
    task_id: uuid.UUID | None = Field(description="The head's diagnosis task.")
    bundle: dict[str, Any] = Field(
        description="`indicator`, its `series` (period, value, target, below), `context` "
        "(the department's other indicators' series), `team` (per period: members with a "
        "score and the mean of their overall scores) and `capability`: `competencies` (members, "
        "those `measured` — with a position model and a profile —, how many meet it, the mean "
        "match and per competency the heat map's figures), `tenure` (members, `mean_years`, "
        "`distribution` by years) and `turnover` (per streak period: headcount on its first "
        "day, leavers, rate in percent). Diagnoses opened before capability was read have no "
        "`capability`."
    )
    root_cause_category: RootCause | None
    root_cause: str | None
    action_plan: list[DiagnosisActionOut]
    opened_at: datetime
    resolved_at: datetime | None

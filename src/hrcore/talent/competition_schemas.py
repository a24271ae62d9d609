"""Request and response shapes of internal competition 「岗位竞聘」: opening a vacancy for
it, the competitions an employee may enter, and the applications."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hrcore.core.i18n import Rendered
from hrcore.core.schemas import BoundedDatetime, Ref
from hrcore.talent.models import VacancyApplicationStatus
from hrcore.talent.schemas import CriterionResult, Rule


class CompetitionIn(BaseModel):
    """Open an open vacancy for internal competition (HR admin): the rules applicants must
    meet and when applications close."""

    model_config = ConfigDict(extra="forbid")

    rules: list[Rule] = Field(
        min_length=1,
        max_length=10,
        description="Talent screening rules, as a pool's (e.g. `training_points` with "
        "`min_points` 100: the next-level competition).",
    )
    closes_at: BoundedDatetime = Field(
        description="Applications close at this moment, with its UTC offset; later than now."
    )
    version: int | None = Field(default=None, description="The version you read (or If-Match).")


class CompetitionRuleOut(BaseModel):
    """One rule of a competition against the caller: what was found and whether it passes."""

    kind: str
    value: float | str | None = Field(description="What was found (null: no data).")
    passed: bool
    explanation: Rendered


class OpenCompetitionOut(BaseModel):
    """A competition open to the caller: its vacancy, the rules they meet and their own
    application, if any."""

    vacancy_id: uuid.UUID
    position: Ref
    department: Ref
    note: str | None
    closes_at: datetime
    rules: list[CompetitionRuleOut]
    application_id: uuid.UUID | None = Field(description="My application (null: not applied).")
    application_status: VacancyApplicationStatus | None


class VacancyApplicationIn(BaseModel):
    """Apply to a vacancy's internal competition (the employee themself)."""

    model_config = ConfigDict(extra="forbid")

    statement: str | None = Field(
        default=None, max_length=4000, description="Why I want the post, in my words."
    )


class VacancyApplicationOut(BaseModel):
    id: uuid.UUID
    vacancy_id: uuid.UUID
    employee: Ref
    department_id: uuid.UUID
    department: Ref | None
    status: VacancyApplicationStatus
    statement: str | None
    criteria: list[CriterionResult] = Field(
        description="The competition's rules as found when the employee (last) applied."
    )
    applied_at: datetime
    withdrawn_at: datetime | None
    closed_at: datetime | None
    closed_reason: str | None = Field(
        description="Why it closed: someone was appointed, or the vacancy was cancelled."
    )
    version: int

"""Request and response shapes of employees' requests for a mentor."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from hrcore.core.schemas import BoundedDate, Ref
from hrcore.mentoring.mentor_request_models import MentorRequestStatus
from hrcore.mentoring.mentorship_schemas import Reason, _Strict
from hrcore.mentoring.suggestion_schemas import MentorSuggestionOut

SUGGESTIONS = 5


class MentorRequestIn(_Strict):
    program_id: uuid.UUID
    note: str | None = Field(
        default=None, max_length=2000, description="What the employee hopes for."
    )


class MentorRequestDecisionIn(_Strict):
    mentor_id: uuid.UUID = Field(description="A mentor of the program (`/mentors`).")
    template_id: uuid.UUID = Field(description="The mentee template the plan is drafted from.")
    starts_on: BoundedDate
    override_reason: Reason | None = Field(
        default=None,
        description="HR admins only: pairs a mentor who fails the program's rules now (audited).",
    )


class MentorRequestDeclineIn(_Strict):
    reason: Reason


class MentorRequestOut(BaseModel):
    id: uuid.UUID
    program: Ref
    employee: Ref
    note: str | None
    status: MentorRequestStatus
    suggestions: list[MentorSuggestionOut] = Field(
        description=f"The program's top {SUGGESTIONS} mentor suggestions for the employee, as "
        "found when the request was made."
    )
    mentorship_id: uuid.UUID | None = Field(description="The pairing made when `paired`.")
    decision_reason: str | None = Field(description="Why it was declined.")
    decided_at: datetime | None
    created_at: datetime

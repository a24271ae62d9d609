"""Legal holds as clients send and read them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hrcore.core.schemas import Ref

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
CaseReference = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]


class LegalHoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_id: uuid.UUID
    reason: Reason = Field(
        description="Why the data must be kept; told to whoever asks to delete it."
    )
    case_reference: CaseReference | None = Field(
        default=None,
        description="The case the hold belongs to (a dispute's number), to list its holds.",
    )


class LegalHoldOut(BaseModel):
    id: uuid.UUID
    employee_id: uuid.UUID
    employee: Ref
    reason: str
    case_reference: str | None
    placed_by: uuid.UUID | None
    placed_by_user: Ref | None
    placed_at: datetime
    released_at: datetime | None
    released_by: uuid.UUID | None
    released_by_user: Ref | None

"""Import resources as clients see them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ImportStatus = Literal["queued", "running", "succeeded", "failed"]


class RowErrorOut(BaseModel):
    row: int = Field(description="Row number in the file; the header is row 1.")
    field: str = Field(description="Column name, or `file` for problems with the whole file.")
    message: str


class ImportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    filename: str
    file_format: str
    status: ImportStatus
    total_rows: int
    processed_rows: int = Field(description="Rows validated or written so far (progress).")
    created_rows: int
    errors: list[RowErrorOut] = Field(description="Every row error; nothing is imported if any.")
    created_at: datetime
    finished_at: datetime | None

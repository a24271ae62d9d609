"""Response models of own-data exports."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class DataExportStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"
    EXPIRED = "expired"


class DataExportFormat(StrEnum):
    JSON = "json"
    PDF = "pdf"


class DataExportOut(BaseModel):
    """An export of the caller's data: downloadable as JSON and PDF once `ready`, until
    `expires_at`."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: DataExportStatus
    locale: str
    requested_at: datetime
    ready_at: datetime | None
    expires_at: datetime | None
    json_size: int | None
    pdf_size: int | None
    sections: int | None
    error: str | None

"""Requests and responses of `/exports`."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from hrcore.core.spreadsheets import SheetFormat


class SpreadsheetExportKind(StrEnum):
    ANALYTICS_PEOPLE = "analytics_people"


class SpreadsheetExportStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"
    EXPIRED = "expired"


class AnalyticsPeopleFilters(BaseModel):
    """The drill-down's query (`/analytics/{figure}/people`): a figure, a department
    subtree, a window and a step or breakdown."""

    model_config = ConfigDict(extra="forbid")

    figure: str = Field(max_length=40, description="The figure's slug: `on-time`, …")
    department_id: uuid.UUID | None = Field(
        default=None, description="A subtree; default: the organization (HR) or your own (head)."
    )
    start: date | None = Field(default=None, description="A day of the first month counted.")
    end: date | None = Field(default=None, description="A day of the last month counted.")
    step: str | None = Field(default=None, max_length=40)
    dimension: str | None = Field(default=None, max_length=80)


class SpreadsheetExportIn(BaseModel):
    """An export of a list's rows, built by the worker."""

    model_config = ConfigDict(extra="forbid")

    kind: SpreadsheetExportKind = Field(description="Which list: `analytics_people`.")
    format: SheetFormat
    filters: AnalyticsPeopleFilters


class SpreadsheetExportOut(BaseModel):
    """An export: downloadable once `ready`, by its requester only, until `expires_at`."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: SpreadsheetExportKind
    format: SheetFormat
    filters: AnalyticsPeopleFilters = Field(
        description="The list's filters as resolved when asked for (the window fixed)."
    )
    status: SpreadsheetExportStatus
    locale: str
    requested_at: datetime
    ready_at: datetime | None
    expires_at: datetime | None
    rows: int | None = Field(description="Rows written, the header not counted.")
    size: int | None = Field(description="The file's bytes.")
    error: str | None

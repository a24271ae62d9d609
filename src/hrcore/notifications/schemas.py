"""The inbox as the mobile app sees it."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hrcore.core.pagination import Page


class SubjectLink(BaseModel):
    """What to open when the notification is tapped: a task, a review, a contract…"""

    type: str
    id: uuid.UUID


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    title: str
    body: str
    subject: SubjectLink | None
    created_at: datetime
    read_at: datetime | None


class InboxPage(Page[NotificationOut]):
    unread_count: int = Field(description="Unread notifications in the whole inbox.")


class ReadAll(BaseModel):
    marked: int = Field(description="How many notifications were unread until now.")

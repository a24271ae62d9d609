"""The inbox as the mobile app sees it."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from hrcore.core.pagination import Page
from hrcore.core.schemas import Ref


class SubjectLink(BaseModel):
    """What to open when the notification is tapped: a task, a review, a contract…"""

    type: str
    id: uuid.UUID
    name: str | None = Field(
        description="What it is called: a task's title (a confidential one only for its "
        "assignee); a review result's or appeal's cycle, a pool member's pool, a program "
        "participant's run, an appointment's position; a contract, an amendment or an "
        "employee by the employee's name. Null when it is gone or unknown."
    )


class NotificationOut(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    body: str
    subject: SubjectLink | None
    employee: Ref | None = Field(
        description="Whom it is about, named: the assignee of the task it concerns (the "
        "report whose task is overdue, in a manager's escalation), else the employee its "
        "subject concerns (the appealing employee, the pool member, the participant…)."
    )
    deep_link: str = Field(
        description="Opens what the notification is about (its subject: the task's own "
        "`deep_link`), or the notification itself when it has no subject "
        "(`HRCORE_DEEP_LINK_TEMPLATE`, default `hrcore://open/{type}/{id}`)."
    )
    created_at: datetime
    read_at: datetime | None


class InboxPage(Page[NotificationOut]):
    unread_count: int = Field(description="Unread notifications in the whole inbox.")


class ReadAll(BaseModel):
    marked: int = Field(description="How many notifications were unread until now.")

"""Shapes shared by every domain: references, and the calendar every date input lives in."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel

from hrcore.core.i18n import Text, _

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
"""Every date or timestamp a client sends lies in this range. It is far wider than any HR
fact (a hire date, a contract end, a review window) and far enough from `date.max` that the
engine's arithmetic on it (due times, reminders, escalations, `to + 1 day`) cannot overflow."""

MAX_WINDOW = timedelta(days=3653)
"""The longest span between a start and an end the API accepts (ten years): measures periods,
review cycles. Keeps per-day work over a window bounded."""


D = TypeVar("D", date, datetime)


def _within_calendar(value: D) -> D:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            _(
                "must be between {EARLIEST_DATE} and {LATEST_DATE}",
                EARLIEST_DATE=EARLIEST_DATE,
                LATEST_DATE=LATEST_DATE,
            )
        )
    return value


BoundedDate = Annotated[date, AfterValidator(_within_calendar)]
"""A `date` input: 422 naming the field outside EARLIEST_DATE..LATEST_DATE."""
BoundedDatetime = Annotated[datetime, AfterValidator(_within_calendar)]
"""A timestamp input, bounded like BoundedDate by its calendar day."""


def window_error(start: date, end: date) -> Text | None:
    """Why `start..end` is not a window the API accepts, or None."""
    if end < start:
        return _("must not be before the start")
    if end - start > MAX_WINDOW:
        return _("must be at most {days} days after the start", days=MAX_WINDOW.days)
    return None


class Ref(BaseModel):
    """A link to another object: its id and a name to show."""

    id: uuid.UUID
    name: str

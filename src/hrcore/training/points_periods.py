"""The periods points are counted in — a year (`2026`), a quarter (`2026-Q4`), a month
(`2026-11`) — as the ledger's balances spell them, in the organization's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hrcore.core.clock import Clock


@dataclass(frozen=True)
class Period:
    label: str
    starts_at: datetime
    ends_at: datetime
    """Exclusive."""


def _month_start(year: int, month: int, zone: ZoneInfo) -> datetime:
    if month > 12:
        year, month = year + 1, month - 12
    return datetime(year, month, 1, tzinfo=zone)


def parse_period(label: str, timezone: str) -> Period:
    """The instants a well-formed label (the schemas' `PERIOD_PATTERN`) covers where the
    organization is."""
    zone = ZoneInfo(timezone)
    year = int(label[:4])
    if len(label) == 4:
        first, months = 1, 12
    elif label[5] == "Q":
        first, months = 3 * int(label[6]) - 2, 3
    else:
        first, months = int(label[5:7]), 1
    return Period(label, _month_start(year, first, zone), _month_start(year, first + months, zone))


def current_quarter(clock: Clock, timezone: str) -> str:
    """This quarter's label where the organization is (`2026-Q4`)."""
    today = clock.now().astimezone(ZoneInfo(timezone))
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"

"""Incentive periods: a quarter (`2026-Q4`) or a year (`2026`) in the organization's time
zone — the balances' own periods — with when it ends and, for promotion, the 12 months up
to its end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None
    """None for a year."""

    @property
    def name(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def is_year(self) -> bool:
        return self.quarter is None

    def _first_month(self) -> int:
        return 3 * self.quarter - 2 if self.quarter else 1

    def ends(self, timezone: str) -> datetime:
        """The first moment after the period, where the organization is."""
        months = 12 if self.is_year else 3
        year, month = divmod(self._first_month() - 1 + months, 12)
        return datetime(self.year + year, month + 1, 1, tzinfo=ZoneInfo(timezone))

    def last_twelve_months(self) -> list[str]:
        """The 12 months (`YYYY-MM`) that end with the period's last month."""
        last = self.year * 12 + self._first_month() - 1 + (11 if self.is_year else 2)
        return [f"{month // 12}-{month % 12 + 1:02d}" for month in range(last - 11, last + 1)]

    def twelve_months_start(self, timezone: str) -> datetime:
        [first, *_] = self.last_twelve_months()
        year, month = first.split("-")
        return datetime(int(year), int(month), 1, tzinfo=ZoneInfo(timezone))


def parse(name: str) -> Period:
    """A period's name as the schemas' pattern admits it (`YYYY` or `YYYY-Qn`)."""
    year, _, quarter = name.partition("-Q")
    return Period(int(year), int(quarter) if quarter else None)


def last_ended(now: datetime, timezone: str) -> list[Period]:
    """The latest quarter and the latest year that ended before `now` in the time zone."""
    local = now.astimezone(ZoneInfo(timezone))
    quarter = (local.month - 1) // 3 + 1
    previous = Period(local.year, quarter - 1) if quarter > 1 else Period(local.year - 1, 4)
    return [previous, Period(local.year - 1, None)]

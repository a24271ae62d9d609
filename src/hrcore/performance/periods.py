"""Periods of performance: a month (`2026-12`) or a quarter (`2026-Q4`), in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime


def month_of(moment: datetime) -> str:
    """The month an observation falls in (`YYYY-MM`, UTC)."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    return f"{moment.year:04d}-{moment.month:02d}"


def period_of(month: str, kind: str) -> tuple[str, date, date]:
    """The period of `kind` containing `month`: its name, first day and the day after it."""
    year, number = int(month[:4]), int(month[5:7])
    if kind == "quarter":
        quarter = (number - 1) // 3 + 1
        first, months, name = 3 * quarter - 2, 3, f"{year:04d}-Q{quarter}"
    else:
        first, months, name = number, 1, month
    after = first + months
    end = date(year + 1, after - 12, 1) if after > 12 else date(year, after, 1)
    return name, date(year, first, 1), end


def start_moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)

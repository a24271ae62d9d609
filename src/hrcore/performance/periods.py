"""Periods of performance: a month (`2026-12`) or a quarter (`2026-Q4`), in the
organization's time zone (an observation at 1 December 01:00 in Shanghai is December's)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo


def month_of(moment: datetime, zone: tzinfo) -> str:
    """The month an observation falls in (`YYYY-MM`) where the organization is."""
    local = moment.astimezone(zone)
    return f"{local.year:04d}-{local.month:02d}"


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


def start_moment(day: date, zone: tzinfo) -> datetime:
    """Midnight of `day` where the organization is."""
    return datetime(day.year, day.month, day.day, tzinfo=zone)

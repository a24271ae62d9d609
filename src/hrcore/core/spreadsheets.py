"""Cells of the CSV and XLSX files people open in a spreadsheet."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: str) -> str:
    """Text a spreadsheet would run as a formula (CSV/formula injection), quoted as text:
    names HR or employees typed travel into exports."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value

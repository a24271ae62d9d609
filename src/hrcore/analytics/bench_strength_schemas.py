"""Bench strength's response: per key position, successors by readiness."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from hrcore.core.schemas import Ref


class BenchCounts(BaseModel):
    """Successors by readiness; a person counts once per position, at their best readiness."""

    ready_now: int
    one_to_two_years: int = Field(description="Ready in 1–2 years.")
    three_plus_years: int = Field(description="Ready in 3 or more years.")
    not_assessed: int = Field(description="Active members whose readiness is not yet set.")
    successors: int = Field(description="All of them.")


class BenchPosition(BenchCounts):
    """One key position (the target of an active pool) and its bench."""

    position: Ref
    department: Ref
    no_successor: bool = Field(description="Risk flag: no successor at all.")
    no_ready_now: bool = Field(description="No successor ready now.")


class BenchStrengthOut(BaseModel):
    department: Ref | None = Field(description="The subtree counted; null: the organization.")
    refreshed_at: datetime | None = Field(
        description="When the worker last brought this figure up to date; null: not yet."
    )
    positions: list[BenchPosition] = Field(description="Key positions by title.")
    positions_without_successor: int
    total: BenchCounts

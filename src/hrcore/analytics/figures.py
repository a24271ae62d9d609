"""What a figure is: the steps it counts, how its facts are collected from the owning
domains, and which domain events make them stale. Each figure's module declares one
`Figure`; `catalog.FIGURES` lists them (the drill-down's `{figure}` path parameter)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Fact:
    """One person counted in one step of a figure, for one subject; `reason_key` is a
    catalog msgid (marked with `N_`) rendered with `reason_params` in the reader's language."""

    step: str
    subject_type: str
    subject_id: uuid.UUID
    employee_id: uuid.UUID
    department_id: uuid.UUID | None
    occurred_on: date
    reason_key: str
    reason_params: dict[str, Any] = field(default_factory=dict)
    dimension: str = ""
    value: Decimal | None = None


Collect = Callable[
    [AsyncSession, uuid.UUID, datetime, Sequence[uuid.UUID] | None], Awaitable[list[Fact]]
]
"""`(session, org_id, now, employee_ids)` → the figure's facts of those people (None: of
everyone). Set-based: one or a few statements through the owning domains' `api`, never a
query per person (a whole organization of 100,000 is rebuilt by one call)."""


@dataclass(frozen=True)
class Figure:
    """`name` is the drill-down path's `{figure}` and the rollups' key; `steps` are in the
    order a response lists them, each with its catalog label; `events` are the domain events
    after which the payload's `employee_id` (or, without one, everyone) is recollected;
    `every_minutes` recollects everyone that often, for what time alone changes (a deadline
    passing, twelve months elapsing)."""

    name: str
    steps: tuple[tuple[str, str], ...]
    collect: Collect
    events: tuple[str, ...] = ()
    every_minutes: int | None = None

    @property
    def step_names(self) -> tuple[str, ...]:
        return tuple(step for step, _label in self.steps)

    def label(self, step: str) -> str:
        return dict(self.steps)[step]

"""The shape every owner's retention read shares (privacy's purge, docs/privacy.md,
"Retention and legal holds"): what is due of one purgeable kind, a page at a time by id,
and how many. Each owner keeps its SQL next to its tables and declares it here once:

- `item`: the select list of a due item — its id, whose data it is (or `NULL::uuid`) and
  the day its retention period started;
- `source`: `FROM … WHERE …` over `$1` the organization, `$2` the cutoff (a moment, or its
  day with `by_day`) and `$3` the values that spare a record (those under legal hold);
- `key`: the id column pages go by.

Purging stays the owner's own function: each re-checks its condition, so nothing is purged
twice."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

DueItem = tuple[uuid.UUID, uuid.UUID | None, date]
"""A record due: its id, whose data it is (None: no one person's) and its event's day."""


@dataclass(frozen=True)
class DueRecords:
    item: str
    source: str
    key: str
    by_day: bool = False
    page_sql: str = field(init=False, repr=False)
    count_sql: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        page = f"""
            SELECT {self.item} {self.source}
              AND ($4::uuid IS NULL OR {self.key} > $4) ORDER BY {self.key} LIMIT $5
        """
        object.__setattr__(self, "page_sql", page)
        object.__setattr__(self, "count_sql", f"SELECT count(*) {self.source}")

    def _cutoff(self, before: datetime) -> datetime | date:
        return before.date() if self.by_day else before

    async def due(
        self,
        session: AsyncSession,
        org_id: uuid.UUID,
        before: datetime,
        excluding: Sequence[Any],
        after: uuid.UUID | None,
        limit: int,
    ) -> list[DueItem]:
        """Records due before `before`, not spared by `excluding`, by id after `after`."""
        rows = await fetch(
            session, self.page_sql, org_id, self._cutoff(before), list(excluding), after, limit
        )
        return [(row[0], row[1], row[2]) for row in rows]

    async def count(
        self,
        session: AsyncSession,
        org_id: uuid.UUID,
        before: datetime,
        excluding: Sequence[Any],
    ) -> int:
        [row] = await fetch(session, self.count_sql, org_id, self._cutoff(before), list(excluding))
        return int(row[0])

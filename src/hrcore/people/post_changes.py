"""Post changes as analytics reads them: each employee's transfers and exits with their
effective dates (recorded ones, applied or still ahead; a withdrawn one is not), one
statement however many employees — selection accuracy's "still in post"."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

CHANGES = """
SELECT employee_id, kind, effective_date
FROM employment_events
WHERE org_id = $1 AND employee_id = ANY($2::uuid[]) AND kind IN ('transfer', 'exit')
  AND withdrawn_at IS NULL
ORDER BY employee_id, effective_date, id
"""


@dataclass(frozen=True)
class PostChange:
    kind: str
    effective_date: date


async def post_changes(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[PostChange]]:
    """Each employee's transfers and exits, oldest first (employees without one absent)."""
    if not employee_ids:
        return {}
    found: dict[uuid.UUID, list[PostChange]] = defaultdict(list)
    for row in await fetch(session, CHANGES, org_id, list(employee_ids)):
        found[row["employee_id"]].append(PostChange(row["kind"], row["effective_date"]))
    return dict(found)

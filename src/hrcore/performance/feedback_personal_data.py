"""Performance's feedback section of a person's own-data export (`core.personal_data`):
the praise and suggestions they received, each as they see it on `/feedback` — from whom,
the text, the competency or indicator it is tagged with, who else may see it. One
statement."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

FEEDBACK_RECEIVED = """
SELECT f.created_at, g.full_name AS giver, f.kind, f.text, f.visibility,
       k.name AS competency, f.indicator
  FROM feedback f
  JOIN employees g ON g.org_id = f.org_id AND g.id = f.giver_id
  LEFT JOIN competencies k ON k.org_id = f.org_id AND k.id = f.competency_id
 WHERE f.org_id = $1 AND f.receiver_id = $2
 ORDER BY f.created_at, f.id
"""


async def feedback_received(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    rows = await fetch(session, FEEDBACK_RECEIVED, org_id, employee_id)
    return [dict(row) | {"created_at": row["created_at"].isoformat()} for row in rows]

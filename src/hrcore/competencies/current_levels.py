"""A named query for what mentoring's goals measure: employees' current level in given
competencies, read from the newest profile (`competency_current_scores`) and converted from
the profile's 0–10 scale to the competency's levels (the inverse of `levels.on_scale`). One
statement however many employees."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

CURRENT_LEVELS = """
SELECT s.employee_id, figure.competency_id,
       round((figure.score / 10 * jsonb_array_length(c.levels))::numeric, 2)::float8 AS level
  FROM competency_current_scores s
 CROSS JOIN LATERAL unnest(s.competency_ids, s.scores) AS figure(competency_id, score)
  JOIN competencies c ON c.org_id = s.org_id AND c.id = figure.competency_id
 WHERE s.org_id = $1 AND s.employee_id = ANY($2::uuid[]) AND figure.competency_id = ANY($3::uuid[])
"""


async def current_levels(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    competency_ids: Sequence[uuid.UUID],
) -> dict[tuple[uuid.UUID, uuid.UUID], float]:
    """(employee, competency) → the level the newest profile puts them at (3.2 of 5 levels
    reads as 3.2); pairs without a figure are absent."""
    if not employee_ids or not competency_ids:
        return {}
    rows = await fetch(
        session, CURRENT_LEVELS, org_id, list(set(employee_ids)), list(set(competency_ids))
    )
    return {(row["employee_id"], row["competency_id"]): row["level"] for row in rows}

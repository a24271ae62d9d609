"""A mentor's effectiveness as evidence of their own management competency: when a
recompute moves a mentor's score, the score ÷ 10 replaces that mentor's one evidence row
(source kind `mentoring_effectiveness`, the mentor as the source) on the competency the
setting `mentoring_evidence_competency` names — unset, or naming no competency of the
organization, records nothing. A score that moves to none withdraws the row. The note is in
both languages (`evidence_notes`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core.i18n import _n
from hrcore.mentoring.evidence_notes import bilingual_note
from hrcore.settings import Settings


async def record_moves(
    session: AsyncSession,
    org_id: uuid.UUID,
    settings: Settings,
    now: datetime,
    mentors: Sequence[Any],
    moved: Sequence[dict[str, Any]],
) -> int:
    """Replace the evidence of each moved mentor (rows with `mentor_id`, `score`,
    `pairings`), in the recompute's transaction; how many mentors' evidence changed."""
    name = settings.mentoring_evidence_competency
    if not moved or not name:
        return 0
    competency_id = await competencies.competency_named(session, org_id, name)
    if competency_id is None:
        return 0
    employees = {row["id"]: row["employee_id"] for row in mentors}
    for row in moved:
        score = row["score"]
        values = (
            []
            if score is None
            else [
                competencies.SourceValue(
                    competency_id,
                    score / 10,
                    bilingual_note(
                        _n(
                            "Mentor effectiveness {score}/100 over {count} pairing",
                            "Mentor effectiveness {score}/100 over {count} pairings",
                            row["pairings"],
                            score=score,
                        )
                    ),
                )
            ]
        )
        await competencies.replace_source_evidence(
            session,
            org_id,
            employee_id=employees[row["mentor_id"]],
            source_kind=competencies.MENTORING_EFFECTIVENESS,
            source_id=row["mentor_id"],
            observed_at=now,
            values=values,
        )
    return len(moved)

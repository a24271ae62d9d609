"""What other domains may call of competencies, in plain data: `record_evidence` — every
source that says something about an employee's competency (reviews, programs, stretch
assignments, training, mentoring) records it here, one row per source event and competency
(recording the same event again replaces its evidence); the profile follows in the worker.
`recompute_profile`: the profile as of a moment (the worker's job does it on evidence; the
demo seed builds a history with it). `ModelVersionUse`: a domain above whose objects go by a
position's model declares it among its registry's providers, so a version they use is not
deleted (409)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import profiles
from hrcore.competencies.evidence import record_evidence
from hrcore.competencies.model_uses import ModelVersionUse
from hrcore.settings import Settings

__all__ = ["ModelVersionUse", "recompute_profile", "record_evidence"]


async def recompute_profile(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    settings: Settings,
    at: datetime,
) -> bool:
    """Recompute the employee's profile from their evidence as of `at`, storing a snapshot
    when a figure changed; whether it stored one."""
    return await profiles.recompute(session, org_id, employee_id, settings, at)

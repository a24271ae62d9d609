"""The daily cron asking running pairings' mentees for their periodic survey
(`periodic_surveys.ask_due`), one organization at a time."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity
from hrcore.mentoring import periodic_surveys

PERIODIC_SURVEY_CRON = "mentoring.ask_for_periodic_surveys"


async def ask_for_periodic_surveys(ctx: dict[str, Any]) -> int:
    """arq cron entry point (daily): how many mentees were asked."""
    runtime: Runtime = ctx["runtime"]
    every = runtime.settings.mentoring_survey_every_months

    async def ask(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await periodic_surveys.ask_due(session, org_id, every, runtime.clock)

    return await identity.for_each_organization(
        runtime.sessionmaker, ask, label="periodic mentee surveys"
    )

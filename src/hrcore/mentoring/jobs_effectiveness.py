"""Background work of surveys and effectiveness (thin: the use cases do the work)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.jobs import JobContext
from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity
from hrcore.mentoring import effectiveness, surveys
from hrcore.mentoring.mentorship_models import Mentorship


async def ask_for_survey(ctx: JobContext) -> None:
    """A session was logged: its mentee gets the survey task."""
    if ctx.org_id is None:
        return
    await surveys.ask_for_survey(
        ctx.session, ctx.org_id, uuid.UUID(ctx.payload["session_id"]), ctx.clock
    )


async def recompute_effectiveness(ctx: JobContext) -> None:
    """A session, a survey answer or a pairing's end: the pairing's mentor is recomputed."""
    if ctx.org_id is None:
        return
    pairing = await ctx.session.get(Mentorship, uuid.UUID(ctx.payload["mentorship_id"]))
    if pairing is None:
        return
    await effectiveness.recompute(
        ctx.session, ctx.org_id, ctx.settings, ctx.clock.now(), [pairing.mentor_id]
    )


async def recompute_all(ctx: dict[str, Any]) -> int:
    """arq cron entry point (nightly): every mentor of every organization, one organization
    per transaction (ratings and promotions move without a mentoring event)."""
    runtime: Runtime = ctx["runtime"]

    async def each(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await effectiveness.recompute(session, org_id, runtime.settings, runtime.clock.now())

    return await identity.for_each_organization(
        runtime.sessionmaker, each, label="mentor effectiveness"
    )

"""Background work of contracts: drafting amendments from employment events, generating
their documents, the daily expiry watch, and program conflicts of started runs. Thin: the
rules are in the use cases."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import confirmation, conflicts, drafting, expiry, generation, post_changes
from hrcore.core.jobs import JobContext
from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity


def _org(ctx: JobContext) -> uuid.UUID:
    if ctx.org_id is None:
        raise ValueError("contract jobs run for an organization")
    return ctx.org_id


async def draft_amendment(ctx: JobContext) -> None:
    """Subscribed to people's EMPLOYMENT_EVENT_RECORDED (core.events)."""
    await drafting.draft_from_event(
        ctx.session, _org(ctx), uuid.UUID(ctx.payload["event_id"]), ctx.clock
    )


async def withdraw_amendments(ctx: JobContext) -> None:
    """Subscribed to people's EMPLOYMENT_EVENT_WITHDRAWN: the post's amendments follow it."""
    await post_changes.withdraw_for_event(
        ctx.session, _org(ctx), uuid.UUID(ctx.payload["event_id"]), ctx.clock
    )


async def redraft_for_early_end(ctx: JobContext) -> None:
    """Subscribed to people's EMPLOYMENT_EVENT_ENDED_EARLY: the amendment says the real end."""
    await post_changes.redraft_for_early_end(
        ctx.session, _org(ctx), uuid.UUID(ctx.payload["event_id"]), ctx.clock
    )


async def generate_document(ctx: JobContext) -> None:
    await generation.generate_document(
        ctx.session,
        _org(ctx),
        uuid.UUID(ctx.payload["amendment_id"]),
        int(ctx.payload["number"]),
        ctx.settings,
        ctx.clock,
    )


async def check_program_conflicts(ctx: JobContext) -> None:
    """Subscribed to programs' RUN_STARTED: the started participants' contracts are checked."""
    employee_ids = [uuid.UUID(str(value)) for value in ctx.payload["employee_ids"]]
    await conflicts.check_program_conflicts(ctx.session, _org(ctx), employee_ids, ctx.clock)


async def drop_program_conflicts(ctx: JobContext) -> None:
    """Subscribed to programs' PARTICIPANT_WITHDRAWN and PARTICIPANT_GRADUATED (ended by an
    appointment): their conflict tasks are moot."""
    participant_ids = [uuid.UUID(str(value)) for value in ctx.payload["participant_ids"]]
    await conflicts.drop_program_conflicts(ctx.session, _org(ctx), participant_ids, ctx.clock)


async def watch_expiry(ctx: dict[str, Any]) -> int:
    """arq cron entry point (daily): renew-or-extend tasks for contracts nearing their end."""
    runtime: Runtime = ctx["runtime"]
    return await expiry.watch_expiry(runtime.sessionmaker, runtime.clock, runtime.settings)


async def apply_due_amendments(ctx: dict[str, Any]) -> int:
    """arq cron entry point (hourly, so terms apply within the first hour of their date
    wherever the organization is): confirmed amendments whose effective date has come."""
    runtime: Runtime = ctx["runtime"]

    async def apply(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await confirmation.apply_due(session, org_id, runtime.clock)

    return await identity.for_each_organization(
        runtime.sessionmaker, apply, label="confirmed amendments taking effect"
    )

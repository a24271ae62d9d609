"""The platform's own tables and crons (audit, idempotency keys, the outbox, template
revisions), declared like a domain's so the processes and Alembic are built from one list
(`hrcore.domains`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hrcore.core import audit, idempotency, outbox, templates
from hrcore.core.registry import Cron, Domain
from hrcore.core.runtime import Runtime


async def expire_idempotency_keys(ctx: dict[str, Any]) -> int:
    runtime: Runtime = ctx["runtime"]
    return await idempotency.expire_keys(runtime.sessionmaker)


async def prune_outbox(ctx: dict[str, Any]) -> int:
    runtime: Runtime = ctx["runtime"]
    retention = timedelta(days=runtime.settings.outbox_retention_days)
    return await outbox.prune(runtime.sessionmaker, retention=retention)


DOMAIN = Domain(
    name="core",
    models=[audit, idempotency, outbox, templates],
    crons=[
        Cron("housekeeping.expire_idempotency_keys", expire_idempotency_keys, minute=7),
        Cron("housekeeping.prune_outbox", prune_outbox, hour={3}, minute={17}),
    ],
)

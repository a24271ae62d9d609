"""Background work of performance (thin: the use cases do the work)."""

from __future__ import annotations

from hrcore.core.jobs import JobContext
from hrcore.performance import dashboard_stream, live_scores


async def recompute_scores(ctx: JobContext) -> None:
    """Recompute the live scores of the employees and months a batch touched."""
    if ctx.org_id is None:
        return
    await live_scores.recompute(ctx.session, ctx.org_id, ctx.payload["months"], ctx.clock.now())
    dashboard_stream.announce(ctx.session, ctx.org_id, ctx.payload["months"])

"""Benchmark the decline-alert sweep over 50,000 indicator series.

    .venv/bin/python bench/run_alert_sweep.py --database-url postgresql+asyncpg://postgres@127.0.0.1/hrcore_bench

Run bench/generate.py and bench/generate_performance.py first. Each run is the daily cron's
work for the benchmark organization — `performance.alerts.sweep` for everyone: the one
set-based statement that judges every series and stores the new alerts, then their delivery
(names, managers, accounts, inbox, webhooks, audit) — in a transaction of the app's role
(row-level security on) that is rolled back, so every run finds the same alerts. Prints the
median and the slowest of `--runs`, and the sweep statement alone.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

from run import REDIS
from sqlalchemy import text

from hrcore.core.clock import SystemClock
from hrcore.core.db import set_tenant
from hrcore.core.runtime import Runtime
from hrcore.performance import alerts, alerts_repository
from hrcore.settings import Settings


async def _org(runtime: Runtime) -> tuple[uuid.UUID, int]:
    """The benchmark organization and how many indicator series it scores."""
    async with runtime.engine.begin() as connection:
        org = (
            await connection.execute(text("SELECT id FROM organizations WHERE slug = 'bench'"))
        ).scalar_one()
        await connection.execute(
            text("SELECT set_config('app.org_id', :org, true)"), {"org": str(org)}
        )
        series = (
            await connection.execute(
                text(
                    "SELECT count(DISTINCT (s.employee_id, i->>'key')) FROM performance_scores s,"
                    " jsonb_array_elements(s.indicators) i"
                )
            )
        ).scalar_one()
        return org, series


async def _once(runtime: Runtime, org_id: uuid.UUID, *, whole: bool) -> tuple[float, int]:
    """Seconds of one sweep (the use case, or its statement alone) and the alerts found."""
    clock = SystemClock()
    async with runtime.sessionmaker() as session, session.begin():
        await set_tenant(session, org_id)
        started = time.perf_counter()
        if whole:
            raised = await alerts.sweep(session, org_id, clock)
        else:
            today = clock.now().date()
            rows = await alerts_repository.sweep(session, org_id, None, today, clock.now())
            raised = len(rows)
        took = time.perf_counter() - started
        await session.rollback()
    return took, raised


async def main(url: str, runs: int) -> None:
    settings = Settings(database_url=url, redis_url=REDIS, log_json=False)
    runtime = Runtime.open(settings, application_name="hrcore-bench")
    try:
        org_id, series = await _org(runtime)
        print(f"{series:,} indicator series", flush=True)
        for whole, name in ((True, "sweep with delivery"), (False, "sweep statement alone")):
            await _once(runtime, org_id, whole=whole)
            timings, raised = [], 0
            for _ in range(runs):
                took, raised = await _once(runtime, org_id, whole=whole)
                timings.append(took)
            print(
                f"{name}: {raised} alerts, median {statistics.median(timings):.2f}s,"
                f" slowest {max(timings):.2f}s over {runs} runs",
                flush=True,
            )
    finally:
        await runtime.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.runs))
